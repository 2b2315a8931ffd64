import { z } from 'zod';
import { parseTrustedProxies } from './core/networkAddress.js';
import { REPLY_LOCALES } from './i18n/languages.js';
import {
  defaultReminderPolicy,
  parseReminderPolicy,
  REMINDER_POLICY_FORMAT,
  type ReminderPolicy,
} from './membership/reminderPolicy.js';
import { redactSmtpUrl, smtpUrlProblem } from './notify/transports/smtpOptions.js';
import { parsePersonalDataKeys } from './store/personalDataKeys.js';
import { databaseUrlProblem, redactDatabaseUrl } from './store/postgres/databaseUrl.js';

/** Raised when an environment variable has a value the service cannot run with. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly got: string | undefined,
    readonly allowed: string,
    /** A key or password: its value is never repeated, only its length. */
    secret = false,
  ) {
    const shown =
      got === undefined ? '(unset)' : secret ? `(${got.length} characters, not shown)` : JSON.stringify(got);
    super(`Invalid configuration: ${variable}=${shown}; expected ${allowed}.`);
    this.name = 'ConfigError';
  }
}

/** Settings whose values are keys or passwords: a refused one is described, never repeated. */
const SECRET_SETTINGS = new Set([
  'MicrosoftAppPassword',
  'NOTIFY_WEBHOOK_SECRET',
  'MEMBER_TOKEN_SECRET',
  'OTP_HASH_SECRET',
  'PERSONAL_DATA_KEYS',
  'PERSONAL_DATA_INDEX_KEY',
  'WEBCHAT_TOKEN_SECRET',
  'WEBHOOK_SECRET',
  'BILLING_API_KEY',
]);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
/** A comma-separated list, blanks dropped. */
const commaList = optionalText.transform((v) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [],
);
/** A comma-separated list of http(s) URLs, each kept as its origin. */
const originList = commaList.pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)));
const intIn = (min: number, max: number, dflt: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt).describe(`an integer from ${min} to ${max}`);

/**
 * Every variable the service reads, with its default. `.describe()` carries the wording used when
 * a value is rejected, so the message names what is allowed in terms an operator knows.
 */
const envSchema = z.object({
  PORT: intIn(0, 65535, 3978),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])
    .default('MultiTenant')
    .describe('one of MultiTenant, SingleTenant, UserAssignedMSI'),
  MicrosoftAppTenantId: optionalText,
  DB_FILE: z.string().min(1).default('data/db.json').describe('a file path'),
  STATE_FILE: z.string().min(1).default('data/state.json').describe('a file path'),
  SEED_FILE: z.string().min(1).default('data/seed.json').describe('a file path'),
  // Checked after parsing (databaseUrlProblem), so a refused value is shown without its password.
  DATABASE_URL: optionalText,
  DATABASE_MIGRATE: z.enum(['auto', 'off']).default('off').describe('auto or off'),
  DATABASE_CONNECT_TIMEOUT_MS: intIn(100, 600_000, 5_000),
  DATABASE_QUERY_TIMEOUT_MS: intIn(100, 3_600_000, 5_000),
  DATABASE_HEALTH_TIMEOUT_MS: intIn(100, 60_000, 2_000),
  NOTIFY_TRANSPORT: z.enum(['console', 'file', 'webhook']).default('file').describe('one of console, file, webhook'),
  NOTIFY_OUTBOX_FILE: z.string().min(1).default('data/outbox.jsonl').describe('a file path'),
  NOTIFY_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).describe('an http(s) URL'),
  NOTIFY_WEBHOOK_SECRET: optionalText,
  NOTIFY_EMAIL_TRANSPORT: z
    .enum(['smtp'])
    .optional()
    .describe('smtp, or unset to send e-mail through NOTIFY_TRANSPORT'),
  SMTP_URL: optionalText,
  // A total per send: the socket timeouts are idle timers, which a server trickling replies never trips.
  SMTP_SEND_TIMEOUT_MS: intIn(1000, 600_000, 30_000),
  MAIL_FROM: optionalText
    .pipe(
      z
        .string()
        .regex(/^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/)
        .optional(),
    )
    .describe('a sender address, e.g. Membership <members@example.com>'),
  DEFAULT_LOCALE: z
    .enum(REPLY_LOCALES)
    .default('zh-CN')
    .describe(`one of ${REPLY_LOCALES.join(', ')}`),
  DEFAULT_COUNTRY: z.enum(['CN', 'US']).default('CN').describe('one of CN, US'),
  TRANSCRIPTS_DIR: optionalText,
  TRANSCRIPT_RETENTION_DAYS: intIn(1, 3650, 30),
  LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe(`one of ${LOG_LEVELS.join(', ')}`),
  MEMBER_TOKEN_SECRET: optionalText.pipe(z.string().min(32).optional()).describe('a secret of at least 32 characters'),
  MEMBER_TOKEN_ISSUER: optionalText,
  MEMBER_TOKEN_AUDIENCE: optionalText,
  OTP_HASH_SECRET: optionalText.pipe(z.string().min(32).optional()).describe('a secret of at least 32 characters'),
  SECRETS_DIR: z.string().min(1).default('.secrets').describe('a directory path, apart from the data'),
  PERSONAL_DATA_KEYS: optionalText
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const keys = parsePersonalDataKeys(v);
      if (typeof keys === 'string') {
        ctx.addIssue({ code: 'custom', message: keys });
        return z.NEVER;
      }
      return keys;
    })
    .describe('comma-separated id:key pairs, each key 32 bytes as 64 hex digits or base64, the first sealing'),
  PERSONAL_DATA_INDEX_KEY: optionalText
    .pipe(z.string().min(32).optional())
    .describe('a secret of at least 32 characters'),
  OTP_TTL_SECONDS: intIn(60, 3600, 600),
  OUTBOX_LEASE_SECONDS: intIn(1, 3600, 120),
  OTP_MAX_ATTEMPTS: intIn(1, 20, 5),
  OTP_RESEND_SECONDS: intIn(0, 3600, 60),
  OTP_MAX_PER_HOUR: intIn(1, 100, 5),
  OTP_DEAD_CODES_BEFORE_THROTTLE: intIn(1, 100, 3),
  OTP_THROTTLE_MINUTES: intIn(1, 1440, 15),
  OTP_IDENTIFIERS_PER_CONVERSATION: intIn(1, 100, 3),
  OTP_GUESSES_PER_HOUR_PER_ADDRESS: intIn(1, 10_000, 15),
  OTP_GUESSES_PER_HOUR_PER_RANGE: intIn(1, 100_000, 60),
  VERIFIED_IDLE_MINUTES: intIn(1, 1440, 15),
  STATE_IDLE_DAYS: intIn(1, 365, 30),
  STORE_COMPACT_AFTER: intIn(1, 1_000_000, 5000),
  STORE_COMPACT_PERCENT: intIn(0, 10_000, 100),
  STORE_WARN_MB: intIn(1, 512, 256),
  AUDIT_RETENTION_DAYS: intIn(30, 36_500, 365),
  BILLING_FILE: z.string().min(1).default('data/charges.jsonl').describe('a file path'),
  BILLING_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).describe('an http(s) URL'),
  BILLING_API_KEY: optionalText,
  BILLING_TIMEOUT_MS: intIn(100, 120_000, 10_000),
  RENEWAL_GRACE_DAYS: intIn(0, 60, 7),
  REMINDER_DAYS_MONTHLY: intIn(5, 30, 7),
  REMINDER_DAYS_YEARLY: intIn(5, 30, 15),
  // Parsed after the schema (over the two settings above), so its message can name the entry at fault.
  REMINDER_POLICY: optionalText,
  CHAT_PAGE_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3978/chat')
    .describe('the http(s) address of the chat page, for links in notices'),
  RATE_LIMIT_TURNS_PER_MINUTE: intIn(0, 100_000, 20),
  RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: intIn(0, 10_000_000, 1200),
  API_REQUESTS_PER_MINUTE_PER_KEY: intIn(0, 10_000_000, 600),
  WEBHOOK_URLS: commaList
    .pipe(z.array(z.url({ protocol: /^https?$/ })))
    .describe('a comma-separated list of http(s) URLs that receive the events'),
  // Several while one is rotated: each request carries a signature by each (src/webhooks/webhookSignature.ts).
  WEBHOOK_SECRET: commaList
    .pipe(z.array(z.string().min(32)))
    .describe('one or more comma-separated secrets of at least 32 characters'),
  HOST: optionalText
    .pipe(z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).optional())
    .describe('an IP address to listen on (127.0.0.1, 0.0.0.0, ::) or localhost'),
  ALLOW_UNAUTHENTICATED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('true or false'),
  SERVICE_URL_ALLOWLIST: originList.describe(
    'a comma-separated list of http(s) origins, e.g. https://smba.trafficmanager.net',
  ),
  TRUSTED_PROXIES: optionalText
    .transform((v, ctx) => {
      const entries = parseTrustedProxies(v ?? '');
      if (typeof entries === 'string') {
        ctx.addIssue({ code: 'custom', message: entries });
        return z.NEVER;
      }
      return entries;
    })
    .describe('a comma-separated list of IP addresses and CIDR ranges, e.g. 10.0.0.0/8, 192.0.2.7, 2001:db8::/32'),
  WEBCHAT_TOKEN_SECRET: optionalText.pipe(z.string().min(32).optional()).describe('a secret of at least 32 characters'),
  WEBCHAT_TOKEN_MINUTES: intIn(1, 1440, 30),
  WEBCHAT_SESSION_MINUTES: intIn(1, 10_080, 240),
  WEBCHAT_ALLOWED_ORIGINS: originList.describe(
    'a comma-separated list of http(s) origins, e.g. https://app.example.com',
  ),
  WEBCHAT_STARTS_PER_HOUR_PER_ADDRESS: intIn(0, 1_000_000, 20),
  WEBCHAT_ANONYMOUS_STARTS_PER_HOUR: intIn(0, 10_000_000, 100),
});

type Env = z.infer<typeof envSchema>;
/**
 * The environment as read, with the listening address settled (it depends on authentication) and
 * the notice periods in force (REMINDER_DAYS_* with REMINDER_POLICY's changes).
 */
export type Config = Omit<Env, 'HOST'> & { HOST: string; reminderPolicy: ReminderPolicy };

/** Every variable the configuration reads: docs/CONFIGURATION.md and .env.example are checked against it. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

/** Reads the whole configuration once; the first bad variable throws a {@link ConfigError}. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blanksRemoved);
  if (!parsed.success) throw firstProblem(parsed.error, blanksRemoved);
  const config = parsed.data;
  checkNotifications(config);
  checkDatabase(config);
  checkAuthentication(config);
  checkGuessBudgets(config);
  if (env.NODE_ENV === 'production') checkProduction(config);
  const reminderPolicy = reminderPolicyOf(config);
  // Reachable from other machines only when requests must carry a Bot Framework token, unless HOST says otherwise.
  return { ...config, reminderPolicy, HOST: config.HOST ?? (config.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1') };
}

/** The first variable the schema refused, with what it allows. */
function firstProblem(error: z.ZodError, blanksRemoved: Record<string, string | undefined>): ConfigError {
  const issue = error.issues[0];
  const variable = String(issue.path[0]);
  const field = envSchema.shape[variable as keyof typeof envSchema.shape];
  const allowed = field?.description ?? issue.message;
  return new ConfigError(
    variable,
    blanksRemoved[variable],
    issue.code === 'custom' ? `${allowed}: ${issue.message}` : allowed,
    SECRET_SETTINGS.has(variable),
  );
}

/** The settings each chosen transport needs: the notice webhook's URL and secret, the events' secret, SMTP's. */
function checkNotifications(config: Env): void {
  if (config.NOTIFY_TRANSPORT === 'webhook' && !config.NOTIFY_WEBHOOK_URL) {
    throw new ConfigError('NOTIFY_WEBHOOK_URL', undefined, 'an http(s) URL when NOTIFY_TRANSPORT=webhook');
  }
  if (config.NOTIFY_TRANSPORT === 'webhook' && !config.NOTIFY_WEBHOOK_SECRET) {
    throw new ConfigError('NOTIFY_WEBHOOK_SECRET', undefined, 'a shared secret when NOTIFY_TRANSPORT=webhook');
  }
  if (config.WEBHOOK_URLS.length > 0 && config.WEBHOOK_SECRET.length === 0) {
    throw new ConfigError('WEBHOOK_SECRET', undefined, 'a secret of at least 32 characters when WEBHOOK_URLS is set');
  }
  if (config.NOTIFY_EMAIL_TRANSPORT === 'smtp') checkSmtp(config);
}

function checkSmtp(config: Env): void {
  if (!config.SMTP_URL)
    throw new ConfigError('SMTP_URL', undefined, 'an smtp:// or smtps:// URL when NOTIFY_EMAIL_TRANSPORT=smtp');
  const problem = smtpUrlProblem(config.SMTP_URL);
  if (problem) throw new ConfigError('SMTP_URL', redactSmtpUrl(config.SMTP_URL), problem);
  if (!config.MAIL_FROM)
    throw new ConfigError('MAIL_FROM', undefined, 'a sender address when NOTIFY_EMAIL_TRANSPORT=smtp');
  // A send given up on is recorded before its hold ends, so no other instance sends it meanwhile.
  if (config.SMTP_SEND_TIMEOUT_MS * 2 > config.OUTBOX_LEASE_SECONDS * 1000) {
    const allowed = `at most half of OUTBOX_LEASE_SECONDS (${config.OUTBOX_LEASE_SECONDS} s, how long a message being sent is held)`;
    throw new ConfigError('SMTP_SEND_TIMEOUT_MS', String(config.SMTP_SEND_TIMEOUT_MS), allowed);
  }
}

function checkDatabase(config: Env): void {
  if (!config.DATABASE_URL) return;
  const problem = databaseUrlProblem(config.DATABASE_URL);
  if (problem) throw new ConfigError('DATABASE_URL', redactDatabaseUrl(config.DATABASE_URL), problem);
}

/** Bot Framework's app password, and the host app's token issuer and audience beside its secret. */
function checkAuthentication(config: Env): void {
  if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword) {
    throw new ConfigError('MicrosoftAppPassword', undefined, 'the app password when MicrosoftAppId is set');
  }
  // A shared secret alone would let a token minted for another service, or by another issuer, in.
  if (config.MEMBER_TOKEN_SECRET && !config.MEMBER_TOKEN_ISSUER) {
    throw new ConfigError(
      'MEMBER_TOKEN_ISSUER',
      undefined,
      "the host app's token issuer (the iss claim) when MEMBER_TOKEN_SECRET is set",
    );
  }
  if (config.MEMBER_TOKEN_SECRET && !config.MEMBER_TOKEN_AUDIENCE) {
    throw new ConfigError(
      'MEMBER_TOKEN_AUDIENCE',
      undefined,
      'the audience host tokens are issued for (the aud claim) when MEMBER_TOKEN_SECRET is set',
    );
  }
}

function checkGuessBudgets(config: Env): void {
  // A budget smaller than one code's attempts would never let a code be sent.
  for (const budget of ['OTP_GUESSES_PER_HOUR_PER_ADDRESS', 'OTP_GUESSES_PER_HOUR_PER_RANGE'] as const) {
    if (config[budget] < config.OTP_MAX_ATTEMPTS) {
      const allowed = `at least OTP_MAX_ATTEMPTS (${config.OTP_MAX_ATTEMPTS}, the guesses one code allows)`;
      throw new ConfigError(budget, String(config[budget]), allowed);
    }
  }
}

/** What production must be given rather than defaulted: authentication (or its refusal by name) and the keys. */
function checkProduction(config: Env): void {
  // Without an app id anyone can send activities and name where replies go: in production that
  // must be asked for by name, never be what a missing setting gives.
  if (!config.MicrosoftAppId && !config.ALLOW_UNAUTHENTICATED) {
    throw new ConfigError(
      'MicrosoftAppId',
      undefined,
      'the Azure Bot app id when NODE_ENV=production (authentication on), or ALLOW_UNAUTHENTICATED=true to serve without authentication on purpose',
    );
  }
  // A key generated beside the service is for development: in production it comes from the
  // environment, never from a file a copy of the service's directory would carry along.
  if (!config.OTP_HASH_SECRET) {
    throw new ConfigError(
      'OTP_HASH_SECRET',
      undefined,
      'a secret of at least 32 characters when NODE_ENV=production (the key one-time codes are hashed with)',
    );
  }
  if (!config.PERSONAL_DATA_KEYS) {
    throw new ConfigError(
      'PERSONAL_DATA_KEYS',
      undefined,
      'id:key pairs when NODE_ENV=production (the keys personal data is sealed with at rest)',
    );
  }
  if (!config.PERSONAL_DATA_INDEX_KEY) {
    throw new ConfigError(
      'PERSONAL_DATA_INDEX_KEY',
      undefined,
      'a secret of at least 32 characters when NODE_ENV=production (the key members are looked up by phone and e-mail with)',
    );
  }
}

/** The notice periods in force: REMINDER_DAYS_* with REMINDER_POLICY's changes. */
function reminderPolicyOf(config: Env): ReminderPolicy {
  const base = defaultReminderPolicy({ month: config.REMINDER_DAYS_MONTHLY, year: config.REMINDER_DAYS_YEARLY });
  const reminderPolicy = config.REMINDER_POLICY ? parseReminderPolicy(config.REMINDER_POLICY, base) : base;
  if (typeof reminderPolicy === 'string')
    throw new ConfigError('REMINDER_POLICY', config.REMINDER_POLICY, `${REMINDER_POLICY_FORMAT} (${reminderPolicy})`);
  return reminderPolicy;
}
