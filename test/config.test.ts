import { ConfigError, loadConfig } from '../src/config.js';

const KEY = 'k'.repeat(32);
/** What production needs beside authentication: the keys that never come from a generated file. */
const PRODUCTION_KEYS = {
  OTP_HASH_SECRET: KEY,
  PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
  PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
};

describe('loadConfig', () => {
  it('gives every variable its documented default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      DB_FILE: 'data/db.json',
      STATE_FILE: 'data/state.json',
      SEED_FILE: 'data/seed.json',
      NOTIFY_TRANSPORT: 'file',
      NOTIFY_OUTBOX_FILE: 'data/outbox.jsonl',
      DEFAULT_LOCALE: 'zh-CN',
      LOG_LEVEL: 'info',
      OTP_TTL_SECONDS: 600,
      OTP_MAX_ATTEMPTS: 5,
      STORE_COMPACT_AFTER: 5000,
      STORE_COMPACT_PERCENT: 100,
      OTP_GUESSES_PER_HOUR_PER_ADDRESS: 15,
      OTP_GUESSES_PER_HOUR_PER_RANGE: 60,
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
      DATABASE_QUERY_TIMEOUT_MS: 5000,
      DATABASE_HEALTH_TIMEOUT_MS: 2000,
    });
    expect(config.MicrosoftAppId).toBeUndefined();
  });

  it.each(['OTP_GUESSES_PER_HOUR_PER_ADDRESS', 'OTP_GUESSES_PER_HOUR_PER_RANGE'])(
    'refuses a %s smaller than one code’s attempts: no code could ever be sent',
    (variable) => {
      expect(() => loadConfig({ OTP_MAX_ATTEMPTS: '6', [variable]: '5' })).toThrow(
        `Invalid configuration: ${variable}="5"; expected at least OTP_MAX_ATTEMPTS (6, the guesses one code allows).`,
      );
    },
  );

  it('treats an empty value as unset, as .env files write them', () => {
    expect(loadConfig({ MicrosoftAppId: '', PORT: '' }).PORT).toBe(3978);
  });

  it.each([
    ['PORT', 'eighty', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['NOTIFY_TRANSPORT', 'pigeon', 'one of console, file, webhook'],
    ['DEFAULT_LOCALE', 'fr-FR', 'one of zh-CN, en-US, zh-Hant, zh-Hant-HK'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error, warn, info, debug, trace, silent'],
    ['MicrosoftAppType', 'Personal', 'one of MultiTenant, SingleTenant, UserAssignedMSI'],
    ['NOTIFY_WEBHOOK_URL', 'ftp://x', 'an http(s) URL'],
    ['OTP_TTL_SECONDS', '5', 'an integer from 60 to 3600'],
    ['STORE_COMPACT_PERCENT', '-1', 'an integer from 0 to 10000'],
    ['AUDIT_RETENTION_DAYS', '7', 'an integer from 30 to 36500'],
    ['STORE_WARN_MB', '600', 'an integer from 1 to 512'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '0', 'an integer from 100 to 600000'],
    ['DATABASE_QUERY_TIMEOUT_MS', '5s', 'an integer from 100 to 3600000'],
    ['DATABASE_HEALTH_TIMEOUT_MS', '120000', 'an integer from 100 to 60000'],
    ['HOST', 'example.com', 'an IP address to listen on (127.0.0.1, 0.0.0.0, ::) or localhost'],
    ['ALLOW_UNAUTHENTICATED', 'yes', 'true or false'],
    [
      'SERVICE_URL_ALLOWLIST',
      'https://ok.example,smba',
      'a comma-separated list of http(s) origins, e.g. https://smba.trafficmanager.net',
    ],
  ])('rejects %s=%s naming the variable, the value and what is allowed', (variable, value, allowed) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`Invalid configuration: ${variable}="${value}"; expected ${allowed}.`);
  });

  it.each(['MEMBER_TOKEN_SECRET', 'OTP_HASH_SECRET', 'WEBCHAT_TOKEN_SECRET', 'PERSONAL_DATA_INDEX_KEY'])(
    'rejects a short %s naming the variable and its length, never its value',
    (variable) => {
      expect(() => loadConfig({ [variable]: 'short-secret' })).toThrow(
        `Invalid configuration: ${variable}=(12 characters, not shown); expected a secret of at least 32 characters.`,
      );
    },
  );

  describe('SMTP_SEND_TIMEOUT_MS (the whole of one e-mail send)', () => {
    const SMTP = {
      NOTIFY_EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'Membership <members@example.com>',
    };

    it('is 30 s unless set', () => {
      expect(loadConfig(SMTP).SMTP_SEND_TIMEOUT_MS).toBe(30_000);
      expect(loadConfig({ ...SMTP, SMTP_SEND_TIMEOUT_MS: '5000' }).SMTP_SEND_TIMEOUT_MS).toBe(5000);
    });

    it.each(['soon', '30s', '999', '600001'])('refuses %s in one line naming it', (value) => {
      const attempt = () => loadConfig({ ...SMTP, SMTP_SEND_TIMEOUT_MS: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        `Invalid configuration: SMTP_SEND_TIMEOUT_MS="${value}"; expected an integer from 1000 to 600000.`,
      );
    });

    it('refuses more than half the outbox lease, which would let another instance send the message meanwhile', () => {
      expect(() => loadConfig({ ...SMTP, SMTP_SEND_TIMEOUT_MS: '60001' })).toThrow(
        'Invalid configuration: SMTP_SEND_TIMEOUT_MS="60001"; expected at most half of OUTBOX_LEASE_SECONDS (120 s, how long a message being sent is held).',
      );
      expect(loadConfig({ ...SMTP, SMTP_SEND_TIMEOUT_MS: '60001', OUTBOX_LEASE_SECONDS: '121' })).toMatchObject({
        SMTP_SEND_TIMEOUT_MS: 60_001,
      });
      // Without SMTP the setting is not used, and the lease is not measured against it.
      expect(loadConfig({ SMTP_SEND_TIMEOUT_MS: '60001' }).SMTP_SEND_TIMEOUT_MS).toBe(60_001);
    });
  });

  it('requires the webhook URL and secret when the webhook transport is chosen', () => {
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'webhook' })).toThrow('NOTIFY_WEBHOOK_URL=(unset)');
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'webhook', NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/x' })).toThrow(
      'NOTIFY_WEBHOOK_SECRET=(unset)',
    );
  });

  it('refuses production without authentication unless ALLOW_UNAUTHENTICATED=true', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: MicrosoftAppId=(unset); expected the Azure Bot app id when NODE_ENV=production (authentication on), or ALLOW_UNAUTHENTICATED=true to serve without authentication on purpose.',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'false' })).toThrow(ConfigError);
    expect(
      loadConfig({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'true', ...PRODUCTION_KEYS }).ALLOW_UNAUTHENTICATED,
    ).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw', ...PRODUCTION_KEYS })
        .MicrosoftAppId,
    ).toBe('abc');
    expect(loadConfig({}).ALLOW_UNAUTHENTICATED).toBe(false);
  });

  it('takes the code-hashing key from the environment in production, never from a generated file (issue #14, item 6)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'true' })).toThrow(
      'Invalid configuration: OTP_HASH_SECRET=(unset); expected a secret of at least 32 characters when NODE_ENV=production (the key one-time codes are hashed with).',
    );
    expect(loadConfig({}).SECRETS_DIR).toBe('.secrets');
  });

  it('listens on this machine only unless authentication is on or HOST says otherwise', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw', HOST: '10.0.0.5' }).HOST).toBe('10.0.0.5');
  });

  it('reads SERVICE_URL_ALLOWLIST as a list of origins', () => {
    expect(loadConfig({}).SERVICE_URL_ALLOWLIST).toEqual([]);
    expect(
      loadConfig({ SERVICE_URL_ALLOWLIST: 'https://smba.trafficmanager.net/amer/, http://bots.example:8080' })
        .SERVICE_URL_ALLOWLIST,
    ).toEqual(['https://smba.trafficmanager.net', 'http://bots.example:8080']);
  });

  it('reads TRUSTED_PROXIES and WEBCHAT_ALLOWED_ORIGINS as lists, and stops at an entry that is not one', () => {
    expect(loadConfig({})).toMatchObject({
      TRUSTED_PROXIES: [],
      WEBCHAT_ALLOWED_ORIGINS: [],
      WEBCHAT_SESSION_MINUTES: 240,
    });
    expect(
      loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, ::1', WEBCHAT_ALLOWED_ORIGINS: 'https://app.example.com/embed' }),
    ).toMatchObject({ TRUSTED_PROXIES: ['10.0.0.0/8', '::1'], WEBCHAT_ALLOWED_ORIGINS: ['https://app.example.com'] });
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, lb.internal' })).toThrow(
      'Invalid configuration: TRUSTED_PROXIES="10.0.0.0/8, lb.internal"; expected a comma-separated list of IP addresses and CIDR ranges, e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32: "lb.internal" is neither an IP address nor a CIDR range.',
    );
    expect(() => loadConfig({ WEBCHAT_ALLOWED_ORIGINS: 'app.example.com' })).toThrow(
      'Invalid configuration: WEBCHAT_ALLOWED_ORIGINS="app.example.com"; expected a comma-separated list of http(s) origins, e.g. https://app.example.com.',
    );
  });

  it('requires the host token issuer and audience once a host token secret is set', () => {
    const secret = 's'.repeat(32);
    expect(() => loadConfig({ MEMBER_TOKEN_SECRET: secret })).toThrow('MEMBER_TOKEN_ISSUER=(unset)');
    expect(() => loadConfig({ MEMBER_TOKEN_SECRET: secret, MEMBER_TOKEN_ISSUER: 'https://app.example' })).toThrow(
      'MEMBER_TOKEN_AUDIENCE=(unset)',
    );
    expect(
      loadConfig({
        MEMBER_TOKEN_SECRET: secret,
        MEMBER_TOKEN_ISSUER: 'https://app.example',
        MEMBER_TOKEN_AUDIENCE: 'bot',
      }).MEMBER_TOKEN_AUDIENCE,
    ).toBe('bot');
  });

  it('requires the app password once an app id is set', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'abc' })).toThrow('MicrosoftAppPassword=(unset)');
    expect(loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw' }).MicrosoftAppId).toBe('abc');
  });
});
