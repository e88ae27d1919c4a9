import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { parseInput } from '../../../shared/domain/issues.ts';
import { activityQuerySchema } from '../../../shared/http/routes/activity-query.ts';
import { auditQuerySchema } from '../../../shared/http/routes/audit-query.ts';
import { assertMayReadActivityLog } from '../../../shared/use-cases/activity/query.ts';
import { assertMayExport } from '../../../shared/use-cases/exports/request.ts';

function errorsOf(schema: Parameters<typeof parseInput>[0], query: Record<string, string>) {
  try {
    parseInput(schema, query);
  } catch (err) {
    if (err instanceof ValidationError) return err.errors;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('query validation that teaches', () => {
  it('takes a date alone in from/to as midnight UTC', () => {
    for (const schema of [auditQuerySchema, activityQuerySchema]) {
      const out = parseInput(schema, { from: '2026-11-01', to: '2026-12-01' }) as {
        from?: string;
        to?: string;
      };
      expect(out).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    }
    expect(parseInput(auditQuerySchema, { from: '2026-11-01T10:00:00+01:00' }).from).toBe(
      '2026-11-01T09:00:00.000Z',
    );
  });

  it('hints at URL-encoding when an offset’s + arrived as a space', () => {
    const [e] = errorsOf(auditQuerySchema, { from: '2026-11-01T10:00:00 01:00' });
    expect(e).toMatchObject({ path: 'from' });
    expect(e?.message).toMatch(/%2B/);
    expect(errorsOf(activityQuerySchema, { to: '2026-11-01T10:00 0100' })[0]?.message).toMatch(/%2B/);
  });

  it('gives one error per bad date, and none for their order', () => {
    for (const schema of [auditQuerySchema, activityQuerySchema]) {
      const errors = errorsOf(schema, { from: 'yesterday', to: '2026-13-45' });
      expect(errors.map((e) => e.path)).toEqual(['from', 'to']);
      expect(errorsOf(schema, { from: '2026-02-30', to: '2026-01-01' }).map((e) => e.path)).toEqual(['from']);
    }
  });

  it('names an unknown action and points to GET /v1/catalog', () => {
    const [e] = errorsOf(auditQuerySchema, { action: 'Created,Delted' });
    expect(e).toMatchObject({ path: 'action[1]' });
    expect(e?.message).toMatch(/"Delted".*GET \/v1\/catalog.*actions/);
    expect(errorsOf(activityQuerySchema, { action: 'Finished' })[0]?.message).toMatch(/activityActions/);
  });

  it('lists the allowed values of a short enum', () => {
    expect(errorsOf(auditQuerySchema, { source: 'email' })[0]?.message).toBe(
      '"email" is not one of: web, bulk_invite, csv_import, webhook, api, integration, scheduled_job, system',
    );
    expect(errorsOf(activityQuerySchema, { scope: 'everyone' })[0]?.message).toBe(
      '"everyone" is not one of: company, team, group, managed',
    );
    expect(errorsOf(auditQuerySchema, { system: 'yes' })[0]).toEqual({
      path: 'system',
      message: 'must be true or false',
    });
  });
});

describe('a curator without the reporting claim', () => {
  const curator = { kind: 'user', tenantId: 't1', userId: 'c1', role: 'curator', reporting: false } as const;

  it('is told which claim is missing, for reading and exporting the activity log', () => {
    expect(() => assertMayReadActivityLog(curator)).toThrow(/`reporting` claim/);
    expect(() => assertMayExport(curator, 'activity')).toThrow(/`reporting` claim/);
    expect(() => assertMayReadActivityLog({ ...curator, reporting: true })).not.toThrow();
  });

  it('is not sent looking for a claim that would not help', () => {
    expect(() => assertMayReadActivityLog({ ...curator, role: 'learner' })).toThrow(/^Your role may not/);
    expect(() => assertMayExport(curator, 'audit')).toThrow(/owners and admins/);
  });
});
