import { ConfigError, loadConfig } from '../src/config.js';

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
    });
    expect(config.MicrosoftAppId).toBeUndefined();
  });

  it('treats an empty value as unset, as .env files write them', () => {
    expect(loadConfig({ MicrosoftAppId: '', PORT: '' }).PORT).toBe(3978);
  });

  it.each([
    ['PORT', 'eighty', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['NOTIFY_TRANSPORT', 'pigeon', 'one of console, file, webhook'],
    ['DEFAULT_LOCALE', 'fr-FR', 'one of zh-CN, en-US'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error, warn, info, debug, trace, silent'],
    ['MicrosoftAppType', 'Personal', 'one of MultiTenant, SingleTenant, UserAssignedMSI'],
    ['NOTIFY_WEBHOOK_URL', 'ftp://x', 'an http(s) URL'],
    ['MEMBER_TOKEN_SECRET', 'short', 'a secret of at least 32 characters'],
    ['OTP_TTL_SECONDS', '5', 'an integer from 60 to 3600'],
    ['STORE_COMPACT_PERCENT', '-1', 'an integer from 0 to 10000'],
  ])('rejects %s=%s naming the variable, the value and what is allowed', (variable, value, allowed) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`Invalid configuration: ${variable}="${value}"; expected ${allowed}.`);
  });

  it('requires the webhook URL and secret when the webhook transport is chosen', () => {
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'webhook' })).toThrow('NOTIFY_WEBHOOK_URL=(unset)');
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'webhook', NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/x' }))
      .toThrow('NOTIFY_WEBHOOK_SECRET=(unset)');
  });

  it('requires the app password once an app id is set', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'abc' })).toThrow('MicrosoftAppPassword=(unset)');
    expect(loadConfig({ MicrosoftAppId: 'abc', MicrosoftAppPassword: 'pw' }).MicrosoftAppId).toBe('abc');
  });
});
