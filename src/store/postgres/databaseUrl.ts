/** DATABASE_URL with its password replaced, fit for messages and logs; an unreadable one is not echoed at all. */
export function redactDatabaseUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(not a URL; not shown, it may hold a password)';
  }
}

/** Why DATABASE_URL cannot be used, or null when it can. */
export function databaseUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'a URL such as postgres://user:password@host:5432/membership';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    return 'a postgres:// or postgresql:// URL, e.g. postgres://user:password@host:5432/membership';
  if (!url.hostname && !url.searchParams.get('host'))
    return 'a URL naming the database host, e.g. postgres://user:password@host:5432/membership';
  if (url.pathname.length <= 1) return 'a URL naming the database, e.g. postgres://user:password@host:5432/membership';
  return null;
}
