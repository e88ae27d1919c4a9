// IP addresses in one canonical form (IPv4-mapped IPv6 becomes IPv4), and a fixed-width hex key
// (`4:` + 8 hex digits, `6:` + 32 hex digits) whose string order is address order, so a CIDR
// block is one `BETWEEN lo AND hi` on the stored key.

import ipaddr from 'ipaddr.js';

/**
 * A dotted quad without leading zeros: already canonical, so the hot ingest path (most
 * addresses are IPv4) skips the general parser. Anything else goes through ipaddr.js.
 */
const DOTTED_QUAD = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * What the functions below found about one address string, memoised: they are pure, and ingest
 * asks each of them once per event (validate, canonicalise, key) while a tenant's addresses
 * repeat. Bounded; IPv6 mostly (dotted quads take the fast path and are never stored).
 */
interface Facts {
  valid?: boolean;
  addr?: ipaddr.IPv4 | ipaddr.IPv6;
  canonical?: string;
  key?: string;
}
const FACTS = new Map<string, Facts>();

function factsOf(value: string): Facts {
  let facts = FACTS.get(value);
  if (!facts) {
    if (FACTS.size >= 1000) FACTS.clear();
    facts = {};
    FACTS.set(value, facts);
  }
  return facts;
}

export function isIp(value: string): boolean {
  if (DOTTED_QUAD.test(value)) return true;
  const facts = factsOf(value);
  // IPv6 first: IPv4's validity check throws and catches internally for every other string,
  // which costs more than the rest of an event's validation. (Same answer as
  // `isValid && (fourPartDecimal || IPv6)`, since a four-part decimal is a valid IPv4.)
  facts.valid ??= ipaddr.IPv6.isValid(value) || ipaddr.IPv4.isValidFourPartDecimal(value);
  return facts.valid;
}

export function isCidr(value: string): boolean {
  if (!value.includes('/')) return false;
  try {
    const [addr] = ipaddr.parseCIDR(value);
    return addr.kind() === 'ipv6' || ipaddr.IPv4.isValidFourPartDecimal(value.split('/')[0] ?? '');
  } catch {
    return false;
  }
}

function parseAddr(value: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const facts = factsOf(value);
  facts.addr ??= parseUncached(value);
  return facts.addr;
}

function parseUncached(value: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const addr = ipaddr.parse(value);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr;
}

export function canonicalIp(value: string): string {
  if (DOTTED_QUAD.test(value)) return value;
  const facts = factsOf(value);
  facts.canonical ??= parseAddr(value).toString();
  return facts.canonical;
}

/** Two hex digits per byte value, looked up: ipKey runs once per ingested event. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hexOf(bytes: number[]): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

export function ipKey(value: string): string {
  if (DOTTED_QUAD.test(value)) {
    const [a, b, c, d] = value.split('.');
    return `4:${HEX[Number(a)]}${HEX[Number(b)]}${HEX[Number(c)]}${HEX[Number(d)]}`;
  }
  const facts = factsOf(value);
  if (facts.key === undefined) {
    const addr = parseAddr(value);
    facts.key = `${addr.kind() === 'ipv4' ? '4' : '6'}:${hexOf(addr.toByteArray())}`;
  }
  return facts.key;
}

/** The inclusive range of keys a CIDR block covers. */
export function cidrKeyRange(cidr: string): { lo: string; hi: string } {
  const [parsed, bits] = ipaddr.parseCIDR(cidr);
  let addr: ipaddr.IPv4 | ipaddr.IPv6 = parsed;
  let prefix = bits;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    prefix -= 96;
  }
  const bytes = addr.toByteArray();
  const lo = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    return b & mask;
  });
  const hi = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    return (b & mask) | (~mask & 0xff);
  });
  const tag = addr.kind() === 'ipv4' ? '4' : '6';
  return { lo: `${tag}:${hexOf(lo)}`, hi: `${tag}:${hexOf(hi)}` };
}
