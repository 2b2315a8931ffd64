import type { IncomingHttpHeaders } from 'node:http';

/**
 * The site a browser says a request comes from when it is not the page's own nor an `allowed`
 * origin (WEBCHAT_ALLOWED_ORIGINS, the host apps that post to the page); null when it may go on.
 * Browsers send `Origin` with every POST: it names its site and must be the page's own (its host
 * and port are the request's Host) or an allowed one. Without it, `Sec-Fetch-Site` saying the
 * request came from another site is enough to refuse it. A request with neither is no browser's
 * cross-site request (a WebView loading a POST, a client of the API): it goes on.
 */
export function crossSiteOrigin(headers: IncomingHttpHeaders, allowed: readonly string[]): string | null {
  const { origin, host } = headers;
  if (origin !== undefined) return allowed.includes(origin) || hostOf(origin) === host?.toLowerCase() ? null : origin;
  const site = headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site' ? `a ${site} request` : null;
}

/** An origin's host and port as a Host header writes them; undefined for "null" or anything not a URL. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}
