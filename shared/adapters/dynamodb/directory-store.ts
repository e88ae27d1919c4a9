// The directory table: pk = tenant, sk = `USER#id` | `TEAM#id` | `GROUP#id` | `CONTENT#id`,
// attribute `r` = the record as pushed. Writes replace records (the platform owns them);
// reads load a tenant's whole directory with a paged Query and keep it for a short time.

import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ERASED } from '../../domain/audit/personal.ts';
import {
  type ContentRecord,
  contentRecordSchema,
  type DirectoryKind,
  type GroupRecord,
  groupRecordSchema,
  type TeamRecord,
  teamRecordSchema,
  type UserRecord,
  userRecordSchema,
} from '../../domain/directory/schemas.ts';
import { type DirectoryData, DirectorySnapshot } from '../../domain/directory/snapshot.ts';
import { ThrottledError } from '../../domain/errors.ts';
import { logger } from '../../observability.ts';
import type { DirectoryStore } from '../../use-cases/directory/ports.ts';
import { currentFunction } from '../invocation.ts';
import { toDomainError } from './errors.ts';
import { queryItems } from './paginate.ts';

export interface DynamoDirectoryStoreOptions {
  tableName: string;
  /** How old a snapshot may be (ms). */
  cacheMs?: number;
  /** Epoch ms, for the cache's age. */
  now?: () => number;
}

/** The e-mail an erased person's directory tombstone stores (the record schema needs one). */
export const TOMBSTONE_EMAIL = 'erased@erased.invalid';

export const SK_PREFIX: Record<DirectoryKind, string> = {
  users: 'USER#',
  teams: 'TEAM#',
  groups: 'GROUP#',
  content: 'CONTENT#',
};

export const directoryKey = (tenantId: string, kind: DirectoryKind, id: string) => ({
  pk: tenantId,
  sk: `${SK_PREFIX[kind]}${id}`,
});

interface CacheEntry {
  at: number;
  value: Promise<DirectorySnapshot>;
}

/**
 * Shared by every store instance in the process (keyed by table and tenant), so a directory
 * write invalidates what a reader in the same process cached. Across Lambdas a change shows
 * within `cacheMs`. Locally, where every function runs in one process, each function keeps its
 * own entries (../invocation.ts), as its own Lambda would: a reader never finds the snapshot
 * another function loaded (and the SDK call recorder sees every function's Query).
 */
const CACHE = new Map<string, CacheEntry>();
const cacheKey = (table: string, tenantId: string) => `${currentFunction() ?? ''}|${table}|${tenantId}`;
const MAX_CACHED_TENANTS = 200;

export function clearDirectoryCache(): void {
  CACHE.clear();
}

/** Drops every function's cached snapshot of the tenant in this process (a record was replaced). */
export function forgetDirectoryTenant(tableName: string, tenantId: string): void {
  for (const key of CACHE.keys()) if (key.endsWith(`|${tableName}|${tenantId}`)) CACHE.delete(key);
}

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: DynamoDirectoryStoreOptions,
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  snapshot(tenantId: string): Promise<DirectorySnapshot> {
    const key = cacheKey(this.options.tableName, tenantId);
    const hit = CACHE.get(key);
    if (hit && this.now() - hit.at < (this.options.cacheMs ?? 30_000)) return hit.value;
    const value = this.load(tenantId);
    if (CACHE.size >= MAX_CACHED_TENANTS) CACHE.delete(CACHE.keys().next().value as string);
    CACHE.set(key, { at: this.now(), value });
    value.catch(() => CACHE.delete(key));
    return value;
  }

  async load(tenantId: string): Promise<DirectorySnapshot> {
    const data: {
      users: UserRecord[];
      teams: TeamRecord[];
      groups: GroupRecord[];
      content: ContentRecord[];
    } = { users: [], teams: [], groups: [], content: [] };
    try {
      const items = queryItems(this.client, {
        TableName: this.options.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': tenantId },
      });
      for await (const item of items) addItem(data, item);
      // An erased person's tombstone stores a valid placeholder e-mail; every reader sees `[erased]`.
      for (const u of data.users) if (u.email === TOMBSTONE_EMAIL) u.email = ERASED;
    } catch (err) {
      throw toDomainError(err);
    }
    return new DirectorySnapshot(data satisfies DirectoryData);
  }

  async upsert<R extends { id: string }>(
    tenantId: string,
    kind: DirectoryKind,
    records: readonly R[],
  ): Promise<number> {
    // Last one wins inside a batch; BatchWriteItem rejects two puts of one key.
    const unique = new Map(records.map((r) => [r.id, r]));
    const requests = [...unique.values()].map((r) => ({
      PutRequest: { Item: { ...directoryKey(tenantId, kind, r.id), r } },
    }));
    try {
      for (let i = 0; i < requests.length; i += 25) {
        let pending: typeof requests | undefined = requests.slice(i, i + 25);
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          if (attempt > 0) await sleep(Math.min(1000, 50 * 2 ** attempt));
          if (attempt > 6) throw new ThrottledError('The store is busy; retry shortly.');
          const out = await this.client.send(
            new BatchWriteCommand({ RequestItems: { [this.options.tableName]: pending } }),
          );
          pending = out.UnprocessedItems?.[this.options.tableName] as typeof requests | undefined;
        }
      }
    } catch (err) {
      throw toDomainError(err);
    } finally {
      // Every function's entry of this tenant (locally they share the process).
      for (const key of CACHE.keys())
        if (key.endsWith(`|${this.options.tableName}|${tenantId}`)) CACHE.delete(key);
    }
    return unique.size;
  }
}

const storedItem = z.object({ sk: z.string(), r: z.unknown() });

function addItem(
  data: { users: UserRecord[]; teams: TeamRecord[]; groups: GroupRecord[]; content: ContentRecord[] },
  raw: Record<string, unknown>,
) {
  const item = storedItem.safeParse(raw);
  if (!item.success) return;
  const { sk, r } = item.data;
  const parsed = sk.startsWith(SK_PREFIX.users)
    ? pushParsed(data.users, userRecordSchema, r)
    : sk.startsWith(SK_PREFIX.teams)
      ? pushParsed(data.teams, teamRecordSchema, r)
      : sk.startsWith(SK_PREFIX.groups)
        ? pushParsed(data.groups, groupRecordSchema, r)
        : sk.startsWith(SK_PREFIX.content)
          ? pushParsed(data.content, contentRecordSchema, r)
          : true;
  if (!parsed) logger.warn('skipped an unreadable directory item', { sk });
}

function pushParsed<S extends z.ZodType>(list: z.output<S>[], schema: S, value: unknown): boolean {
  const out = schema.safeParse(value);
  if (out.success) list.push(out.data);
  return out.success;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
