import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredActivity } from '../../../shared/domain/activity/event.ts';
import { addMonths } from '../../../shared/domain/time.ts';
import type { LegalHold } from '../../../shared/domain/trust/holds.ts';
import type { ExpiryJob, ExpiryTask } from '../../../shared/domain/trust/jobs.ts';
import { isVisible, type TrustState, visibilityOf } from '../../../shared/domain/trust/visibility.ts';
import { ingestActivityEvents } from '../../../shared/use-cases/activity/ingest.ts';
import { runExpiryTask } from '../../../shared/use-cases/trust/expiry.ts';
import {
  placeHold,
  putRetention,
  releaseHold,
  type StoredRetention,
  type TrustDeps,
} from '../../../shared/use-cases/trust/manage.ts';
import type { ExpiryEntry, LogExpiryPort } from '../../../shared/use-cases/trust/ports.ts';

/**
 * A simulated timeline of one tenant's activity log: entries for random persons, legal holds
 * placed and released, retention shortened and lengthened, time moving on, and DynamoDB's TTL
 * sweep. The system is the real use cases (ingest, holds, retention, expiry jobs) over in-memory
 * fakes of the stores; the model knows only the rules in words: an entry a hold covers is kept
 * and shown; any other is shown while within the current retention, and once the sweep ran past
 * its retention while unheld it is gone for good. After every step, what reads return equals
 * the model's answer. Every instant is a day 1–28 at noon, so calendar months never clamp.
 */
const TENANT = 't1';
const PERSONS = ['p0', 'p1', 'p2', 'p3'];
const at = (month: number, day: number) => new Date(Date.UTC(2020, month, day, 12));

type Step =
  | { kind: 'ingest'; person: string; monthsBack: number; day: number }
  | { kind: 'hold'; persons: string[] | null }
  | { kind: 'release'; index: number }
  | { kind: 'retention'; months: number }
  | { kind: 'advance'; months: number; day: number }
  | { kind: 'sweep' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('ingest' as const),
    person: fc.constantFrom(...PERSONS),
    monthsBack: fc.integer({ min: 0, max: 30 }),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  fc.record({
    kind: fc.constant('hold' as const),
    persons: fc.option(fc.subarray(PERSONS, { minLength: 1 }), { nil: null, freq: 4 }),
  }),
  fc.record({ kind: fc.constant('release' as const), index: fc.nat(5) }),
  fc.record({ kind: fc.constant('retention' as const), months: fc.integer({ min: 1, max: 36 }) }),
  fc.record({
    kind: fc.constant('advance' as const),
    months: fc.integer({ min: 0, max: 14 }),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  fc.constant({ kind: 'sweep' as const }),
);

interface Row {
  id: string;
  occurredAt: string;
  userId: string;
  ttl?: number;
  rx?: number;
}

function system(now: () => Date) {
  const clock = { now };
  const rows = new Map<string, Row>();
  const holds = new Map<string, LegalHold>();
  let retention: StoredRetention = {};
  const jobs = new Map<string, ExpiryJob>();
  const queue: ExpiryTask[] = [];
  let ids = 0;
  const store: TrustDeps['store'] = {
    async load() {
      return { holds: [...holds.values()].map((h) => ({ ...h })), retention: { ...retention } };
    },
    async putRetention(_t, r) {
      retention = { ...r };
    },
    async createHold(_t, h) {
      holds.set(h.id, { ...h });
    },
    async releaseHold(_t, id, when, by) {
      const h = holds.get(id)!;
      const released = { ...h, status: 'released' as const, releasedAt: when, releasedBy: by };
      holds.set(id, released);
      return released;
    },
    async putJob(j) {
      jobs.set(j.id, structuredClone(j));
    },
    async getJob(_t, id) {
      const j = jobs.get(id);
      return j ? structuredClone(j) : null;
    },
  };
  const defaults = { auditMonths: 18, activityMonths: 12 };
  const trust = {
    async state(): Promise<TrustState> {
      const { holds: all, retention: r } = await store.load(TENANT);
      return {
        retention: { auditMonths: r.auditMonths ?? 18, activityMonths: r.activityMonths ?? 12 },
        holds: all.filter((h) => h.status === 'active'),
      };
    },
  };
  const logs: LogExpiryPort = {
    shards: () => 1,
    async page(_log, _t, _shard, after, limit) {
      const sorted = [...rows.values()].sort((a, b) =>
        `${a.occurredAt}#${a.id}` < `${b.occurredAt}#${b.id}` ? -1 : 1,
      );
      const start = after ? sorted.findIndex((r) => r.id === after.id) + 1 : 0;
      const slice = sorted.slice(start, start + limit);
      const entries: ExpiryEntry[] = slice.map((r) => ({
        pk: r.id,
        occurredAt: r.occurredAt,
        ...(r.ttl === undefined ? {} : { ttl: r.ttl }),
        persons: [r.userId],
      }));
      const more = start + limit < sorted.length;
      return { entries, ...(more ? { after: { id: slice.at(-1)!.id } } : {}) };
    },
    async setExpiry(_log, pk, expiry, held) {
      const r = rows.get(pk);
      if (!r) return;
      if (held) {
        delete r.ttl;
        r.rx = expiry;
      } else {
        r.ttl = expiry;
        delete r.rx;
      }
    },
  };
  const deps: TrustDeps = {
    store,
    defaults,
    audit: { record: async () => {} },
    queue: { enqueue: async (task) => void queue.push(task) },
    nameOf: async (_t, id) => id,
    changed: () => {},
    clock,
    newId: () => `id${String(++ids).padStart(6, '0')}`,
  };
  const expiry = { store, trust, logs, queue: deps.queue, clock, pageSize: 3, pagesPerRun: 2 };
  return {
    rows,
    holds,
    deps,
    trust,
    async drain() {
      for (let task = queue.shift(); task; task = queue.shift()) await runExpiryTask(expiry, task);
    },
    async ingest(id: string, userId: string, occurredAt: string) {
      await ingestActivityEvents(
        {
          clock,
          retentionMonths: 84,
          trust,
          store: {
            async put(entry: StoredActivity, ttl: number, held?: boolean) {
              rows.set(entry.id, {
                id: entry.id,
                occurredAt: entry.occurredAt,
                userId: entry.userId,
                ...(held ? { rx: ttl } : { ttl }),
              });
              return 'created';
            },
          },
        },
        [{ id, tenantId: TENANT, userId, action: 'LoggedIn', occurredAt }],
      ).catch(() => undefined);
    },
    sweep(now: Date) {
      const epoch = Math.floor(now.getTime() / 1000);
      for (const [id, r] of rows) if (r.ttl !== undefined && r.ttl < epoch) rows.delete(id);
    },
    async read(now: Date): Promise<string[]> {
      const v = visibilityOf(await trust.state(), 'activity', now);
      return [...rows.values()]
        .filter((r) => isVisible(v, r.occurredAt, r.ttl, [r.userId]))
        .map((r) => r.id)
        .sort();
    },
  };
}

/** The rules in words, with no stored expiry at all. */
class Model {
  months = 12;
  holds: { persons: string[] | null; active: boolean }[] = [];
  entries = new Map<string, { occurredAt: Date; person: string }>();
  held(person: string) {
    return this.holds.some((h) => h.active && (h.persons === null || h.persons.includes(person)));
  }
  within(occurredAt: Date, now: Date) {
    return occurredAt.getTime() >= addMonths(now, -this.months).getTime();
  }
  ingest(id: string, person: string, occurredAt: Date, now: Date) {
    if (this.within(occurredAt, now)) this.entries.set(id, { occurredAt, person });
  }
  sweep(now: Date) {
    for (const [id, e] of this.entries) {
      if (!this.held(e.person) && addMonths(e.occurredAt, this.months).getTime() < now.getTime())
        this.entries.delete(id);
    }
  }
  read(now: Date) {
    return [...this.entries]
      .filter(([, e]) => this.held(e.person) || this.within(e.occurredAt, now))
      .map(([id]) => id)
      .sort();
  }
}

const owner = {
  kind: 'user' as const,
  tenantId: TENANT,
  userId: 'boss',
  role: 'owner' as const,
  reporting: false,
};

describe('legal holds and retention over a simulated timeline', () => {
  it('reads return what the model says, after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        let month = 40;
        let day = 15;
        const now = () => at(month, day);
        const sys = system(now);
        const model = new Model();
        const holdIds: string[] = [];
        let n = 0;
        for (const s of steps) {
          switch (s.kind) {
            case 'ingest': {
              const id = `e${++n}`;
              const occurred = at(month - s.monthsBack, s.day);
              if (occurred > now()) break;
              await sys.ingest(id, s.person, occurred.toISOString());
              model.ingest(id, s.person, occurred, now());
              break;
            }
            case 'hold': {
              const input = { name: 'h', reason: 'r', ...(s.persons ? { personIds: s.persons } : {}) };
              const hold = await placeHold(sys.deps, owner, input);
              holdIds.push(hold.id);
              model.holds.push({ persons: s.persons, active: true });
              break;
            }
            case 'release': {
              const i = s.index % Math.max(1, holdIds.length);
              if (!model.holds[i]?.active) break;
              await releaseHold(sys.deps, owner, holdIds[i]!);
              model.holds[i]!.active = false;
              break;
            }
            case 'retention':
              await putRetention(sys.deps, owner, { activityMonths: s.months });
              model.months = s.months;
              break;
            case 'advance':
              if (s.months === 0 && s.day <= day) break;
              month += s.months;
              day = s.day;
              break;
            case 'sweep':
              sys.sweep(now());
              model.sweep(now());
              break;
          }
          // The expiry jobs finish before the (late) TTL sweep next runs.
          await sys.drain();
          expect(await sys.read(now())).toEqual(model.read(now()));
        }
      }),
      // Seed 2009559004 once found the boundary case (an entry exactly the retention period old,
      // read at that instant): test/unit/trust/retention-boundary.test.ts holds it.
      { numRuns: 150 },
    );
  });
});
