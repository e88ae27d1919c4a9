import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Digest,
  digestSchema,
  hourEnd,
  type PublicJwk,
  publicJwkSchema,
  SEAL_GRACE_MS,
} from '../../domain/integrity/digest.ts';
import { allShards, shardOf } from '../../query/shards.ts';
import type { ChainHead, DigestStore, HourMark, SealLeaf } from '../../use-cases/integrity/ports.ts';
import { toDomainError } from './errors.ts';
import { STATE_TABLE } from './tables.ts';

/**
 * Integrity's items in the state table (see docs/data-model.md):
 * - hour mark `SEAL#tenant` / `HOUR#periodStart`, with `dp` = `SEAL#0..3` and `nextRunAt` = the
 *   moment the hour closes, so the sparse `byDue` index answers "closed hours with entries" without
 *   a scan. Ingest writes it once per (tenant, hour) and process; the sealer deletes it when done.
 * - chain head `DIGESTS#tenant` / `HEAD` (`periodStart`, `digestHash`), digest
 *   `DIGESTS#tenant` / `DIGEST#periodStart` (`d`), sealed leaf list
 *   `DIGESTS#tenant` / `LEAVES#periodStart#0000…` (`l`: `hash id` lines, LEAVES_PER_ITEM each).
 * - key registry `DIGEST_KEYS` / `KEY#kid` (`jwk`, `firstUsedAt`).
 */
const DUE_INDEX = STATE_TABLE.indexes.find((i) => i.name === 'byDue')?.name ?? 'byDue';
const SEAL_SHARDS = 4;
/** 64 hex + space + an id of at most 128 + newline ≤ 194 bytes: 1,800 stay under 350 KB an item. */
export const LEAVES_PER_ITEM = 1800;
/** Ingest's memory of marks it wrote; cleared when it grows past this. */
const MARK_CACHE_LIMIT = 10_000;

export const digestKeys = {
  mark: (tenantId: string, periodStart: string) => ({ pk: `SEAL#${tenantId}`, sk: `HOUR#${periodStart}` }),
  head: (tenantId: string) => ({ pk: `DIGESTS#${tenantId}`, sk: 'HEAD' }),
  digest: (tenantId: string, periodStart: string) => ({
    pk: `DIGESTS#${tenantId}`,
    sk: `DIGEST#${periodStart}`,
  }),
  leaves: (tenantId: string, periodStart: string, part: number) => ({
    pk: `DIGESTS#${tenantId}`,
    sk: `LEAVES#${periodStart}#${String(part).padStart(4, '0')}`,
  }),
  key: (kid: string) => ({ pk: 'DIGEST_KEYS', sk: `KEY#${kid}` }),
};

function mapError(err: unknown): never {
  throw toDomainError(err);
}

export class DynamoDigestStore implements DigestStore {
  private readonly marked = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async mark(tenantId: string, periodStart: string): Promise<void> {
    const memo = `${tenantId}#${periodStart}`;
    if (this.marked.has(memo)) return;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...digestKeys.mark(tenantId, periodStart),
            dp: `SEAL#${shardOf(tenantId, SEAL_SHARDS)}`,
            nextRunAt: new Date(Date.parse(hourEnd(periodStart)) + SEAL_GRACE_MS).toISOString(),
            tenantId,
          },
        }),
      );
    } catch (err) {
      mapError(err);
    }
    if (this.marked.size >= MARK_CACHE_LIMIT) this.marked.clear();
    this.marked.add(memo);
  }

  async closedMarks(now: Date, limit: number): Promise<HourMark[]> {
    const per = await Promise.all(
      allShards(SEAL_SHARDS).map(async (shard) => {
        const out: HourMark[] = [];
        const pages = paginateQuery(
          { client: this.client, pageSize: Math.min(limit, 1000) },
          {
            TableName: this.table,
            IndexName: DUE_INDEX,
            KeyConditionExpression: 'dp = :dp AND nextRunAt <= :now',
            ExpressionAttributeValues: { ':dp': `SEAL#${shard}`, ':now': now.toISOString() },
          },
        );
        try {
          for await (const page of pages) {
            for (const item of page.Items ?? []) {
              out.push({
                tenantId: String(item.tenantId),
                periodStart: String(item.sk).slice('HOUR#'.length),
              });
            }
            if (out.length >= limit) break;
          }
        } catch (err) {
          mapError(err);
        }
        return out;
      }),
    );
    return per.flat();
  }

  async clearMark(tenantId: string, periodStart: string): Promise<void> {
    await this.client
      .send(new DeleteCommand({ TableName: this.table, Key: digestKeys.mark(tenantId, periodStart) }))
      .catch(mapError);
  }

  async head(tenantId: string): Promise<ChainHead | null> {
    const out = await this.client
      .send(new GetCommand({ TableName: this.table, Key: digestKeys.head(tenantId), ConsistentRead: true }))
      .catch(mapError);
    if (!out.Item) return null;
    return { periodStart: String(out.Item.periodStart), digestHash: String(out.Item.digestHash) };
  }

  async saveLeaves(tenantId: string, periodStart: string, leaves: readonly SealLeaf[]): Promise<void> {
    for (let part = 0; part * LEAVES_PER_ITEM < leaves.length; part++) {
      const slice = leaves.slice(part * LEAVES_PER_ITEM, (part + 1) * LEAVES_PER_ITEM);
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...digestKeys.leaves(tenantId, periodStart, part),
              l: slice.map((x) => `${x.hash} ${x.id}`).join('\n'),
            },
            // Written once: a retry after a crash (same closed hour, same list) leaves it as it is.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') mapError(err);
      }
    }
  }

  async commit(tenantId: string, digest: Digest, previous: ChainHead | null): Promise<'created' | 'lost'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...digestKeys.digest(tenantId, digest.periodStart), d: digest },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...digestKeys.head(tenantId),
                  periodStart: digest.periodStart,
                  digestHash: digest.digestHash,
                },
                ...(previous
                  ? {
                      ConditionExpression: 'digestHash = :prev',
                      ExpressionAttributeValues: { ':prev': previous.digestHash },
                    }
                  : { ConditionExpression: 'attribute_not_exists(pk)' }),
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (err) {
      if ((err as { name?: string }).name === 'TransactionCanceledException') {
        const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        // Lost to another sealer only when a condition failed; anything else (a conflict with
        // a concurrent transaction, throttling) is a failure the next run retries.
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'lost';
      }
      mapError(err);
    }
  }

  async registerKey(jwk: PublicJwk, at: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...digestKeys.key(jwk.kid), jwk, firstUsedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') mapError(err);
    }
  }

  async keys(): Promise<PublicJwk[]> {
    const out: PublicJwk[] = [];
    try {
      for await (const page of paginateQuery(
        { client: this.client },
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'DIGEST_KEYS' },
        },
      )) {
        for (const item of page.Items ?? []) out.push(publicJwkSchema.parse(item.jwk));
      }
    } catch (err) {
      mapError(err);
    }
    return out;
  }

  async list(
    tenantId: string,
    q: { from: string; to: string; limit: number; after?: string },
  ): Promise<Digest[]> {
    const lower = q.after && q.after >= q.from ? `DIGEST#${q.after}~` : `DIGEST#${q.from}`;
    const out = await this.client
      .send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: { ':pk': `DIGESTS#${tenantId}`, ':lo': lower, ':hi': `DIGEST#${q.to}` },
          Limit: q.limit + 1,
        }),
      )
      .catch(mapError);
    return (out.Items ?? [])
      .filter((item) => String(item.sk) < `DIGEST#${q.to}`)
      .slice(0, q.limit)
      .map((item) => digestSchema.parse(item.d));
  }

  async get(tenantId: string, periodStart: string): Promise<Digest | null> {
    const out = await this.client
      .send(
        new GetCommand({
          TableName: this.table,
          Key: digestKeys.digest(tenantId, periodStart),
          ConsistentRead: true,
        }),
      )
      .catch(mapError);
    return out.Item ? digestSchema.parse(out.Item.d) : null;
  }

  async leaves(tenantId: string, periodStart: string): Promise<SealLeaf[]> {
    const out: SealLeaf[] = [];
    try {
      for await (const page of paginateQuery(
        { client: this.client },
        {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `DIGESTS#${tenantId}`, ':prefix': `LEAVES#${periodStart}#` },
          ConsistentRead: true,
        },
      )) {
        for (const item of page.Items ?? []) {
          for (const line of String(item.l).split('\n'))
            out.push({ hash: line.slice(0, 64), id: line.slice(65) });
        }
      }
    } catch (err) {
      mapError(err);
    }
    return out;
  }
}
