import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv4 } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { rangeOf } from './core/networkAddress.js';

const CLIENT_ADDRESS = Symbol('clientAddress');

/**
 * The address a turn's request came from, when that says who the client is: the server records it
 * for the bot's own web page, whose requests always come from the member's browser, and on
 * /api/messages only without authentication, when clients call directly. Behind Azure Bot Service
 * every request comes from its addresses, and counting them would make all members one requester.
 */
export function clientAddressOf(context: TurnContext): string | undefined {
  return context.turnState.get<string | undefined>(CLIENT_ADDRESS);
}

export function setClientAddress(context: TurnContext, address: string | undefined): void {
  if (address) context.turnState.set(CLIENT_ADDRESS, address);
}

/**
 * Who a request comes from, as every limit counts it: the direct peer, unless it is one of the
 * `trusted` proxies (TRUSTED_PROXIES); then the right-most X-Forwarded-For entry that is not a
 * trusted proxy. Each proxy appends the address that called it, so entries left of that one were
 * written by the client itself and are never believed. An entry that is not an address ends the
 * walk at the proxy that passed it on. Without trusted proxies the header is ignored.
 */
export function clientAddressResolver(trusted: readonly string[]): (req: IncomingMessage) => string | undefined {
  const proxies = new BlockList();
  for (const entry of trusted) {
    // Checked when the configuration was read (parseTrustedProxies).
    const { address, prefix, family } = rangeOf(entry)!;
    proxies.addSubnet(address, prefix, family);
  }
  const isProxy = (address: string) => proxies.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  return (req) => {
    let client = req.socket.remoteAddress;
    if (!client || trusted.length === 0 || !isProxy(client)) return client;
    const hops = [req.headers['x-forwarded-for'] ?? []].flat().join(',').split(',').map(hopAddress);
    for (const hop of hops.reverse()) {
      if (!hop) break;
      client = hop;
      if (!isProxy(hop)) break;
    }
    return client;
  };
}

/** An X-Forwarded-For entry's address, without a port ("192.0.2.7:1234", "[2001:db8::1]:443") or zone. */
function hopAddress(entry: string): string | undefined {
  const text = entry.trim();
  const address = (/^\[([^\]]+)\](?::\d+)?$/.exec(text)?.[1] ?? /^([\d.]+):\d+$/.exec(text)?.[1] ?? text).replace(
    /%.*$/,
    '',
  );
  return isIP(address) ? address : undefined;
}
