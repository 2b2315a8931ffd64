import { isIPv4, isIPv6 } from 'node:net';
import type { TurnContext } from 'botbuilder';

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
 * One spelling per address, so that a limit counts a client once: an IPv4 client seen through a
 * dual-stack socket (::ffff:203.0.113.7) is 203.0.113.7, an IPv6 address is written out in full
 * (eight groups of four digits), without a zone. Anything else is kept as it is.
 */
export function canonicalAddress(address: string): string {
  const bare = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  return isIPv6(bare) ? ipv6Groups(bare).join(':') : bare;
}

/**
 * The network an address belongs to, as one provider hands it out: the /24 of an IPv4 address,
 * the /64 of an IPv6 one (a single subscriber's usual share). Undefined for anything else.
 */
export function networkRange(address: string): string | undefined {
  const canonical = canonicalAddress(address);
  if (isIPv4(canonical)) return `${canonical.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(canonical)) return `${canonical.split(':').slice(0, 4).join(':')}::/64`;
  return undefined;
}

/** The eight groups of a valid IPv6 address, each four digits; a dotted IPv4 tail is two of them. */
function ipv6Groups(address: string): string[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? `${address.slice(0, dotted.index)}${hex16(dotted[1], dotted[2])}:${hex16(dotted[3], dotted[4])}`
    : address;
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const all =
    tail === undefined
      ? groups(head)
      : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.map((group) => group.padStart(4, '0'));
}

function hex16(high: string, low: string): string {
  return ((Number(high) << 8) | Number(low)).toString(16);
}
