import { randomBytes } from 'node:crypto';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARSHALL_OPTIONS } from '../../../shared/adapters/dynamodb/client.ts';
import { entryHash, sealEntryFields } from '../../../shared/domain/audit/integrity.ts';
import {
  ERASED,
  erasureChange,
  openListItem,
  type PersonKey,
  personalSalts,
  sealListItem,
} from '../../../shared/domain/audit/personal.ts';
import { type AuditListItem, auditEventInputSchema } from '../../../shared/domain/audit/schema.ts';
import type { UserCaller } from '../../../shared/domain/caller.ts';
import { ConflictError } from '../../../shared/domain/errors.ts';
import {
  type ErasureRecord,
  type ErasureStream,
  erasureCovers,
} from '../../../shared/domain/trust/erasure.ts';
import type { LegalHold } from '../../../shared/domain/trust/holds.ts';
import { toEntry } from '../../../shared/use-cases/audit/ingest.ts';
import {
  type ErasureDeps,
  type ErasureWorkerDeps,
  requestErasure,
  runErasureTask,
} from '../../../shared/use-cases/trust/erasure.ts';

/**
 * Random timelines of one tenant's audit log: entries naming random persons in random roles
 * (actor, impersonator, subject, User object), legal holds placed and released, erasures asked
 * and run to the end (the real use cases, the real sealing and erasure of entries, over in-memory
 * fakes of the stores and a fake key store). The model knows the rules in words: a person under
 * an active hold cannot be erased (409); once erased, each of their fields reads "[erased]" and
 * every other field as written; entries written for them later read normally; and every entry's
 * hash recomputes from what reads return.
 */
const PERSONS = ['p0', 'p1', 'p2', 'p3'];
const T = 't1';
const owner: UserCaller = { kind: 'user', tenantId: T, userId: 'owner', role: 'owner' } as UserCaller;

type Step =
  | { kind: 'entry'; actor: string; subject: string | null; object: string | null; imp: string | null }
  | { kind: 'hold'; person: string }
  | { kind: 'release' }
  | { kind: 'erase'; person: string };

const person = fc.constantFrom(...PERSONS);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('entry' as const),
      actor: person,
      subject: fc.option(person, { nil: null }),
      object: fc.option(person, { nil: null }),
      imp: fc.option(person, { nil: null, freq: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hold' as const), person }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'release' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('erase' as const), person }) },
);

const nameOf = (p: string, generation: number) => `Name ${p} g${generation}`;

describe('erasure over random timelines', () => {
  it('reads what the model says, refuses held persons, and every hash verifies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        // Fakes: the key store, the audit rows (stored list views), holds, erasure records, queue.
        const keys = new Map<string, PersonKey>();
        let versions = 0;
        const current = (p: string) => {
          let k = keys.get(p);
          if (!k) {
            k = { version: `v${versions++}`, key: randomBytes(32) };
            keys.set(p, k);
          }
          return k;
        };
        // Retired versions stay readable until the erasure destroys them.
        const retired = new Map<string, Buffer>();
        const find = (p: string, v: string) =>
          keys.get(p)?.version === v ? keys.get(p)!.key : (retired.get(`${p}#${v}`) ?? null);
        const rows = new Map<string, { stored: Record<string, unknown>; hash: string }>();
        const holds: LegalHold[] = [];
        const records = new Map<string, ErasureRecord>();
        const queue: { tenantId: string; erasureId: string }[] = [];
        let ids = 0;
        const clock = { now: () => new Date('2026-12-01T12:00:00Z') };
        const store = {
          async putErasure(r: ErasureRecord, previous?: string) {
            if (previous !== undefined && records.get(r.id)?.updatedAt !== previous) return false;
            records.set(r.id, structuredClone(r));
            return true;
          },
          async erasuresOf(_t: string, p: string) {
            return [...records.values()].filter((r) => r.personId === p);
          },
          async getErasure(_t: string, id: string) {
            return records.get(id) ?? null;
          },
        };
        const holdsOf = async () => holds.filter((h) => h.status === 'active');
        const deps: ErasureDeps = {
          store,
          holds: holdsOf,
          queue: { enqueue: async (task) => void queue.push(task) },
          audit: { record: async () => {} },
          nameOf: async (_t, id) => id,
          clock,
          newId: () => `E${ids++}`,
        };
        const roleOf = (e: AuditListItem, p: string, stream: ErasureStream) =>
          stream === 'actor'
            ? e.actor.id === p
            : stream === 'subject'
              ? e.subject?.id === p
              : stream === 'object'
                ? e.object.type === 'User' && e.object.id === p
                : e.impersonator?.id === p;
        const worker: ErasureWorkerDeps = {
          store,
          holds: holdsOf,
          queue: deps.queue,
          clock,
          targets: {
            keyCacheSeconds: 0,
            shards: () => 1,
            keyVersion: async (_t, p) => keys.get(p)?.version ?? null,
            async retireKey(_t, p, version) {
              const k = keys.get(p);
              if (k?.version !== version) return;
              retired.set(`${p}#${version}`, k.key);
              keys.delete(p);
            },
            async auditPage(_t, p, versions, stream) {
              let changed = 0;
              for (const row of rows.values()) {
                if (!erasureCovers(row.stored, p, versions)) continue;
                const opened = openListItem(row.stored, find);
                if (!roleOf(opened, p, stream)) continue;
                const change = erasureChange(row.stored, opened, p);
                if (!change) continue;
                const integrity = row.stored.integrity as Record<string, unknown>;
                integrity.commitments = change.commitments;
                changed += 1;
              }
              return { changed };
            },
            activityPage: async () => ({ count: 0 }),
            destroyKey: async (_t, p, version) => void retired.delete(`${p}#${version}`),
            tombstone: async () => {},
          },
        };

        // The model: each person's name generation; erased generations; per entry, who is where.
        const generation = new Map<string, number>(PERSONS.map((p) => [p, 0]));
        const erasedGenerations = new Set<string>();
        const modelRows = new Map<string, { path: string; person: string; gen: number }[]>();
        const heldModel = new Set<string>();

        for (const s of steps) {
          if (s.kind === 'entry') {
            const id = `e${rows.size}`;
            const g = (p: string) => generation.get(p)!;
            const input = auditEventInputSchema.parse({
              tenantId: T,
              occurredAt: '2026-12-01T11:00:00.000Z',
              actor: {
                type: 'user',
                id: s.actor,
                name: nameOf(s.actor, g(s.actor)),
                email: `${s.actor}@x.org`,
              },
              ...(s.imp ? { impersonator: { id: s.imp, name: nameOf(s.imp, g(s.imp)) } } : {}),
              action: 'Updated',
              object: s.object
                ? { type: 'User', id: s.object, name: nameOf(s.object, g(s.object)) }
                : { type: 'Task', id: 'task', name: 'A task' },
              ...(s.subject ? { subject: { id: s.subject, name: nameOf(s.subject, g(s.subject)) } } : {}),
              source: { kind: 'web' },
              ip: '192.0.2.1',
            });
            const entry = toEntry(input, id, '2026-12-01T11:00:01.000Z');
            entry.integrity = sealEntryFields(entry, personalSalts(entry));
            const { changes: _c, details: _d, ...listItem } = entry;
            // Stored as DynamoDB stores it (the sealed bytes are a binary attribute).
            const stored = unmarshall(marshall(sealListItem(listItem, current), MARSHALL_OPTIONS));
            rows.set(id, { stored, hash: entry.integrity.hash });
            modelRows.set(id, [
              { path: 'actor.name', person: s.actor, gen: g(s.actor) },
              ...(s.imp ? [{ path: 'impersonator.name', person: s.imp, gen: g(s.imp) }] : []),
              ...(s.object ? [{ path: 'object.name', person: s.object, gen: g(s.object) }] : []),
              ...(s.subject ? [{ path: 'subject.name', person: s.subject, gen: g(s.subject) }] : []),
            ]);
          } else if (s.kind === 'hold') {
            holds.push({
              id: `H${holds.length}`,
              name: 'h',
              reason: 'r',
              personIds: [s.person],
              status: 'active',
              createdAt: '2026-12-01T00:00:00.000Z',
              createdBy: 'owner',
            });
            heldModel.add(s.person);
          } else if (s.kind === 'release') {
            for (const h of holds) h.status = 'released';
            heldModel.clear();
          } else {
            let refused = false;
            try {
              await requestErasure(deps, owner, { personId: s.person });
              while (queue.length) await runErasureTask(worker, queue.shift()!);
            } catch (err) {
              if (!(err instanceof ConflictError)) throw err;
              refused = true;
            }
            expect(refused).toBe(heldModel.has(s.person));
            if (!refused) {
              // Everything written for them so far is erased; later entries get a new generation.
              for (let g = 0; g <= generation.get(s.person)!; g++) erasedGenerations.add(`${s.person}#${g}`);
              generation.set(s.person, generation.get(s.person)! + 1);
            }
          }
          // After every step: reads equal the model, and every hash verifies.
          for (const [id, row] of rows) {
            const opened = openListItem(row.stored, find);
            for (const m of modelRows.get(id)!) {
              const [a, b] = m.path.split('.') as [string, string];
              const shown = (opened as unknown as Record<string, Record<string, string>>)[a]![b];
              const erased = erasedGenerations.has(`${m.person}#${m.gen}`);
              expect(shown, `${id} ${m.path}`).toBe(erased ? ERASED : nameOf(m.person, m.gen));
            }
            expect(entryHash(opened, opened.integrity!), id).toBe(row.hash);
          }
        }
      }),
      { numRuns: 60, seed: 20261203 },
    );
  });
});
