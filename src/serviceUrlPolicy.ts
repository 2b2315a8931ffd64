/**
 * Where replies may be sent. An authenticated request's `serviceUrl` is vouched for by its Bot
 * Framework token; an unauthenticated one is whatever the caller wrote, so the bot would POST to
 * any address it is told (a request forger's dream). Then only this machine (the Emulator, the
 * terminal chat) and the origins an operator listed are answered.
 */
export class ServiceUrlPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    private readonly authenticated: boolean,
    allowList: readonly string[],
  ) {
    this.allowed = new Set(allowList);
  }

  allows(serviceUrl: string): boolean {
    if (this.authenticated) return true;
    let url: URL;
    try {
      url = new URL(serviceUrl);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isLoopback(url.hostname) || this.allowed.has(url.origin);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
