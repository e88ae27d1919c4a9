/**
 * Audit ingest CPU, plain against sealed (personal fields encrypted per person, keys warm), in one
 * process, for profiling: `node --import tsx --cpu-prof bench/profile-ingest.ts sealed 40`
 * (modes: both, plain, sealed; rounds). The same loop as the write-path section's ingest rows
 * (bench/write-path.ts), without the rest of the bench; prints the least µs per event of each.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toAttributeMap } from '../shared/adapters/dynamodb/attributes.ts';
import { toAuditItem } from '../shared/adapters/dynamodb/audit-keys.ts';
import { sealingKeys } from '../shared/adapters/dynamodb/audit-store.ts';
import { DynamoPersonKeys } from '../shared/adapters/dynamodb/person-keys.ts';
import type { AuditEntry } from '../shared/domain/audit/schema.ts';
import { ingestAuditEvents } from '../shared/use-cases/audit/ingest.ts';
import { buildDataset } from './lib/dataset.ts';

const ds = buildDataset({ quick: true, prefix: 'wp' });
const batches: string[] = [];
const evs = ds.audit.slice(0, 3000).map((e) => JSON.stringify(e));
for (let i = 0; i < evs.length; i += 100) batches.push(`[${evs.slice(i, i + 100).join(',')}]`);
const personKeys = new DynamoPersonKeys(
  { send: async () => ({}) } as unknown as DynamoDBDocumentClient,
  {
    generate: async () => ({ plain: randomBytes(32), wrapped: randomBytes(60) }),
    unwrap: async () => randomBytes(32),
  },
  { tableName: 'bench-keys', cacheSeconds: 86_400 },
);
const sealedStore = {
  put: async (entry: AuditEntry, ttl: number) => {
    const found = sealingKeys(personKeys, entry);
    const keyOf = found instanceof Promise ? await found : found;
    toAttributeMap(toAuditItem(entry, 1, ttl, false, keyOf));
    return 'created' as const;
  },
};
const plainStore = {
  put: async (entry: AuditEntry, ttl: number) => {
    toAttributeMap(toAuditItem(entry, 1, ttl));
    return 'created' as const;
  },
};
const mode = process.argv[2] ?? 'both';
const rounds = Number(process.argv[3] ?? 10);
async function round(store: typeof plainStore) {
  const start = process.cpuUsage();
  for (const b of batches)
    await ingestAuditEvents({ store, clock: { now: () => ds.now }, retentionMonths: 18 }, JSON.parse(b));
  const u = process.cpuUsage(start);
  return (u.user + u.system) / evs.length;
}
await round(sealedStore);
await round(plainStore);
let p = Infinity;
let s = Infinity;
for (let r = 0; r < rounds; r++) {
  if (mode !== 'sealed') p = Math.min(p, await round(plainStore));
  if (mode !== 'plain') s = Math.min(s, await round(sealedStore));
}
console.log(`plain ${p.toFixed(2)} µs, sealed ${s.toFixed(2)} µs, ${(s / p).toFixed(3)}×`);
