import type { Readable } from 'node:stream';
import type { UserCaller } from '../../../shared/domain/caller.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';
import type { ActivityEntryLike, AuditEntryLike } from '../../../shared/domain/exports/entries.ts';
import type { ExportJob } from '../../../shared/domain/exports/export-job.ts';
import type {
  AuditRecorder,
  DirectoryLookup,
  DirectoryUserRecord,
  EntrySources,
  ExportAuditEvent,
  ExportDispatcher,
  ExportFiles,
  ExportJobUpdate,
  ExportStore,
  PresignOptions,
} from '../../../shared/use-cases/exports/ports.ts';

/** In-memory stand-ins for the export use cases' ports. */
export class MemoryExportStore implements ExportStore {
  readonly jobs = new Map<string, ExportJob>();
  readonly expiries = new Map<string, number>();
  readonly history: Array<{ id: string; to: string }> = [];
  async claimSlot(job: ExportJob, max: number) {
    const active = [...this.jobs.values()].filter(
      (j) =>
        j.tenantId === job.tenantId &&
        j.requester.userId === job.requester.userId &&
        (j.status === 'queued' || j.status === 'running'),
    );
    return active.length < max;
  }

  async create(job: ExportJob, expiresAt: number) {
    this.jobs.set(`${job.tenantId}#${job.id}`, structuredClone(job));
    this.expiries.set(`${job.tenantId}#${job.id}`, expiresAt);
  }
  async get(tenantId: string, id: string) {
    const j = this.jobs.get(`${tenantId}#${id}`);
    return j ? structuredClone(j) : null;
  }
  async transition(
    tenantId: string,
    id: string,
    from: readonly ExportJob['status'][],
    to: ExportJob['status'],
    changes: ExportJobUpdate,
  ) {
    const j = this.jobs.get(`${tenantId}#${id}`);
    if (!j || !from.includes(j.status)) return false;
    Object.assign(j, changes, { status: to });
    this.history.push({ id, to });
    return true;
  }
}

export class MemoryFiles implements ExportFiles {
  readonly objects = new Map<string, { body: string; contentType: string; filename?: string }>();
  readonly presigned: Array<{ key: string; options: PresignOptions }> = [];
  /** Fail after this many bytes were read from the body (a storage failure mid-upload). */
  failAfterBytes: number | undefined;
  async upload(key: string, body: Readable, contentType: string, filename?: string) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += b.length;
      if (this.failAfterBytes !== undefined && size > this.failAfterBytes) {
        body.destroy();
        throw new Error('AWS SDK internal: socket hang up at UploadPart (RequestId ABC123)');
      }
      chunks.push(b);
    }
    this.objects.set(key, {
      body: Buffer.concat(chunks).toString('utf8'),
      contentType,
      ...(filename ? { filename } : {}),
    });
  }
  async presignDownload(key: string, options: PresignOptions) {
    this.presigned.push({ key, options });
    return `https://storage.example/${key}?sig=fresh-${this.presigned.length}`;
  }
}

export class FakeSources implements EntrySources {
  activityEntries: ActivityEntryLike[] = [];
  auditEntries: AuditEntryLike[] = [];
  /** Throw after yielding this many entries. */
  failAfter: number | undefined;
  failWith: Error = new Error('DynamoDB ProvisionedThroughputExceeded: internal detail');
  readonly callers: UserCaller[] = [];
  readonly seenFilters: Array<Record<string, string>> = [];
  async validateFilters(_log: string, _caller: UserCaller, filters: Record<string, string>) {
    const errors = [];
    for (const [k, v] of Object.entries(filters)) {
      if ((k === 'from' || k === 'to') && Number.isNaN(Date.parse(v)))
        errors.push({ path: `filters.${k}`, message: 'must be an ISO 8601 timestamp' });
      if (k === 'bogus') errors.push({ path: `filters.${k}`, message: 'unknown filter' });
    }
    if (errors.length) throw new ValidationError(errors);
  }
  activity(caller: UserCaller, filters: Record<string, string>) {
    this.callers.push(caller);
    this.seenFilters.push(filters);
    return this.iterate(
      caller.role === 'manager'
        ? this.activityEntries.filter((e) => e.user.id.startsWith('report-'))
        : this.activityEntries,
    );
  }
  audit(caller: UserCaller, filters: Record<string, string>) {
    this.callers.push(caller);
    this.seenFilters.push(filters);
    return this.iterate(this.auditEntries);
  }
  private async *iterate<T>(items: T[]): AsyncGenerator<T> {
    let n = 0;
    for (const item of items) {
      if (this.failAfter !== undefined && n >= this.failAfter) throw this.failWith;
      n++;
      yield item;
    }
    if (this.failAfter !== undefined && n >= this.failAfter) throw this.failWith;
  }
}

export class FakeDirectory implements DirectoryLookup {
  users = new Map<string, DirectoryUserRecord>();
  teams = new Map<string, string>();
  userCalls = 0;
  async getUsers(_t: string, ids: readonly string[]) {
    this.userCalls++;
    return ids.map((id) => this.users.get(id)).filter((u): u is DirectoryUserRecord => !!u);
  }
  async getTeams(_t: string, ids: readonly string[]) {
    return ids.filter((id) => this.teams.has(id)).map((id) => ({ id, name: this.teams.get(id)! }));
  }
  async customFieldNames() {
    const names = new Set<string>();
    for (const u of this.users.values()) for (const k of Object.keys(u.customFields ?? {})) names.add(k);
    return [...names];
  }
}

export class FakeAudit implements AuditRecorder {
  readonly events: ExportAuditEvent[] = [];
  fail = false;
  async record(event: ExportAuditEvent) {
    if (this.fail) throw new Error('audit store down');
    this.events.push(event);
  }
}

export class RecordingDispatcher implements ExportDispatcher {
  readonly refs: Array<{ tenantId: string; exportId: string }> = [];
  fail = false;
  async dispatch(ref: { tenantId: string; exportId: string }) {
    if (this.fail) throw new Error('lambda down');
    this.refs.push(ref);
  }
}

export function fixedClock(iso = '2026-11-22T10:00:00.000Z') {
  const clock = { at: new Date(iso), now: () => new Date(clock.at) };
  return clock;
}

export const SIGNING_KEY = new TextEncoder().encode('test-signing-key-0123456789');

export function makeDeps() {
  let n = 0;
  const clock = fixedClock();
  return {
    store: new MemoryExportStore(),
    files: new MemoryFiles(),
    sources: new FakeSources(),
    directory: new FakeDirectory(),
    audit: new FakeAudit(),
    dispatcher: new RecordingDispatcher(),
    clock,
    links: { publicBaseUrl: 'https://logbook.example', linkDays: 7, signingKey: async () => SIGNING_KEY },
    newId: () => `EXP${String(++n).padStart(3, '0')}`,
  };
}

export function caller(role: UserCaller['role'], userId = `u-${role}`, tenantId = 't1'): UserCaller {
  return { kind: 'user', tenantId, userId, role, reporting: false };
}

export function activityEntry(i: number, overrides: Partial<ActivityEntryLike> = {}): ActivityEntryLike {
  return {
    id: `a${i}`,
    occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    user: { id: 'u1', name: 'Jane Doe' },
    action: 'Completed',
    content: { type: 'Item', id: `c${i}`, title: `Fire Safety ${i}`, contentType: 'Video', tags: ['safety'] },
    completed: true,
    ...overrides,
  };
}

export function auditEntry(i: number, overrides: Partial<AuditEntryLike> = {}): AuditEntryLike {
  return {
    id: `e${i}`,
    occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    actor: { type: 'user', id: 'u-admin', name: 'Adam Admin' },
    action: 'Updated',
    object: { type: 'User', id: 'u1', name: 'Jane Doe' },
    source: { kind: 'web' },
    attribution: 'Web',
    summary: 'Adam Admin updated user Jane Doe',
    ...overrides,
  };
}
