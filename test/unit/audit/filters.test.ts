import { describe, expect, it } from 'vitest';
import { auditFiltersSchema } from '../../../shared/domain/audit/filters.ts';
import { cidrKeyRange, ipKey } from '../../../shared/domain/audit/ip.ts';
import { addMonths } from '../../../shared/domain/time.ts';

describe('audit filters', () => {
  it('normalises lists, methods, content types, booleans and IPs', () => {
    const f = auditFiltersSchema.parse({
      action: 'Deleted, Created,Deleted',
      requestMethod: 'post,get',
      requestContentType: 'Application/JSON; charset=utf-8',
      requestStatus: '201,200',
      system: 'false',
      ip: '::ffff:10.0.0.1',
      from: '2026-01-01T01:00:00+01:00',
    });
    expect(f).toMatchObject({
      action: ['Created', 'Deleted'],
      requestMethod: ['GET', 'POST'],
      requestContentType: ['application/json'],
      requestStatus: [200, 201],
      system: false,
      ip: '10.0.0.1',
      from: '2026-01-01T00:00:00.000Z',
      order: 'desc',
    });
    expect(auditFiltersSchema.parse({ source: ['api', 'web'] }).source).toEqual(['api', 'web']);
  });

  it('rejects unknown catalog values, bad IPs and a from after to, naming the field', () => {
    const r = auditFiltersSchema.safeParse({
      action: 'Exploded',
      objectType: 'Spaceship',
      ip: '10.0.0.0/33',
      from: '2026-02-01T00:00:00Z',
      to: '2026-01-01T00:00:00Z',
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['action', 'objectType', 'ip']));
  });

  it('orders IP keys like addresses and turns CIDR blocks into key ranges', () => {
    expect(ipKey('10.0.0.2') > ipKey('10.0.0.10')).toBe(false);
    const { lo, hi } = cidrKeyRange('10.0.0.0/24');
    expect(ipKey('10.0.0.255') >= lo && ipKey('10.0.0.255') <= hi).toBe(true);
    expect(ipKey('10.0.1.0') > hi).toBe(true);
    const v6 = cidrKeyRange('2001:db8::/32');
    expect(ipKey('2001:db8:ffff::1') <= v6.hi).toBe(true);
    expect(ipKey('2001:db9::') > v6.hi).toBe(true);
  });

  it('adds calendar months in UTC, clamping the day', () => {
    expect(addMonths(new Date('2026-05-31T10:00:00Z'), -3).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2026-11-15T00:00:00Z'), 18).toISOString()).toBe('2028-05-15T00:00:00.000Z');
  });
});
