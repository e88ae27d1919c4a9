import { randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { activityItem } from '../shared/adapters/dynamodb/activity-keys.ts';
import { toAttributeMap } from '../shared/adapters/dynamodb/attributes.ts';
import { toAuditItem } from '../shared/adapters/dynamodb/audit-keys.ts';
import { sealingKeys } from '../shared/adapters/dynamodb/audit-store.ts';
import { DynamoPersonKeys } from '../shared/adapters/dynamodb/person-keys.ts';
import { ACTIVITY_TABLE, AUDIT_TABLE, type TableDef } from '../shared/adapters/dynamodb/tables.ts';
import type { StoredActivity } from '../shared/domain/activity/event.ts';
import { activityEventInputSchema } from '../shared/domain/activity/event.ts';
import type { AuditEntry } from '../shared/domain/audit/schema.ts';
import { auditEventInputSchema } from '../shared/domain/audit/schema.ts';
import { ingestActivityEvents } from '../shared/use-cases/activity/ingest.ts';
import { ingestAuditEvents } from '../shared/use-cases/audit/ingest.ts';
import { buildDataset } from './lib/dataset.ts';
import type { Section } from './lib/report.ts';
import { activityItemOf, auditItemOf } from './lib/seed.ts';

/**
 * Target 2: what one ingested event costs to write, and the ingest use case's own CPU.
 * - Items written per event: the base item plus one index item per GSI whose keys the item
 *   carries (sparse indexes only when present); bytes as DynamoDB counts them (attribute names
 *   + values; index items: projected attributes + keys + 100 bytes overhead), and WCUs (1 KB).
 * - CPU: the ingest use case (validation, time rules, redaction, summary, key mapping and
 *   marshalling, with an in-memory store that maps and marshalls the item as the Dynamo stores
 *   do: toAttributeMap, then a low-level PutItem) per event, against a bare JSON.parse +
 *   marshall of the same events, in the same process.
 */
const MARSHALL = { removeUndefinedValues: true } as const;

export function attributeSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.B !== undefined) return v.B.length;
  if (v.SS) return v.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
  if (v.L) return 3 + v.L.reduce((s, x) => s + 1 + attributeSize(x), 0);
  if (v.M)
    return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + attributeSize(x), 0);
  return 0;
}

export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + attributeSize(v), 0);
}

interface WriteCost {
  items: number;
  bytes: number;
  wcu: number;
  baseBytes: number;
}

function writeCost(def: TableDef, item: Record<string, AttributeValue>): WriteCost {
  const base = itemSize(item);
  let items = 1;
  let bytes = base;
  let wcu = Math.ceil(base / 1024);
  for (const idx of def.indexes) {
    if (!item[idx.partitionKey] || !item[idx.sortKey]) continue;
    const keep = new Set([def.partitionKey, idx.partitionKey, idx.sortKey, ...idx.include]);
    const projected = Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
    const size = itemSize(projected) + 100;
    items++;
    bytes += size;
    wcu += Math.ceil(size / 1024);
  }
  return { items, bytes, wcu, baseBytes: base };
}

/** The item with every binary value inside `e` as base64url text (the other way to store bytes). */
function asText(item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const walk = (v: AttributeValue): AttributeValue => {
    if (v.B !== undefined) return { S: Buffer.from(v.B).toString('base64url') };
    if (v.L) return { L: v.L.map(walk) };
    if (v.M) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, walk(x)])) };
    return v;
  };
  return { ...item, e: walk(item.e!) };
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
}

/**
 * CPU ns per event of `fn` over batches: the least of several rounds (after a warm-up), the
 * figure least disturbed by other processes on a shared machine.
 */
async function nsPerEvent(
  batches: string[][],
  fn: (batch: string[]) => Promise<void> | void,
  rounds: number,
) {
  const events = batches.reduce((s, b) => s + b.length, 0);
  for (const b of batches.slice(0, 5)) await fn(b);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (const b of batches) await fn(b);
    const used = process.cpuUsage(start);
    samples.push(((used.user + used.system) * 1000) / events);
  }
  return Math.min(...samples);
}

/**
 * The same for two loops measured in alternate rounds (a, b, a, b…), each the least of its rounds:
 * on a shared machine, a busy spell then slows both alike instead of one.
 */
async function nsPerEventPaired(
  batches: string[][],
  a: (batch: string[]) => Promise<void>,
  b: (batch: string[]) => Promise<void>,
  rounds: number,
): Promise<[number, number]> {
  const events = batches.reduce((s, x) => s + x.length, 0);
  for (const x of batches.slice(0, 5)) {
    await a(x);
    await b(x);
  }
  const round = async (fn: (batch: string[]) => Promise<void>) => {
    const start = process.cpuUsage();
    for (const x of batches) await fn(x);
    const used = process.cpuUsage(start);
    return ((used.user + used.system) * 1000) / events;
  };
  let least: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let r = 0; r < rounds; r++) {
    least = [Math.min(least[0], await round(a)), Math.min(least[1], await round(b))];
  }
  return least;
}

export async function writePath(o: { quick: boolean }): Promise<Section> {
  const ds = buildDataset({ quick: true, prefix: 'wp' });
  const now = ds.now;
  const n = o.quick ? 2000 : 4000;
  const rounds = o.quick ? 5 : 9;
  const auditJson = ds.audit.slice(0, n).map((e) => JSON.stringify(e));
  const activityJson = ds.activity.slice(0, n).map((e) => JSON.stringify(e));
  const batch = (xs: string[]) =>
    Array.from({ length: Math.ceil(xs.length / 100) }, (_, i) => xs.slice(i * 100, i * 100 + 100));

  const auditCosts: WriteCost[] = [];
  const activityCosts: WriteCost[] = [];
  const auditStore = {
    put: async (entry: AuditEntry, ttl: number) => {
      toAttributeMap(toAuditItem(entry, 1, ttl));
      return 'created' as const;
    },
  };
  // The same with personal fields sealed per person, every key in a warm cache: what a warm
  // ingest Lambda does (DynamoAuditStore.put): the real key cache (DynamoPersonKeys, warmed once
  // through a stub table and key wrapper), sealingKeys, AES-256-GCM per person of the entry.
  const personKeys = new DynamoPersonKeys(
    { send: async () => ({}) } as unknown as DynamoDBDocumentClient,
    {
      generate: async () => ({ plain: randomBytes(32), wrapped: randomBytes(60) }),
      unwrap: async () => randomBytes(32),
    },
    { tableName: 'bench-keys', cacheSeconds: 86_400 },
  );
  const sealedPut = async (entry: AuditEntry, ttl: number) => {
    const found = sealingKeys(personKeys, entry);
    const keyOf = found instanceof Promise ? await found : found;
    return toAttributeMap(toAuditItem(entry, 1, ttl, false, keyOf));
  };
  const sealedStore = {
    put: async (entry: AuditEntry, ttl: number) => {
      await sealedPut(entry, ttl);
      return 'created' as const;
    },
  };
  // The sealed items as written (outside the timed rounds; the first ingest also warms the keys).
  // Costs only (the items are not kept: a heap grown by them would slow every later round).
  const sealedCosts: WriteCost[] = [];
  const sealedTextCosts: WriteCost[] = [];
  for (const b of batch(auditJson)) {
    await ingestAuditEvents(
      {
        store: {
          put: async (entry: AuditEntry, ttl: number) => {
            const item = await sealedPut(entry, ttl);
            sealedCosts.push(writeCost(AUDIT_TABLE, item));
            // For the record: the same item with each sealed group's bytes as base64url text.
            sealedTextCosts.push(writeCost(AUDIT_TABLE, asText(item)));
            return 'created' as const;
          },
        },
        clock: { now: () => now },
        retentionMonths: 18,
      },
      JSON.parse(`[${b.join(',')}]`),
    );
  }
  // For the record: the same events unsealed as ingest writes them (hash, bySeal keys and field
  // salts in the clear), which the audit row's loader items (bench/lib/seed.ts) do not carry.
  const unsealedCosts: WriteCost[] = [];
  for (const b of batch(auditJson)) {
    await ingestAuditEvents(
      {
        store: {
          put: async (entry: AuditEntry, ttl: number) => {
            unsealedCosts.push(writeCost(AUDIT_TABLE, toAttributeMap(toAuditItem(entry, 1, ttl))));
            return 'created' as const;
          },
        },
        clock: { now: () => now },
        retentionMonths: 18,
      },
      JSON.parse(`[${b.join(',')}]`),
    );
  }
  const activityStore = {
    put: async (entry: StoredActivity, ttl: number) => {
      toAttributeMap(activityItem(entry, 1, ttl));
      return 'created' as const;
    },
  };
  const bare = (b: string[]) => {
    for (const s of b) marshall(JSON.parse(s), MARSHALL);
  };
  // For the record: the same baseline with the lean converter the stores use instead of marshall.
  const bareLean = (b: string[]) => {
    for (const s of b) toAttributeMap(JSON.parse(s));
  };
  const auditBatches = batch(auditJson);
  const activityBatches = batch(activityJson);
  const auditBase = await nsPerEvent(auditBatches, bare, rounds);
  // Plain and sealed ingest in alternate rounds, so machine load falls on both alike.
  const ingestWith =
    (store: typeof auditStore) =>
    async (b: string[]): Promise<void> => {
      await ingestAuditEvents(
        { store, clock: { now: () => now }, retentionMonths: 18 },
        JSON.parse(`[${b.join(',')}]`),
      );
    };
  const [auditIngest, auditSealed] = await nsPerEventPaired(
    auditBatches,
    ingestWith(auditStore),
    ingestWith(sealedStore),
    rounds * 2,
  );
  const auditPlain = auditIngest;
  const auditBaseLean = await nsPerEvent(auditBatches, bareLean, rounds);
  const activityBase = await nsPerEvent(activityBatches, bare, rounds);
  const activityBaseLean = await nsPerEvent(activityBatches, bareLean, rounds);
  const activityIngest = await nsPerEvent(
    activityBatches,
    async (b) => {
      await ingestActivityEvents(
        { store: activityStore, clock: { now: () => now }, retentionMonths: 84 },
        JSON.parse(`[${b.join(',')}]`),
      );
    },
    rounds,
  );
  // Where the ingest time goes: validation alone, and marshalling the stored item alone.
  const auditItems = ds.audit.slice(0, n).map((e) => auditItemOf(e, 1, now.toISOString()));
  const activityItems = ds.activity.slice(0, n).map((e) => activityItemOf(e, 1, now.toISOString()));
  const auditZod = await nsPerEvent(
    auditBatches,
    (b) => {
      for (const x of b) auditEventInputSchema.safeParse(JSON.parse(x));
    },
    rounds,
  );
  const activityZod = await nsPerEvent(
    activityBatches,
    (b) => {
      for (const x of b) activityEventInputSchema.safeParse(JSON.parse(x));
    },
    rounds,
  );
  const marshallOnly = (
    items: Record<string, unknown>[],
    how: (item: Record<string, unknown>) => unknown,
  ) => {
    let k = 0;
    return (b: string[]) => {
      for (let i = 0; i < b.length; i++) how(items[k++ % items.length]!);
    };
  };
  const lean = (item: Record<string, unknown>) => toAttributeMap(item);
  const generic = (item: Record<string, unknown>) => marshall(item, MARSHALL);
  const auditMarshall = await nsPerEvent(auditBatches, marshallOnly(auditItems, lean), rounds);
  const activityMarshall = await nsPerEvent(activityBatches, marshallOnly(activityItems, lean), rounds);
  // For the record: the same items through util-dynamodb's generic marshall (what the stores used before).
  const auditMarshallGeneric = await nsPerEvent(auditBatches, marshallOnly(auditItems, generic), rounds);
  const activityMarshallGeneric = await nsPerEvent(
    activityBatches,
    marshallOnly(activityItems, generic),
    rounds,
  );
  for (const item of auditItems) auditCosts.push(writeCost(AUDIT_TABLE, marshall(item, MARSHALL)));
  for (const item of activityItems) activityCosts.push(writeCost(ACTIVITY_TABLE, marshall(item, MARSHALL)));
  const summary = (costs: WriteCost[]) => ({
    items: mean(costs.map((c) => c.items)),
    bytes: mean(costs.map((c) => c.bytes)),
    baseBytes: mean(costs.map((c) => c.baseBytes)),
    wcu: mean(costs.map((c) => c.wcu)),
  });
  const a = summary(auditCosts);
  const sealed = summary(sealedCosts);
  const sealedText = summary(sealedTextCosts);
  const unsealed = summary(unsealedCosts);
  const v = summary(activityCosts);
  const us = (ns: number) => ns / 1000;
  return {
    id: 'write-path',
    title: 'Write path: items, bytes and CPU per ingested event',
    baseline:
      'a bare JSON.parse + marshall (@aws-sdk/util-dynamodb) of the same events, same process, CPU time',
    columns: [
      'log',
      'items written / event (base + GSI)',
      'GSIs defined',
      'bytes / event (base item)',
      'bytes / event (all writes)',
      'WCU / event',
      'ingest µs / event',
      'baseline µs / event',
      'ingest × baseline',
      '≤ 3×',
      'of which: parse + validate µs',
      'of which: marshall stored item µs',
    ],
    rows: [
      [
        'audit',
        a.items,
        AUDIT_TABLE.indexes.length,
        a.baseBytes,
        a.bytes,
        a.wcu,
        us(auditIngest),
        us(auditBase),
        auditIngest / auditBase,
        auditIngest / auditBase <= 3 ? 'yes' : 'NO',
        us(auditZod),
        us(auditMarshall),
      ],
      [
        'audit, personal fields sealed (warm key cache)',
        sealed.items,
        AUDIT_TABLE.indexes.length,
        sealed.baseBytes,
        sealed.bytes,
        sealed.wcu,
        us(auditSealed),
        us(auditBase),
        auditSealed / auditBase,
        auditSealed / auditBase <= 3 ? 'yes' : 'NO',
        us(auditZod),
        '—',
      ],
      [
        'activity',
        v.items,
        ACTIVITY_TABLE.indexes.length,
        v.baseBytes,
        v.bytes,
        v.wcu,
        us(activityIngest),
        us(activityBase),
        activityIngest / activityBase,
        activityIngest / activityBase <= 3 ? 'yes' : 'NO',
        us(activityZod),
        us(activityMarshall),
      ],
    ],
    notes: [
      `${auditJson.length.toLocaleString('en-GB')} audit and ${activityJson.length.toLocaleString('en-GB')} activity events of the bench dataset (at most ${n.toLocaleString('en-GB')} per log), in batches of 100; CPU = process.cpuUsage (user + system), the least of ${rounds} rounds after a warm-up.`,
      'The ingest figure includes JSON.parse of the request body, zod validation, time rules, id de-duplication, redaction, summary/attribution, the item mapping (toAuditItem / activityItem) and marshall; the store is in memory (no I/O).',
      'The stored item carries the list entry (`e`), filter helpers (`f`) and one key per index, so marshalling it costs more than marshalling the raw event: that part alone is shown, with validation, to locate the cost.',
      `The stores marshall the item with a lean plain-JSON converter (shared/adapters/dynamodb/attributes.ts, property-tested equal to marshall) and send a low-level PutItem; the baseline keeps util-dynamodb's marshall. The same stored items through marshall: audit ${(auditMarshallGeneric / 1000).toFixed(2)} µs, activity ${(activityMarshallGeneric / 1000).toFixed(2)} µs. A baseline of JSON.parse + the lean converter would be audit ${(auditBaseLean / 1000).toFixed(2)} µs (ingest ${(auditIngest / auditBaseLean).toFixed(2)}×), activity ${(activityBaseLean / 1000).toFixed(2)} µs (${(activityIngest / activityBaseLean).toFixed(2)}×).`,
      `Sealing (erasure by crypto-shredding): each person's personal fields and the seed of their field salts in one AES-256-GCM encryption under their data key, stored as a binary inside \`e\` (shared/domain/audit/personal.ts, seal format 2); keys from the real per-process cache, warm (DynamoPersonKeys.peek: no await per person; a cold key costs one GetItem on the Keys table and one KMS Decrypt, or a GenerateDataKey and a conditional PutItem for a new person). Audit ingest CPU sealed / plain, same run, in alternate rounds (${rounds * 2} each, the least of each): **${(auditSealed / auditPlain).toFixed(2)}×** (target ≤ 1.5×; plain ${(auditPlain / 1000).toFixed(2)} µs, sealed ${(auditSealed / 1000).toFixed(2)} µs).`,
      `The sealed bytes as base64url text instead of a binary attribute would make the base item ${sealedText.baseBytes.toFixed(0)} bytes, all writes ${sealedText.bytes.toFixed(0)} bytes, ${sealedText.wcu.toFixed(2)} WCU per event. Unsealed as ingest writes it (with its hash, bySeal keys and field salts, which the audit row's items lack): ${unsealed.items.toFixed(1)} items, base item ${unsealed.baseBytes.toFixed(0)} bytes, all writes ${unsealed.bytes.toFixed(0)} bytes, ${unsealed.wcu.toFixed(2)} WCU per event.`,
      'Index item size = projected attributes (e, f, ttl) + base and index keys + 100 bytes of DynamoDB overhead; WCU rounds each write up to 1 KB.',
    ],
    data: {
      audit: {
        ...a,
        ingestNs: auditIngest,
        baselineNs: auditBase,
        baselineLeanNs: auditBaseLean,
        validateNs: auditZod,
        marshallItemNs: auditMarshall,
        marshallItemGenericNs: auditMarshallGeneric,
      },
      auditSealed: {
        ...sealed,
        ingestNs: auditSealed,
        plainNs: auditPlain,
        ratio: auditSealed / auditPlain,
        asText: sealedText,
        unsealed,
      },
      activity: {
        ...v,
        ingestNs: activityIngest,
        baselineNs: activityBase,
        baselineLeanNs: activityBaseLean,
        validateNs: activityZod,
        marshallItemNs: activityMarshall,
        marshallItemGenericNs: activityMarshallGeneric,
      },
    },
  };
}
