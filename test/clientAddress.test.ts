import type { IncomingMessage } from 'node:http';
import { clientAddressResolver } from '../src/clientAddress.js';
import { canonicalAddress, networkRange, parseTrustedProxies } from '../src/core/networkAddress.js';

/** A request as the server sees it: the direct peer and an X-Forwarded-For header. */
const from = (peer: string, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('client addresses as the limits count them', () => {
  it('spells each address one way: IPv4 through a dual-stack socket as IPv4, IPv6 in full, no zone', () => {
    expect(canonicalAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalAddress('2001:DB8::1')).toBe('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(canonicalAddress('2001:db8:0:0:0:0:0:1')).toBe('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(canonicalAddress('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(canonicalAddress('fe80::1%eth0')).toBe('fe80:0000:0000:0000:0000:0000:0000:0001');
    expect(canonicalAddress('64:ff9b::192.0.2.33')).toBe('0064:ff9b:0000:0000:0000:0000:c000:0221');
    expect(canonicalAddress('unknown')).toBe('unknown');
  });

  it('puts an IPv4 address in its /24 and an IPv6 address in its /64', () => {
    expect(networkRange('198.51.100.7')).toBe('198.51.100.0/24');
    expect(networkRange('::ffff:198.51.100.250')).toBe('198.51.100.0/24');
    expect(networkRange('198.51.101.7')).toBe('198.51.101.0/24');
    expect(networkRange('2001:db8:1:2::a')).toBe('2001:0db8:0001:0002::/64');
    expect(networkRange('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:0db8:0001:0002::/64');
    expect(networkRange('2001:db8:1:3::a')).toBe('2001:0db8:0001:0003::/64');
    expect(networkRange('::1')).toBe('0000:0000:0000:0000::/64');
    expect(networkRange('unknown')).toBeUndefined();
  });
});

describe('the client address behind trusted proxies', () => {
  const behind = clientAddressResolver(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);

  it('believes X-Forwarded-For from a trusted proxy only: the right-most address no trusted proxy added', () => {
    expect(behind(from('10.1.2.3', '198.51.100.7'))).toBe('198.51.100.7');
    expect(behind(from('10.1.2.3', '6.6.6.6, 198.51.100.7, 192.0.2.7'))).toBe('198.51.100.7');
    expect(behind(from('::ffff:10.1.2.3', '198.51.100.7'))).toBe('198.51.100.7');
    expect(behind(from('2001:db8::5', '[2001:db8:1::9]:443, 2001:ffff::1'))).toBe('2001:ffff::1');
    expect(behind(from('10.1.2.3', '198.51.100.7:51234'))).toBe('198.51.100.7');
    expect(behind(from('10.1.2.3', ['6.6.6.6', '198.51.100.8']))).toBe('198.51.100.8');
    // Every hop a trusted proxy: the first of them is the client (a proxy calling on its own).
    expect(behind(from('10.1.2.3', '10.9.9.9, 192.0.2.7'))).toBe('10.9.9.9');
  });

  it('keeps the direct peer when it is no trusted proxy, sends nothing, or passes on what is no address', () => {
    expect(behind(from('198.51.100.9', '6.6.6.6'))).toBe('198.51.100.9');
    expect(behind(from('10.1.2.3'))).toBe('10.1.2.3');
    expect(behind(from('10.1.2.3', 'unknown'))).toBe('10.1.2.3');
    expect(behind(from('10.1.2.3', '198.51.100.7, garbage, 192.0.2.7'))).toBe('192.0.2.7');
    expect(clientAddressResolver([])(from('10.1.2.3', '198.51.100.7'))).toBe('10.1.2.3');
  });

  it('reads TRUSTED_PROXIES as addresses and CIDR ranges, and names the first entry that is neither', () => {
    expect(parseTrustedProxies(' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,')).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
    ]);
    for (const wrong of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', '2001:db8::/129', '10.0.0.1/'])
      expect(parseTrustedProxies(`192.0.2.7, ${wrong}`)).toBe(`"${wrong}" is neither an IP address nor a CIDR range`);
  });
});
