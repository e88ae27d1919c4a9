import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { canonicalIp, ipKey, isIp } from '../../../shared/domain/audit/ip.ts';

/** The rule as first written: ipaddr.js accepts it, and it is a four-part decimal IPv4 or an IPv6. */
const rule = (v: string) =>
  ipaddr.isValid(v) && (ipaddr.IPv4.isValidFourPartDecimal(v) || ipaddr.IPv6.isValid(v));

describe('isIp', () => {
  it.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['2001:db8::1', true],
    ['::ffff:10.0.0.1', true],
    ['fe80::1%eth0', true],
    ['::', true],
    ['256.0.0.1', false],
    ['010.0.0.1', false],
    ['10.1', false],
    ['0x0a.0.0.1', false],
    ['2001:db8::g', false],
    ['', false],
    ['localhost', false],
  ])('%s → %s', (value, expected) => {
    expect(isIp(value)).toBe(expected);
    expect(rule(value)).toBe(expected);
  });

  it('agrees with the original rule on generated addresses and near-misses', () => {
    const v4 = fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join('.'));
    const v6 = fc.ipV6();
    const mangled = fc
      .tuple(fc.oneof(v4, v6, fc.ipV4Extended()), fc.string({ maxLength: 3 }), fc.nat(40))
      .map(([s, junk, at]) => s.slice(0, at) + junk + s.slice(at));
    fc.assert(
      fc.property(fc.oneof(v4, v6, fc.ipV4(), fc.ipV4Extended(), mangled, fc.string()), (value) => {
        expect(isIp(value)).toBe(rule(value));
      }),
      { seed: 20261122, numRuns: 5000 },
    );
  });
});

describe('ipKey', () => {
  /** The key as first written: `4:`/`6:` + two hex digits per byte of the parsed address. */
  const reference = (v: string) => {
    let addr = ipaddr.parse(v);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
    }
    const hex = addr
      .toByteArray()
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    return `${addr.kind() === 'ipv4' ? '4' : '6'}:${hex}`;
  };

  it('is the fixed-width hex of the address bytes, IPv4-mapped IPv6 as IPv4', () => {
    expect(ipKey('10.0.0.1')).toBe('4:0a000001');
    expect(ipKey('255.255.255.0')).toBe('4:ffffff00');
    expect(ipKey('::ffff:10.0.0.1')).toBe('4:0a000001');
    expect(ipKey('2001:db8::1')).toBe('6:20010db8000000000000000000000001');
  });

  it('agrees with the byte-by-byte reference on generated addresses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (value) => {
        expect(ipKey(value)).toBe(reference(value));
      }),
      { seed: 20261122, numRuns: 3000 },
    );
  });
});

describe('the memoised answers', () => {
  it('stay what a fresh computation gives, through repeats and evictions', () => {
    const canonical = (v: string) => {
      const addr = ipaddr.parse(v);
      return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()
        ? (addr as ipaddr.IPv6).toIPv4Address().toString()
        : addr.toString();
    };
    const values = fc.sample(fc.oneof(fc.ipV6(), fc.ipV4(), fc.string({ maxLength: 12 })), {
      seed: 7,
      numRuns: 2500,
    });
    for (let pass = 0; pass < 2; pass++) {
      for (const v of values) {
        expect(isIp(v)).toBe(rule(v));
        if (rule(v)) {
          expect(canonicalIp(v)).toBe(canonical(v));
          expect(ipKey(canonicalIp(v))).toBe(ipKey(v));
        }
      }
    }
  });
});
