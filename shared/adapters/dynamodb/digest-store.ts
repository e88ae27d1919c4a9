import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { JWK } from 'jose';
import type { AuditDigest, Leaf } from '../../domain/audit/digest.ts';
import type { EntryIntegrity } from '../../domain/audit/integrity.ts';
import type { MerkleState } from '../../domain/audit/merkle.ts';
import { type AuditEntry, auditEntrySchema } from '../../domain/audit/schema.ts';
import { auditKeys, SEAL_SHARDS } from './audit-keys.ts';
import { isConditionFailure, toDomainError } from './errors.ts';
import { queryAll } from './paginate.ts';

/**
 * Digests, chain heads, signing keys and the sealer's cursor, in the State table:
 *  - `DIGESTS#<tenant>` / `<periodStart>`: one digest (created once: attribute_not_exists);
 *  - `DIGESTS#<tenant>` / `HEAD`: the tenant's last digest (digestHash, periodStart). A digest and
 *    its head move in one transaction conditioned on the head the digest chains to, so two
 *    sealers (or a retry after a crash) can never write two digests of an hour or fork the chain;
 *  - `SEAL` / `KEY#<kid>`: every public key that ever signed (the keys route lists them);
 *  - `DIGESTS#<tenant>` / `BACKFILL`: the tenant's legacy backfill progress (cursor, done), read
 *    and written only while its chain has not started;
 *  - `SEAL` / `CURSOR`: where the sealer resumes (hour, shard, page key, a tenant's Merkle state);
 *  - `LEAVES#<tenant>#<periodStart>` / `<first leaf index, 10 digits>`: a page of the digest's leaf
 *    list (LEAF_PAGE leaves: `ids` newline-joined, `hashes` their 32-byte hashes concatenated),
 *    written once before the digest, read by GET /v1/audit-digests/{id}/leaves.
 * And, from the Audit table's bySeal index, an hour's hashes in Merkle order; for the legacy
 * backfill, a tenant's entries without a hash (byTime) and their one permitted enrichment.
 */
const HEAD = 'HEAD';
const BACKFILL = 'BACKFILL';
const digestPk = (tenantId: string) => `DIGESTS#${tenantId}`;
const leavesPk = (tenantId: string, periodStart: string) => `LEAVES#${tenantId}#${periodStart}`;
const leafSk = (start: number) => String(start).padStart(10, '0');

export interface ChainHead {
  digestHash: string;
  periodStart: string;
  /** The tenant's chain start is not caught up yet (seal.ts startChain). */
  starting?: boolean;
}

export interface SealCursor {
  /** ISO start of the hour being sealed. */
  hour: string;
  shard: number;
  /** bySeal page key to resume from within the shard. */
  startKey?: Record<string, unknown>;
  /** The tenant whose leaves the page key cut, with its Merkle state and first id. */
  partial?: { tenantId: string; merkle: MerkleState };
}

/** The legacy backfill's progress (its cursor, shared/use-cases/audit/backfill.ts). */
export interface BackfillCursor {
  shard: number;
  startKey?: Record<string, unknown>;
  oldestHour?: string;
}

export interface SealPage {
  items: { tenantId: string; id: string; hash: string }[];
  nextKey?: Record<string, unknown>;
}

export class DynamoDigestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: { stateTable: string; auditTable: string },
  ) {}

  private async send<T>(what: Promise<T>): Promise<T> {
    try {
      return await what;
    } catch (err) {
      throw toDomainError(err, 'The digest store');
    }
  }

  async head(tenantId: string): Promise<ChainHead | null> {
    const out = await this.send(
      this.client.send(
        new GetCommand({
          TableName: this.options.stateTable,
          Key: { pk: digestPk(tenantId), sk: HEAD },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item
      ? {
          digestHash: String(out.Item.digestHash),
          periodStart: String(out.Item.periodStart),
          ...(out.Item.starting === true ? { starting: true } : {}),
        }
      : null;
  }

  /**
   * Writes the digest and moves the head onto it, if the head is still `previous`. False when
   * another sealer got there first (the caller re-reads the head).
   */
  async append(
    tenantId: string,
    digest: AuditDigest,
    previous: ChainHead | null,
    starting = false,
  ): Promise<boolean> {
    const pk = digestPk(tenantId);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.options.stateTable,
                Item: { pk, sk: digest.periodStart, tenantId, ...digest },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.options.stateTable,
                Item: {
                  pk,
                  sk: HEAD,
                  digestHash: digest.digestHash,
                  periodStart: digest.periodStart,
                  ...(starting ? { starting: true } : {}),
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
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'TransactionCanceledException') return false;
      throw toDomainError(err, 'The digest store');
    }
  }

  async digest(tenantId: string, periodStart: string): Promise<AuditDigest | null> {
    const out = await this.send(
      this.client.send(
        new GetCommand({
          TableName: this.options.stateTable,
          Key: { pk: digestPk(tenantId), sk: periodStart },
        }),
      ),
    );
    return out.Item ? toDigest(out.Item) : null;
  }

  /** Digests with periodStart in [from, to), oldest first, after `after` (a periodStart). */
  async list(
    tenantId: string,
    q: { from: string; to: string; after?: string; limit: number },
  ): Promise<{ items: AuditDigest[]; last: string | null }> {
    const items: AuditDigest[] = [];
    let startKey: Record<string, unknown> | undefined = q.after
      ? { pk: digestPk(tenantId), sk: q.after }
      : undefined;
    do {
      const out = await this.send(
        this.client.send(
          new QueryCommand({
            TableName: this.options.stateTable,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': digestPk(tenantId), ':from': q.from, ':to': q.to },
            ExclusiveStartKey: startKey,
            Limit: q.limit - items.length + 1,
          }),
        ),
      );
      for (const item of out.Items ?? []) if (String(item.sk) < q.to) items.push(toDigest(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length <= q.limit);
    const more = items.length > q.limit;
    const page = items.slice(0, q.limit);
    return { items: page, last: more ? page[page.length - 1]!.periodStart : null };
  }

  /** Records a signing key (once). */
  async putKey(jwk: JWK & { kid: string }, at: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.stateTable,
          Item: { pk: 'SEAL', sk: `KEY#${jwk.kid}`, jwk, createdAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return;
      throw toDomainError(err, 'The digest store');
    }
  }

  /** Writes a page of a digest's leaf list once (a page already stored is left as it is). */
  async putLeaves(tenantId: string, periodStart: string, start: number, leaves: Leaf[]): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.stateTable,
          Item: {
            pk: leavesPk(tenantId, periodStart),
            sk: leafSk(start),
            ids: leaves.map((l) => l.id).join('\n'),
            hashes: Buffer.concat(leaves.map((l) => Buffer.from(l.hash, 'hex'))),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return;
      throw toDomainError(err, 'The digest store');
    }
  }

  /** The page of a digest's leaf list that starts at leaf `start`; null when none is stored. */
  async leaves(tenantId: string, periodStart: string, start: number): Promise<Leaf[] | null> {
    const out = await this.send(
      this.client.send(
        new GetCommand({
          TableName: this.options.stateTable,
          Key: { pk: leavesPk(tenantId, periodStart), sk: leafSk(start) },
        }),
      ),
    );
    if (!out.Item) return null;
    const ids = String(out.Item.ids).split('\n');
    const hashes = Buffer.from(out.Item.hashes as Uint8Array);
    return ids.map((id, i) => ({ id, hash: hashes.subarray(i * 32, i * 32 + 32).toString('hex') }));
  }

  async keys(): Promise<JWK[]> {
    const items = await this.send(
      queryAll(this.client, {
        TableName: this.options.stateTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
        ExpressionAttributeValues: { ':pk': 'SEAL', ':key': 'KEY#' },
      }),
    );
    return items.map((item) => item.jwk as JWK);
  }

  async cursor(): Promise<SealCursor | null> {
    const out = await this.send(
      this.client.send(
        new GetCommand({
          TableName: this.options.stateTable,
          Key: { pk: 'SEAL', sk: 'CURSOR' },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? (out.Item.cursor as SealCursor) : null;
  }

  async saveCursor(cursor: SealCursor): Promise<void> {
    await this.send(
      this.client.send(
        new PutCommand({ TableName: this.options.stateTable, Item: { pk: 'SEAL', sk: 'CURSOR', cursor } }),
      ),
    );
  }

  /**
   * One page of an hour's bySeal partition: tenants together, each tenant's entries by id; with
   * `tenantId`, only that tenant's (a key condition on the sort key's prefix, not a filter).
   */
  async sealPage(
    hour: string,
    shard: number,
    startKey?: Record<string, unknown>,
    limit?: number,
    tenantId?: string,
  ): Promise<SealPage> {
    const sl = `${hour.slice(0, 13)}#${shard}`;
    // A tenant's entries of an hour all lie in its one partition (auditKeys.sealHour).
    if (tenantId !== undefined && auditKeys.sealHour(tenantId, hour) !== sl) return { items: [] };
    const out = await this.send(
      this.client.send(
        new QueryCommand({
          TableName: this.options.auditTable,
          IndexName: 'bySeal',
          KeyConditionExpression: tenantId === undefined ? 'sl = :sl' : 'sl = :sl AND begins_with(ss, :t)',
          ExpressionAttributeValues:
            tenantId === undefined ? { ':sl': sl } : { ':sl': sl, ':t': `${tenantId}#` },
          ProjectionExpression: 'ss, h',
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
      ),
    );
    return {
      items: (out.Items ?? []).map((i) => {
        const ss = String(i.ss);
        const at = ss.indexOf('#');
        return { tenantId: ss.slice(0, at), id: ss.slice(at + 1), hash: String(i.h) };
      }),
      nextKey: out.LastEvaluatedKey,
    };
  }

  /** A tenant's hashes of an hour, by id (for proofs). */
  async hourHashes(tenantId: string, hour: string): Promise<{ id: string; hash: string }[]> {
    const items = await this.send(
      queryAll(this.client, {
        TableName: this.options.auditTable,
        IndexName: 'bySeal',
        KeyConditionExpression: 'sl = :sl AND begins_with(ss, :t)',
        ExpressionAttributeValues: { ':sl': auditKeys.sealHour(tenantId, hour), ':t': `${tenantId}#` },
        ProjectionExpression: 'ss, h',
      }),
    );
    return items.map((i) => ({ id: String(i.ss).slice(tenantId.length + 1), hash: String(i.h) }));
  }

  async backfillState(tenantId: string): Promise<{ done: boolean; cursor: BackfillCursor } | null> {
    const out = await this.send(
      this.client.send(
        new GetCommand({
          TableName: this.options.stateTable,
          Key: { pk: digestPk(tenantId), sk: BACKFILL },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? { done: out.Item.done === true, cursor: out.Item.cursor as BackfillCursor } : null;
  }

  /**
   * Saves the backfill's progress and returns what is stored. The oldest backfilled hour only
   * moves back: two sealers backfilling one tenant at once each see only the entries they found
   * unenriched, so a write that would move it forward is refused (conditional) and merged instead.
   */
  async saveBackfillState(
    tenantId: string,
    state: { done: boolean; cursor: BackfillCursor },
  ): Promise<{ done: boolean; cursor: BackfillCursor }> {
    let next = state;
    for (let attempt = 0; attempt < 5; attempt++) {
      const oldest = next.cursor.oldestHour;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.options.stateTable,
            Item: { pk: digestPk(tenantId), sk: BACKFILL, done: next.done, cursor: next.cursor },
            ...(oldest === undefined
              ? { ConditionExpression: 'attribute_not_exists(#c.#o)' }
              : {
                  ConditionExpression: 'attribute_not_exists(#c.#o) OR #c.#o >= :o',
                  ExpressionAttributeValues: { ':o': oldest },
                }),
            ExpressionAttributeNames: { '#c': 'cursor', '#o': 'oldestHour' },
          }),
        );
        return next;
      } catch (err) {
        if (!isConditionFailure(err)) {
          throw toDomainError(err, 'The digest store');
        }
      }
      const stored = await this.backfillState(tenantId);
      const kept = stored?.cursor.oldestHour;
      if (kept !== undefined && (oldest === undefined || kept < oldest)) {
        next = { ...next, cursor: { ...next.cursor, oldestHour: kept } };
      }
    }
    throw toDomainError(new Error('backfill state kept changing'), 'The digest store');
  }

  /**
   * One page of a tenant's byTime partition `shard`, only entries stored before entry hashes
   * existed (the list entry has no `integrity`), each read whole (changes and details are hashed).
   */
  async legacyPage(
    tenantId: string,
    shard: number,
    startKey?: Record<string, unknown>,
    limit?: number,
  ): Promise<{ items: AuditEntry[]; nextKey?: Record<string, unknown> }> {
    const out = await this.send(
      this.client.send(
        new QueryCommand({
          TableName: this.options.auditTable,
          IndexName: 'byTime',
          KeyConditionExpression: 'tp = :tp',
          FilterExpression: 'attribute_not_exists(#e.#i)',
          ExpressionAttributeNames: { '#e': 'e', '#i': 'integrity' },
          ExpressionAttributeValues: { ':tp': auditKeys.time(tenantId, shard) },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
      ),
    );
    const items: AuditEntry[] = [];
    for (const row of out.Items ?? []) {
      const got = await this.send(
        this.client.send(
          new GetCommand({
            TableName: this.options.auditTable,
            Key: { pk: row.pk },
            ProjectionExpression: '#e, #x',
            ExpressionAttributeNames: { '#e': 'e', '#x': 'x' },
            ConsistentRead: true,
          }),
        ),
      );
      if (!got.Item) continue;
      items.push(auditEntrySchema.parse({ ...(got.Item.e as object), ...(got.Item.x as object) }));
    }
    return { items, nextKey: out.LastEvaluatedKey };
  }

  /**
   * The one permitted change to a stored audit entry: a legacy entry gets its missing integrity
   * (hash, salt) and its bySeal keys, only while it has no hash (conditional). False when it had.
   */
  async enrich(entry: AuditEntry, integrity: EntryIntegrity): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.options.auditTable,
          Key: { pk: auditKeys.pk(entry.tenantId, entry.id) },
          UpdateExpression: 'SET #h = :h, #sl = :sl, #ss = :ss, #e.#i = :i',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#h)',
          ExpressionAttributeNames: { '#h': 'h', '#sl': 'sl', '#ss': 'ss', '#e': 'e', '#i': 'integrity' },
          ExpressionAttributeValues: {
            ':h': integrity.hash,
            ':sl': auditKeys.sealHour(entry.tenantId, entry.recordedAt),
            ':ss': auditKeys.sealSort(entry.tenantId, entry.id),
            ':i': integrity,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw toDomainError(err, 'The digest store');
    }
  }
}

export const SEAL_SHARD_COUNT = SEAL_SHARDS;

function toDigest(item: Record<string, unknown>): AuditDigest {
  return {
    id: String(item.id),
    periodStart: String(item.periodStart),
    periodEnd: String(item.periodEnd),
    count: Number(item.count),
    rootHash: String(item.rootHash),
    previousDigestHash: item.previousDigestHash == null ? null : String(item.previousDigestHash),
    digestHash: String(item.digestHash),
    signature: String(item.signature),
    keyId: String(item.keyId),
    createdAt: String(item.createdAt),
  };
}
