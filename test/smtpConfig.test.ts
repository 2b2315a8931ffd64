import { ConfigError, loadConfig } from '../src/config.js';
import { smtpOptions } from '../src/notify/transports/smtpOptions.js';

const SMTP = { NOTIFY_EMAIL_TRANSPORT: 'smtp', MAIL_FROM: 'Membership <members@example.com>' };

describe('the SMTP settings', () => {
  it('accepts NOTIFY_EMAIL_TRANSPORT=smtp with SMTP_URL and MAIL_FROM, and leaves e-mail to NOTIFY_TRANSPORT when unset', () => {
    expect(loadConfig({ ...SMTP, SMTP_URL: 'smtps://user:pass@mail.example.com:465' })).toMatchObject({
      NOTIFY_EMAIL_TRANSPORT: 'smtp',
      MAIL_FROM: 'Membership <members@example.com>',
    });
    expect(loadConfig({ MAIL_FROM: 'members@example.com' }).NOTIFY_EMAIL_TRANSPORT).toBeUndefined();
  });

  it.each([
    [
      { NOTIFY_EMAIL_TRANSPORT: 'sendmail' },
      'Invalid configuration: NOTIFY_EMAIL_TRANSPORT="sendmail"; expected smtp, or unset to send e-mail through NOTIFY_TRANSPORT.',
    ],
    [
      { NOTIFY_EMAIL_TRANSPORT: 'smtp' },
      'Invalid configuration: SMTP_URL=(unset); expected an smtp:// or smtps:// URL when NOTIFY_EMAIL_TRANSPORT=smtp.',
    ],
    [
      { NOTIFY_EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://127.0.0.1:2525' },
      'Invalid configuration: MAIL_FROM=(unset); expected a sender address when NOTIFY_EMAIL_TRANSPORT=smtp.',
    ],
    [
      { ...SMTP, SMTP_URL: 'https://mail.example.com' },
      'Invalid configuration: SMTP_URL="https://mail.example.com"; expected an smtp:// or smtps:// URL.',
    ],
    [
      { ...SMTP, SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'members at example' },
      'Invalid configuration: MAIL_FROM="members at example"; expected a sender address, e.g. Membership <members@example.com>.',
    ],
  ])('refuses to start on %j with one line naming the variable', (env, line) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(line);
  });

  it('never repeats the credentials of an SMTP_URL it refuses', () => {
    const attempts = [
      'smtps://mailer:S3cret-Pa55@mail.example.com:465?debug=true',
      'smtps://mailer:S3cret-Pa55@mail.example.com:465?logger=true',
      'smtp://mailer:S3cret-Pa55@mail example.com',
    ];
    for (const SMTP_URL of attempts) {
      const error = (() => {
        try {
          loadConfig({ ...SMTP, SMTP_URL });
        } catch (err) {
          return err as Error;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.message).toMatch(/^Invalid configuration: SMTP_URL="smtps?:\/\/\*\*\*@mail/);
      expect(error!.message).not.toContain('S3cret');
      expect(error!.message).not.toContain('mailer');
    }
  });
});

describe('smtpOptions', () => {
  it('sends a password to another machine only over TLS unless the URL says otherwise', () => {
    expect(smtpOptions('smtp://mailer:pw@mail.example.com')).toMatchObject({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'mailer', pass: 'pw' },
    });
    expect(smtpOptions('smtp://mailer:pw@mail.example.com?requireTLS=false').requireTLS).toBe(false);
    expect(smtpOptions('smtps://mailer:pw@mail.example.com')).toMatchObject({
      port: 465,
      secure: true,
      requireTLS: false,
    });
    expect(smtpOptions('smtp://mailer:pw@127.0.0.1:2525')).toMatchObject({ port: 2525, requireTLS: false });
    expect(smtpOptions('smtp://mail.example.com:25')).toMatchObject({ port: 25, requireTLS: false });
    expect(smtpOptions('smtp://mail.example.com:25').auth).toBeUndefined();
  });

  it('decodes the credentials, reads the allowed query settings and keeps nodemailer quiet', () => {
    const options = smtpOptions(
      'smtps://mailer%40example.com:p%40ss%2Fw@mail.example.com?tls.rejectUnauthorized=false&name=bot.example.com',
    );
    expect(options).toMatchObject({
      auth: { user: 'mailer@example.com', pass: 'p@ss/w' },
      tls: { rejectUnauthorized: false },
      name: 'bot.example.com',
      logger: false,
      debug: false,
    });
  });
});
