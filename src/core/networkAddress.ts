import { isIP, isIPv4, isIPv6 } from 'node:net';

/**
 * The entries of TRUSTED_PROXIES (comma-separated addresses and CIDR ranges, e.g. "10.0.0.0/8,
 * 192.0.2.7, 2001:db8::/32"), or what is wrong with the first one that is neither.
 */
export function parseTrustedProxies(text: string): string[] | string {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const wrong = entries.find((entry) => !rangeOf(entry));
  return wrong === undefined ? entries : `${JSON.stringify(wrong)} is neither an IP address nor a CIDR range`;
}

/** An address or CIDR range as BlockList takes it; undefined when it is neither. */
export function rangeOf(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, prefixText, extra] = entry.split('/');
  const version = isIP(address);
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!version || extra !== undefined || !(prefix >= 0 && prefix <= bits)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
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
