import { DynamoActivityStore } from '../shared/adapters/dynamodb/activity-store.ts';
import { DynamoAuditStore } from '../shared/adapters/dynamodb/audit-store.ts';
import type { ActivityCriteria } from '../shared/domain/activity/criteria.ts';
import { auditFiltersSchema } from '../shared/domain/audit/filters.ts';
import { addMonths } from '../shared/domain/time.ts';
import type { BenchContext } from './lib/context.ts';
import { metered } from './lib/metered.ts';
import type { Section } from './lib/report.ts';
import { activityItemOf, auditItemOf, batchWriteAll } from './lib/seed.ts';

/**
 * Target 3: a hot tenant's writes spread over N shards (TENANT_SHARDS); every read merges the
 * N shard streams behind one cursor. The same slice of the big tenant's entries is stored three
 * times, as tenants with N = 1, 4 and 16, and the same pages are read through the real stores:
 * items read per item returned, Query calls and read units per page.
 */
const SHARDS = [1, 4, 16];
const PAGE = 50;

interface Probe {
  label: string;
  run: (
    tenant: string,
    shards: number,
  ) => Promise<{ returned: number; read: number; queries: number; readUnits: number }>;
}

export async function hotTenants(ctx: BenchContext): Promise<Section> {
  const source = ctx.dataset.tenants[0]!.id;
  const slice = ctx.quick ? 800 : 10_000;
  const now = ctx.dataset.now;
  const recordedAt = now.toISOString();
  const hot = (n: number) => `${source}-hot${n}`;
  const audit = ctx.dataset.audit.filter((e) => e.tenantId === source).slice(0, slice);
  const activity = ctx.dataset.activity.filter((e) => e.tenantId === source).slice(0, slice);
  for (const n of SHARDS) {
    console.error(`bench: hot tenant with ${n} shard(s): seeding ${slice * 2} items …`);
    await batchWriteAll(
      ctx.client,
      ctx.tables.audit,
      audit.map((e) => auditItemOf({ ...e, tenantId: hot(n) }, n, recordedAt)),
    );
    await batchWriteAll(
      ctx.client,
      ctx.tables.activity,
      activity.map((e) => activityItemOf({ ...e, tenantId: hot(n) }, n, recordedAt)),
    );
  }
  const shardsFor = (tenant: string) => Number(tenant.slice(tenant.lastIndexOf('hot') + 3));
  const meter = metered(ctx.client);
  const auditStore = new DynamoAuditStore(meter.client, { tableName: ctx.tables.audit, shardsFor });
  const activityStore = new DynamoActivityStore(meter.client, { tableName: ctx.tables.activity, shardsFor });
  const window = { from: addMonths(now, -3).toISOString(), to: now.toISOString() };
  const nowEpochSeconds = Math.floor(now.getTime() / 1000);

  const auditPages = (raw: Record<string, string>, pages: number): Probe['run'] => {
    const filters = auditFiltersSchema.parse(raw);
    return async (tenant) => {
      let after: string | undefined;
      let last = { returned: 0, read: 0, queries: 0, readUnits: 0 };
      for (let p = 0; p < pages; p++) {
        meter.take();
        const page = await auditStore.query({
          tenantId: tenant,
          filters,
          ...window,
          order: 'desc',
          limit: PAGE,
          after,
          nowEpochSeconds,
        });
        last = { returned: page.items.length, read: page.scanned, ...meter.take() };
        after = page.nextPosition ?? undefined;
        if (!after) break;
      }
      return last;
    };
  };
  const activityPages = (criteria: Omit<ActivityCriteria, 'expiredAsOf'>, pages: number): Probe['run'] => {
    return async (tenant) => {
      let after: string | undefined;
      let last = { returned: 0, read: 0, queries: 0, readUnits: 0 };
      for (let p = 0; p < pages; p++) {
        meter.take();
        const page = await activityStore.query({
          tenantId: tenant,
          criteria: { ...criteria, expiredAsOf: now.toISOString() },
          ...window,
          order: 'desc',
          limit: PAGE,
          after,
          nowEpochSeconds,
        });
        last = { returned: page.items.length, read: page.scanned, ...meter.take() };
        after = page.nextPosition ?? undefined;
        if (!after) break;
      }
      return last;
    };
  };
  const probes: Probe[] = [
    { label: 'audit: time window, page 1', run: auditPages({}, 1) },
    { label: 'audit: time window, page 3 via cursor', run: auditPages({}, 3) },
    { label: 'audit: action (Created), sharded index', run: auditPages({ action: 'Created' }, 1) },
    { label: 'audit: one actor (unsharded index)', run: auditPages({ actorId: 'u00000' }, 1) },
    { label: 'activity: time window, page 1', run: activityPages({}, 1) },
    {
      label: 'activity: action (Completed), sharded index',
      run: activityPages({ actions: ['Completed'] }, 1),
    },
    { label: 'activity: content type (Quiz), page 2', run: activityPages({ contentTypes: ['Quiz'] }, 2) },
  ];
  const rows: Array<Array<string | number>> = [];
  const data: Array<Record<string, unknown>> = [];
  for (const probe of probes) {
    const row: Array<string | number> = [probe.label];
    for (const n of SHARDS) {
      const r = await probe.run(hot(n), n);
      const ratio = r.returned > 0 ? r.read / r.returned : Number.NaN;
      row.push(ratio, r.queries, r.readUnits);
      data.push({ probe: probe.label, shards: n, ...r, ratio });
    }
    rows.push(row);
  }
  return {
    id: 'hot-tenants',
    title: `Hot tenants: read cost of a tenant sharded over N write shards (page of ${PAGE})`,
    baseline: 'the same entries stored unsharded (N = 1), read the same way in the same run',
    columns: [
      'page',
      ...SHARDS.flatMap((n) => [`N=${n} read/returned`, `N=${n} queries`, `N=${n} read units`]),
    ],
    rows,
    notes: [
      `${slice.toLocaleString('en-GB')} audit and ${slice.toLocaleString('en-GB')} activity entries of ${source}, stored once per N (shard = FNV-1a(id) mod N, as TENANT_SHARDS does).`,
      'Sharded indexes (byTime, byAction, byObjectType, bySource, byTypeAction, bySystem, byRequest; activity byTime, byAction, byContentType) open one stream per shard; per-entity indexes (actor, object, user, content…) are never sharded, so N does not change them.',
      "read units = what the page's Queries cost in AWS: each call its items' size rounded up to 4 KB, half a unit per 4 KB (eventually consistent), at least half a unit per call even when it finds nothing (bench/lib/metered.ts).",
      'Order and completeness across shards are tested: test/integration/merge-shards.test.ts (N = 1, 4, 16), audit-store.test.ts (4 and 16), activity-shards.test.ts (1, 4, 16).',
    ],
    data,
  };
}
