const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'];

/**
 * DATABASE_URL with its password replaced, fit for messages and logs. Anything but a postgres://
 * URL is not echoed at all: where its password sits cannot be told ("user:secret at host" parses
 * as a URL of the scheme "user:").
 */
export function redactDatabaseUrl(text: string): string {
  try {
    const url = new URL(text);
    if (POSTGRES_PROTOCOLS.includes(url.protocol)) {
      if (url.password) url.password = '***';
      return url.toString();
    }
  } catch {
    // Not a URL: not shown either.
  }
  return '(not shown: not a postgres:// URL, and it may hold a password)';
}

/** Why DATABASE_URL cannot be used, or null when it can. */
export function databaseUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'a URL such as postgres://user:password@host:5432/membership';
  }
  if (!POSTGRES_PROTOCOLS.includes(url.protocol))
    return 'a postgres:// or postgresql:// URL, e.g. postgres://user:password@host:5432/membership';
  if (!url.hostname && !url.searchParams.get('host'))
    return 'a URL naming the database host, e.g. postgres://user:password@host:5432/membership';
  if (url.pathname.length <= 1) return 'a URL naming the database, e.g. postgres://user:password@host:5432/membership';
  return null;
}

/** Which database DATABASE_URL names, as "host:port/database", without user or password. */
export function databaseLocation(text: string): string {
  try {
    const url = new URL(text);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(the user’s default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return '(not shown: DATABASE_URL is not a URL)';
  }
}
