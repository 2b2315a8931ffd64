import { isIP } from 'node:net';
import type { SMTPTransportOptions } from 'nodemailer';

/** How long to wait for the mail server before the outbox tries again later. */
export interface SmtpTimeouts {
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

// nodemailer's defaults (2 min to connect, 10 min idle) would hold a delivery pass that long.
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 30_000,
};

/**
 * Settings an operator may add to SMTP_URL as query parameters. nodemailer would take any option
 * from the query, `logger` and `debug` included, and those print the SMTP dialogue with the
 * credentials; so only these are read and any other is refused at start.
 */
const BOOLEAN_PARAMS = new Set(['requireTLS', 'ignoreTLS', 'tls.rejectUnauthorized']);
const TEXT_PARAMS = new Set(['name', 'authMethod', 'tls.servername']);

/** Why SMTP_URL cannot be used, or null when it can; the answer never repeats the URL. */
export function smtpUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'an smtp:// or smtps:// URL such as smtps://user:password@mail.example.com:465';
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return 'an smtp:// or smtps:// URL';
  if (!url.hostname) return 'an smtp:// or smtps:// URL with a host';
  for (const [key, value] of url.searchParams) {
    if (BOOLEAN_PARAMS.has(key) && value !== 'true' && value !== 'false')
      return `${key}=true or ${key}=false in the query`;
    if (!BOOLEAN_PARAMS.has(key) && !TEXT_PARAMS.has(key))
      return `only ${[...BOOLEAN_PARAMS, ...TEXT_PARAMS].join(', ')} as query parameters`;
  }
  return null;
}

/** SMTP_URL with its credentials replaced, for the one place the URL may be shown (a start error). */
export function redactSmtpUrl(text: string): string {
  const at = text.lastIndexOf('@');
  const scheme = text.indexOf('://');
  return at > scheme && scheme >= 0 ? `${text.slice(0, scheme + 3)}***${text.slice(at)}` : text;
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || (isIP(bare) === 4 && bare.startsWith('127.')) || bare === '::1';
}

/**
 * nodemailer's options for an SMTP_URL checked by {@link smtpUrlProblem}. A password is never sent
 * in the clear to another machine: with credentials and a host that is not this one, smtp:// must
 * upgrade with STARTTLS (requireTLS) unless the URL says requireTLS=false.
 */
export function smtpOptions(text: string, timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS): SMTPTransportOptions {
  const url = new URL(text);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const options: SMTPTransportOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && Boolean(user || pass) && !isLoopback(url.hostname),
    connectionTimeout: timeouts.connectionTimeoutMs,
    greetingTimeout: timeouts.greetingTimeoutMs,
    socketTimeout: timeouts.socketTimeoutMs,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(user || pass ? { auth: { user, pass } } : {}),
  };
  const tls: Record<string, string | boolean> = {};
  for (const [key, value] of url.searchParams) {
    const parsed = BOOLEAN_PARAMS.has(key) ? value === 'true' : value;
    if (key.startsWith('tls.')) tls[key.slice(4)] = parsed;
    else (options as Record<string, unknown>)[key] = parsed;
  }
  if (Object.keys(tls).length) options.tls = tls;
  return options;
}

/** The secrets in an SMTP_URL, to be blanked from anything the transport reports. */
export function smtpSecrets(text: string): string[] {
  const url = new URL(text);
  return [url.password, decodeURIComponent(url.password)].filter((s) => s.length > 0);
}
