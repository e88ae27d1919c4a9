import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../functions/openapi/document.ts';
import { ACTIVITY_ACTIONS } from '../../../shared/domain/activity/event.ts';
import { ACTION_NAMES } from '../../../shared/domain/audit/catalog.ts';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  required?: string[];
};
interface Param {
  name: string;
  in: string;
  schema: Schema;
  style?: string;
  explode?: boolean;
  required?: boolean;
}
const doc = buildDocument() as unknown as {
  paths: Record<string, Record<string, { parameters?: Param[] }>>;
  components: { schemas: Record<string, Schema> };
};
const params = (path: string) =>
  Object.fromEntries((doc.paths[path]?.get?.parameters ?? []).map((p) => [p.name, p]));
const schemas = doc.components.schemas;

describe('the OpenAPI document, as a generated client reads it', () => {
  it('declares enum list filters as arrays of the enum, form-exploded', () => {
    const audit = params('/v1/audit-events');
    expect(audit.action).toMatchObject({ style: 'form', explode: true });
    expect(audit.action?.schema).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: ACTION_NAMES },
    });
    expect(audit.source?.schema.items?.enum).toContain('csv_import');
    expect(audit.requestStatus?.schema.items).toMatchObject({ type: 'integer' });
    expect(audit.actorId?.schema).toMatchObject({ type: 'array', items: { type: 'string' } });
    const activity = params('/v1/activity');
    expect(activity.action?.schema.items?.enum).toEqual([...ACTIVITY_ACTIONS]);
    expect(activity.contentType?.schema.items?.enum).toContain('Quiz');
  });

  it('declares flags as booleans and window bounds as date-time or date', () => {
    const audit = params('/v1/audit-events');
    expect(audit.system?.schema.type).toBe('boolean');
    expect(params('/v1/activity').completed?.schema.type).toBe('boolean');
    for (const p of [audit.from, audit.to, params('/v1/activity').from]) {
      expect(p?.schema.anyOf).toEqual([
        { type: 'string', format: 'date-time' },
        { type: 'string', format: 'date' },
      ]);
    }
    expect(String(audit.from?.schema.description)).toMatch(/midnight UTC/);
  });

  it('types timestamps in responses as date-time', () => {
    for (const [name, field] of [
      ['AuditEntry', 'occurredAt'],
      ['AuditListItem', 'recordedAt'],
      ['ActivityEntry', 'occurredAt'],
      ['Export', 'createdAt'],
      ['Export', 'expiresAt'],
      ['Report', 'updatedAt'],
    ] as const) {
      expect(schemas[name]?.properties?.[field]?.format, `${name}.${field}`).toBe('date-time');
    }
  });

  it('types the filters of exports and reports as the logs’ filter objects', () => {
    const refs = (s: Schema | undefined) => s?.anyOf?.map((x) => x.$ref);
    expect(refs(schemas.ExportRequest?.properties?.filters)).toEqual([
      '#/components/schemas/AuditFilters',
      '#/components/schemas/ActivityFilters',
    ]);
    expect(refs(schemas.ReportInput?.properties?.filters)).toEqual([
      '#/components/schemas/AuditReportFilters',
      '#/components/schemas/ActivityReportFilters',
    ]);
    expect(refs(schemas.Report?.properties?.filters)).toEqual([
      ...(refs(schemas.ReportInput?.properties?.filters) ?? []),
      undefined,
    ]);
    expect(schemas.AuditFilters?.additionalProperties).toBe(false);
    expect(schemas.AuditFilters?.properties?.action?.items?.enum).toEqual(ACTION_NAMES);
    expect(schemas.ActivityReportFilters?.properties?.range?.enum).toContain('previousPeriod');
  });

  it('requires no parameter or field that has a default', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const p of op.parameters ?? []) {
          if ('default' in p.schema) expect(p.required, `${path} ${p.name}`).not.toBe(true);
        }
      }
    }
    for (const name of ['ExportRequest', 'ReportInput', 'ScheduleInput', 'AuditFilters', 'ActivityFilters']) {
      const s = schemas[name];
      for (const [field, def] of Object.entries(s?.properties ?? {})) {
        if ('default' in def) expect(s?.required ?? [], `${name}.${field}`).not.toContain(field);
      }
    }
  });

  it('lists GET /v1/catalog for signed-in callers', () => {
    const op = doc.paths['/v1/catalog']?.get as { responses: Record<string, unknown>; security?: unknown };
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(op.security).toBeUndefined();
  });
});
