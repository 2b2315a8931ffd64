import { canonicalAddress, networkRange } from '../src/clientAddress.js';

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
