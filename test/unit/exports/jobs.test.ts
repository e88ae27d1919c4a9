import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  NotFoundError,
  QuotaExceededError,
  UnavailableError,
  ValidationError,
} from '../../../shared/domain/errors.ts';
import { verifyDownloadToken } from '../../../shared/domain/exports/download-token.ts';
import { resolveDownload } from '../../../shared/use-cases/exports/download.ts';
import { executeExport } from '../../../shared/use-cases/exports/execute.ts';
import { getExport } from '../../../shared/use-cases/exports/get.ts';
import { requestExport } from '../../../shared/use-cases/exports/request.ts';
import { runExport } from '../../../shared/use-cases/exports/run.ts';
import { activityEntry, auditEntry, caller, makeDeps, SIGNING_KEY } from './fakes.ts';

let deps: ReturnType<typeof makeDeps>;
beforeEach(() => {
  deps = makeDeps();
});

const activityCsv = { log: 'activity', format: 'csv', filters: {} } as const;

describe('requesting an export', () => {
  it('answers a fourth export of a user while three are queued or running with a 429 quota error', async () => {
    for (let i = 0; i < 3; i++) await requestExport(deps, caller('admin'), activityCsv);
    const fourth = requestExport(deps, caller('admin'), activityCsv);
    await expect(fourth).rejects.toBeInstanceOf(QuotaExceededError);
    await expect(fourth).rejects.toMatchObject({ statusCode: 429, retryAfterSeconds: 30 });
    expect(deps.store.jobs.size).toBe(3);
    // Once one ends, the user may ask again.
    const [first] = [...deps.store.jobs.values()];
    await deps.store.transition(first!.tenantId, first!.id, ['queued'], 'failed', { error: 'x' });
    await expect(requestExport(deps, caller('admin'), activityCsv)).resolves.toMatchObject({
      status: 'queued',
    });
  });

  it('stores a queued job, records it in the audit log and dispatches the worker', async () => {
    deps.directory.users.set('u-admin', {
      id: 'u-admin',
      firstName: 'Adam',
      lastName: 'Admin',
      email: 'a@x',
      role: 'admin',
      status: 'active',
    });
    const out = await requestExport(
      deps,
      caller('admin'),
      { log: 'audit', format: 'json', filters: { action: ['Created', 'Deleted'], system: false, limit: 5 } },
      { ip: '10.1.2.3', userAgent: 'Mozilla' },
    );
    expect(out).toEqual({ id: 'EXP001', status: 'queued' });
    const job = await deps.store.get('t1', 'EXP001');
    expect(job).toMatchObject({
      status: 'queued',
      log: 'audit',
      format: 'json',
      requester: { userId: 'u-admin', role: 'admin', reporting: false },
      filters: { action: 'Created,Deleted', system: 'false', to: '2026-11-22T10:00:00.000Z' },
    });
    expect(job?.filters).not.toHaveProperty('limit');
    // Forgotten a day after the 7-day link.
    expect(deps.store.expiries.get('t1#EXP001')).toBe(Date.parse('2026-11-30T10:00:00.000Z') / 1000);
    expect(deps.audit.events).toEqual([
      {
        id: 'export-EXP001',
        tenantId: 't1',
        occurredAt: '2026-11-22T10:00:00.000Z',
        actor: { type: 'user', id: 'u-admin', name: 'Adam Admin' },
        action: 'Created',
        object: { type: 'CsvExport', id: 'EXP001', name: 'Audit log export (NDJSON)' },
        source: { kind: 'web' },
        ip: '10.1.2.3',
        userAgent: 'Mozilla',
        details: {
          log: 'audit',
          format: 'json',
          variant: 'standard',
          filters: { action: 'Created,Deleted', system: 'false', to: '2026-11-22T10:00:00.000Z' },
        },
      },
    ]);
    expect(deps.dispatcher.refs).toEqual([{ tenantId: 't1', exportId: 'EXP001' }]);
  });

  it('keeps an explicit window end', async () => {
    await requestExport(deps, caller('hr'), { ...activityCsv, filters: { to: '2026-11-01T00:00:00.000Z' } });
    expect((await deps.store.get('t1', 'EXP001'))?.filters.to).toBe('2026-11-01T00:00:00.000Z');
  });

  it.each(['learner', 'curator'] as const)('forbids a %s to export activity', async (role) => {
    await expect(requestExport(deps, caller(role), activityCsv)).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.store.jobs.size).toBe(0);
    expect(deps.audit.events).toHaveLength(0);
  });

  it('lets a manager and a curator with reporting export activity', async () => {
    await requestExport(deps, caller('manager'), activityCsv);
    await requestExport(deps, { ...caller('curator'), reporting: true }, activityCsv);
    expect(deps.dispatcher.refs).toHaveLength(2);
  });

  it.each(['hr', 'reporter', 'manager', 'learner'] as const)(
    'forbids a %s to export the audit log',
    async (role) => {
      await expect(
        requestExport(deps, caller(role), { log: 'audit', format: 'csv', filters: {} }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    },
  );

  it('rejects invalid filters with paths under filters, writing nothing', async () => {
    const err = await requestExport(deps, caller('admin'), {
      ...activityCsv,
      filters: { from: 'yesterday', bogus: 'x' },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((e) => e.path)).toEqual(['filters.from', 'filters.bogus']);
    expect(deps.store.jobs.size).toBe(0);
    expect(deps.dispatcher.refs).toHaveLength(0);
  });

  it('does not run an export it could not record in the audit log', async () => {
    deps.audit.fail = true;
    await expect(requestExport(deps, caller('admin'), activityCsv)).rejects.toThrow();
    expect(deps.dispatcher.refs).toHaveLength(0);
    expect((await deps.store.get('t1', 'EXP001'))?.status).toBe('failed');
  });

  it('marks the job failed when the worker cannot be started', async () => {
    deps.dispatcher.fail = true;
    await expect(requestExport(deps, caller('admin'), activityCsv)).rejects.toThrow();
    const job = await deps.store.get('t1', 'EXP001');
    expect(job).toMatchObject({
      status: 'failed',
      error: 'The export could not be started. Please try again.',
    });
  });
});

describe('running an export', () => {
  async function queued(role: Parameters<typeof caller>[0] = 'admin', input = activityCsv) {
    const { id } = await requestExport(deps, caller(role), input);
    return id;
  }

  it('moves queued → running → succeeded and publishes the file with its row count', async () => {
    deps.sources.activityEntries = [activityEntry(1), activityEntry(2)];
    const id = await queued();
    const outcome = await executeExport(deps, { tenantId: 't1', exportId: id });
    expect(outcome.status).toBe('succeeded');
    expect(deps.store.history.map((h) => h.to)).toEqual(['running', 'succeeded']);
    const job = await deps.store.get('t1', id);
    expect(job).toMatchObject({
      status: 'succeeded',
      rowCount: 2,
      fileKey: `exports/t1/${id}.csv`,
      startedAt: '2026-11-22T10:00:00.000Z',
      finishedAt: '2026-11-22T10:00:00.000Z',
    });
    const file = deps.files.objects.get(`exports/t1/${id}.csv`);
    expect(file?.contentType).toBe('text/csv; charset=utf-8');
    const rows = parse(file!.body, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => r['Unique ID'])).toEqual(['c1', 'c2']);
  });

  it('queries as the requester, with the stored filters', async () => {
    deps.sources.activityEntries = [
      activityEntry(1, { user: { id: 'report-1', name: 'R One' } }),
      activityEntry(2, { user: { id: 'stranger', name: 'S Two' } }),
    ];
    const id = await queued('manager', { ...activityCsv, filters: { scope: 'managed' } } as never);
    await executeExport(deps, { tenantId: 't1', exportId: id });
    expect(deps.sources.callers[0]).toEqual({
      kind: 'user',
      tenantId: 't1',
      userId: 'u-manager',
      role: 'manager',
      reporting: false,
    });
    expect(deps.sources.seenFilters[0]).toMatchObject({ scope: 'managed' });
    expect((await deps.store.get('t1', id))?.rowCount).toBe(1);
  });

  it('starts a CSV with a UTF-8 BOM by default, and leaves it out when csvBom is false', async () => {
    deps.sources.activityEntries = [activityEntry(1)];
    const withBom = await queued();
    const without = await queued('admin', { ...activityCsv, csvBom: false } as never);
    for (const id of [withBom, without]) await executeExport(deps, { tenantId: 't1', exportId: id });
    expect(deps.files.objects.get(`exports/t1/${withBom}.csv`)?.body.startsWith('\ufeffFirst name,')).toBe(
      true,
    );
    expect(deps.files.objects.get(`exports/t1/${without}.csv`)?.body.startsWith('First name,')).toBe(true);
    expect((await deps.store.get('t1', without))?.csvBom).toBe(false);
  });

  it('writes NDJSON for json exports, never with a BOM', async () => {
    deps.sources.auditEntries = [auditEntry(1), auditEntry(2)];
    const id = await queued('owner', { log: 'audit', format: 'json', filters: {} } as never);
    await executeExport(deps, { tenantId: 't1', exportId: id });
    const file = deps.files.objects.get(`exports/t1/${id}.ndjson`);
    expect(file?.contentType).toBe('application/x-ndjson; charset=utf-8');
    expect(file?.body.startsWith('{')).toBe(true);
    expect(
      file!.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(deps.sources.auditEntries);
  });

  it('marks the job failed, with a safe message and no file, when the query fails midway', async () => {
    deps.sources.activityEntries = Array.from({ length: 500 }, (_, i) => activityEntry(i));
    deps.sources.failAfter = 250;
    const id = await queued();
    const outcome = await executeExport(deps, { tenantId: 't1', exportId: id });
    expect(outcome.status).toBe('failed');
    const job = await deps.store.get('t1', id);
    expect(job?.status).toBe('failed');
    expect(job?.fileKey).toBeUndefined();
    expect(job?.rowCount).toBeUndefined();
    expect(job?.error).toBe(
      'The export could not be completed because a service was unavailable. Please try again.',
    );
    expect(job?.error).not.toMatch(/DynamoDB|Provisioned/);
    expect(deps.files.objects.size).toBe(0);
    expect(deps.store.history.map((h) => h.to)).toEqual(['running', 'failed']);
  });

  it('marks the job failed and never succeeded when storage fails mid-upload', async () => {
    deps.sources.activityEntries = Array.from({ length: 2000 }, (_, i) => activityEntry(i));
    deps.files.failAfterBytes = 50_000;
    const id = await queued();
    await executeExport(deps, { tenantId: 't1', exportId: id });
    const job = await deps.store.get('t1', id);
    expect(job?.status).toBe('failed');
    expect(job?.fileKey).toBeUndefined();
    expect(job?.error).not.toMatch(/SDK|socket|RequestId/);
    expect(deps.store.history.map((h) => h.to)).not.toContain('succeeded');
    const view = await getExport(deps, caller('admin'), id);
    expect(view.downloadUrl).toBeUndefined();
    expect(view.status).toBe('failed');
  });

  it('shows the reason when the requester may no longer see what they asked for', async () => {
    const id = await queued();
    deps.sources.failAfter = 0;
    deps.sources.failWith = new ForbiddenError('You may not read this team.');
    await executeExport(deps, { tenantId: 't1', exportId: id });
    expect((await deps.store.get('t1', id))?.error).toBe('You may not read this team.');
  });

  it('runs a job once, however often the worker is invoked', async () => {
    deps.sources.activityEntries = [activityEntry(1)];
    const id = await queued();
    const [a, b] = await Promise.all([
      executeExport(deps, { tenantId: 't1', exportId: id }),
      executeExport(deps, { tenantId: 't1', exportId: id }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['skipped', 'succeeded']);
    expect((await executeExport(deps, { tenantId: 't1', exportId: id })).status).toBe('skipped');
    expect((await executeExport(deps, { tenantId: 't1', exportId: 'nope' })).status).toBe('skipped');
    expect(deps.store.history.filter((h) => h.to === 'running')).toHaveLength(1);
  });
});

describe('reading an export', () => {
  async function succeeded(role: Parameters<typeof caller>[0] = 'hr') {
    deps.sources.activityEntries = [activityEntry(1)];
    const { id } = await requestExport(deps, caller(role), activityCsv);
    await executeExport(deps, { tenantId: 't1', exportId: id });
    return id;
  }

  it('shows the requester a succeeded export with a signed 7-day download link', async () => {
    const id = await succeeded();
    const view = await getExport(deps, caller('hr'), id);
    expect(view).toMatchObject({
      id,
      log: 'activity',
      format: 'csv',
      status: 'succeeded',
      rowCount: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      finishedAt: '2026-11-22T10:00:00.000Z',
      expiresAt: '2026-11-29T10:00:00.000Z',
    });
    const prefix = 'https://logbook.example/v1/downloads/';
    expect(view.downloadUrl?.startsWith(prefix)).toBe(true);
    const token = view.downloadUrl!.slice(prefix.length);
    expect(verifyDownloadToken(SIGNING_KEY, token, Date.parse('2026-11-29T09:59:00Z') / 1000)).toEqual({
      tenantId: 't1',
      exportId: id,
      expiresAt: Date.parse('2026-11-29T10:00:00Z') / 1000,
    });
  });

  it('shows a queued export without a link', async () => {
    const { id } = await requestExport(deps, caller('hr'), activityCsv);
    const view = await getExport(deps, caller('hr'), id);
    expect(view.status).toBe('queued');
    expect(view.downloadUrl).toBeUndefined();
  });

  it('lets owners and admins read anyone’s export', async () => {
    const id = await succeeded();
    expect((await getExport(deps, caller('owner', 'someone'), id)).status).toBe('succeeded');
    expect((await getExport(deps, caller('admin', 'other'), id)).status).toBe('succeeded');
  });

  it('answers 404 to other users and other tenants, as for an unknown id', async () => {
    const id = await succeeded();
    await expect(getExport(deps, caller('hr', 'u-other-hr'), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getExport(deps, caller('manager'), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getExport(deps, caller('hr', 'u-hr', 't2'), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getExport(deps, caller('hr'), 'unknown')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports a job whose worker died as failed', async () => {
    const { id } = await requestExport(deps, caller('hr'), activityCsv);
    deps.clock.at = new Date('2026-11-22T11:00:00.000Z');
    const view = await getExport(deps, caller('hr'), id);
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(/did not finish/);
  });
});

describe('downloading', () => {
  async function link() {
    deps.sources.activityEntries = [activityEntry(1)];
    const { id } = await requestExport(deps, caller('hr'), { ...activityCsv, variant: 'elearning' });
    await executeExport(deps, { tenantId: 't1', exportId: id });
    const view = await getExport(deps, caller('hr'), id);
    return { id, token: view.downloadUrl!.split('/').at(-1)! };
  }

  it('presigns a fresh short-lived URL naming the file, on every call', async () => {
    const { id, token } = await link();
    const first = await resolveDownload(deps, token);
    const second = await resolveDownload(deps, token);
    expect(first).not.toBe(second);
    expect(deps.files.presigned[0]).toEqual({
      key: `exports/t1/${id}.csv`,
      options: {
        filename: 'activity-log-elearning_2026-08-22_2026-11-22.csv',
        contentType: 'text/csv; charset=utf-8',
        expiresInSeconds: 300,
      },
    });
    // The stored object names itself too (its own Content-Disposition).
    expect(deps.files.objects.get(`exports/t1/${id}.csv`)?.filename).toBe(
      'activity-log-elearning_2026-08-22_2026-11-22.csv',
    );
  });

  it('names an ad-hoc file by its log and the window it covers, the last day inclusive', async () => {
    deps.sources.activityEntries = [activityEntry(1)];
    const { id } = await requestExport(deps, caller('hr'), {
      ...activityCsv,
      filters: { from: '2026-11-01', to: '2026-11-08T00:00:00Z' },
    });
    await executeExport(deps, { tenantId: 't1', exportId: id });
    const view = await getExport(deps, caller('hr'), id);
    await resolveDownload(deps, view.downloadUrl!.split('/').at(-1)!);
    expect(deps.files.presigned.at(-1)?.options.filename).toBe('activity-log_2026-11-01_2026-11-07.csv');
  });

  it('answers 404 for an expired, altered or unknown token', async () => {
    const { token } = await link();
    const tampered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    await expect(resolveDownload(deps, tampered)).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveDownload(deps, 'not-a-token')).rejects.toBeInstanceOf(NotFoundError);
    deps.clock.at = new Date('2026-11-29T10:00:01.000Z');
    await expect(resolveDownload(deps, token)).rejects.toBeInstanceOf(NotFoundError);
    expect(deps.files.presigned).toHaveLength(0);
  });

  it('answers 404 when the job is gone', async () => {
    const { token } = await link();
    deps.store.jobs.clear();
    await expect(resolveDownload(deps, token)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('runExport (scheduled runs)', () => {
  it('runs to completion, records a scheduled_job audit entry and returns the link', async () => {
    deps.sources.activityEntries = [activityEntry(1), activityEntry(2), activityEntry(3)];
    const out = await runExport(deps, {
      tenantId: 't1',
      caller: { userId: 'u-owner', role: 'owner', reporting: false },
      log: 'activity',
      format: 'csv',
      filters: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' },
      source: { kind: 'scheduled_job', name: 'Weekly compliance' },
    });
    expect(out).toMatchObject({ exportId: 'EXP001', rowCount: 3, expiresAt: '2026-11-29T10:00:00.000Z' });
    expect(out.downloadUrl).toMatch(/^https:\/\/logbook\.example\/v1\/downloads\/[\w-]+\.[\w-]+$/);
    expect(deps.audit.events[0]?.source).toEqual({ kind: 'scheduled_job', name: 'Weekly compliance' });
    expect(deps.files.objects.has('exports/t1/EXP001.csv')).toBe(true);
    expect(deps.dispatcher.refs).toHaveLength(0);
    expect((await deps.store.get('t1', 'EXP001'))?.source).toBe('scheduled_job');
  });

  it('rejects with the domain error when the owner lost access, and with 503 on a dependency failure', async () => {
    const base = {
      tenantId: 't1',
      caller: { userId: 'u', role: 'learner' as const, reporting: false },
      log: 'activity' as const,
      format: 'csv' as const,
      filters: {},
      source: 'scheduled_job' as const,
    };
    await expect(runExport(deps, base)).rejects.toBeInstanceOf(ForbiddenError);
    deps.sources.failAfter = 0;
    const err = await runExport(deps, { ...base, caller: { ...base.caller, role: 'admin' } }).catch((e) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((await deps.store.get('t1', 'EXP001'))?.status).toBe('failed');
  });
});
