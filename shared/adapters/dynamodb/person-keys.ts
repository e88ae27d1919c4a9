import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { PersonKey } from '../../domain/audit/personal.ts';
import type { PersonKeys } from '../../use-cases/audit/ports.ts';
import { currentFunction } from '../invocation.ts';
import type { KeyWrapper } from '../kms/data-keys.ts';
import { isConditionFailure, toDomainError } from './errors.ts';

/**
 * The Keys table: one item per (tenant, person), pk `tenant#person`, holding the person's current
 * data key wrapped by the KeyWrapper (`w`) and its version (`v`, 12 random base64url characters).
 * An erasure first RETIRES the current version: a copy goes to pk `tenant#person#retired#version`
 * (still readable by that version), then the current item is deleted on condition that it still
 * holds that version, so the next writer makes a new version (a conditional put: two writers
 * racing, the loser reads the winner's key). After its walk the erasure destroys the retired copy,
 * and what was sealed under that version stays unreadable for good.
 *
 * Unwrapped keys are cached per process (a warm Lambda) for at most `cacheSeconds`, LRU-bounded;
 * a retired version found gone is remembered as gone (versions never come back). Locally, where every
 * function runs in one process, each function keeps its own entries, as its own Lambda would.
 */
const STORE = 'The key store';
const MAX_CACHED = 10_000;

interface Cached {
  at: number;
  value: Promise<PersonKey | null>;
  /** The value once the promise has settled to a key (peek's synchronous answer). */
  settled?: PersonKey | null;
}
const CACHE = new Map<string, Cached>();

export interface DynamoPersonKeysOptions {
  tableName: string;
  cacheSeconds: number;
  now?: () => number;
}

export class DynamoPersonKeys implements PersonKeys {
  readonly cacheSeconds: number;
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly wrapper: KeyWrapper,
    private readonly options: DynamoPersonKeysOptions,
  ) {
    this.cacheSeconds = options.cacheSeconds;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private cacheKey(tenantId: string, personId: string): string {
    return `${currentFunction() ?? ''}|${this.options.tableName}|${keyPk(tenantId, personId)}`;
  }

  private cached(key: string): Promise<PersonKey | null> | undefined {
    const hit = CACHE.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at >= this.options.cacheSeconds * 1000) {
      CACHE.delete(key);
      return undefined;
    }
    CACHE.delete(key);
    CACHE.set(key, hit);
    return hit.value;
  }

  private remember(key: string, value: Promise<PersonKey | null>): Promise<PersonKey | null> {
    if (this.options.cacheSeconds <= 0) return value;
    const entry: Cached = { at: this.now(), value };
    CACHE.set(key, entry);
    value.then((settled) => {
      entry.settled = settled;
    }, noop);
    while (CACHE.size > MAX_CACHED) CACHE.delete(CACHE.keys().next().value as string);
    value.catch(() => {
      if (CACHE.get(key)?.value === value) CACHE.delete(key);
    });
    return value;
  }

  /** The stored item of the person's current key (no suffix) or of a retired version. */
  private async item(
    tenantId: string,
    personId: string,
    retired?: string,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: keyPk(tenantId, personId, retired) },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    } catch (err) {
      throw toDomainError(err, STORE);
    }
  }

  private async read(tenantId: string, personId: string, retired?: string): Promise<PersonKey | null> {
    const item = await this.item(tenantId, personId, retired);
    if (!item) return null;
    const key = await this.wrapper.unwrap(Buffer.from(item.w as Uint8Array), { tenantId, personId });
    return { version: String(item.v), key };
  }

  private async create(tenantId: string, personId: string): Promise<PersonKey> {
    const { plain, wrapped } = await this.wrapper.generate({ tenantId, personId });
    // Short (every sealed field group of every index item names it) and never reused.
    const version = randomBytes(9).toString('base64url');
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: keyPk(tenantId, personId),
            v: version,
            w: wrapped,
            createdAt: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { version, key: plain };
    } catch (err) {
      if (!isConditionFailure(err)) throw toDomainError(err, STORE);
    }
    const winner = await this.read(tenantId, personId);
    if (!winner) throw toDomainError(new Error('person key vanished during creation'), STORE);
    return winner;
  }

  /**
   * The person's current key when this process already holds it (cached, fresh, settled), with
   * no I/O and no await; else undefined (then `current`). Ingest's hot path: one lookup per
   * person of each entry.
   */
  peek(tenantId: string, personId: string): PersonKey | undefined {
    // No LRU touch (a Map delete and set per person of every entry): within cacheSeconds, least
    // recently made is close enough to least recently used.
    const hit = CACHE.get(this.cacheKey(tenantId, personId));
    if (!hit?.settled || this.now() - hit.at >= this.options.cacheSeconds * 1000) return undefined;
    return hit.settled;
  }

  async current(tenantId: string, personId: string): Promise<PersonKey> {
    const cacheKey = this.cacheKey(tenantId, personId);
    const hit = await this.cached(cacheKey);
    if (hit) return hit;
    const value = this.read(tenantId, personId).then((k) => k ?? this.create(tenantId, personId));
    return (await this.remember(cacheKey, value)) as PersonKey;
  }

  async find(tenantId: string, personId: string, version: string): Promise<Buffer | null> {
    const cacheKey = this.cacheKey(tenantId, personId);
    let value = this.cached(cacheKey);
    const warm = value !== undefined;
    if (!value) value = this.remember(cacheKey, this.read(tenantId, personId));
    const key = await value;
    if (key && key.version === version) return key.key;
    const retiredKey = `${cacheKey}${retiredSuffix(version)}`;
    const known = this.cached(retiredKey);
    if (known) return (await known)?.key ?? null;
    if (warm) {
      // The cached current key may be older than this version (made after an erasure): read the
      // current key afresh first. Current before retired copy, the order in which `retire` moves
      // a version (copy written, then current deleted), so a retirement under way is never
      // mistaken for a key that is gone.
      const fresh = await this.remember(cacheKey, this.read(tenantId, personId));
      if (fresh && fresh.version === version) return fresh.key;
    }
    // Not the current version: a retired one (an erasure under way), or gone (null, remembered).
    const retired = await this.remember(retiredKey, this.read(tenantId, personId, version));
    return retired?.key ?? null;
  }

  async version(tenantId: string, personId: string): Promise<string | null> {
    const item = await this.item(tenantId, personId);
    return item ? String(item.v) : null;
  }

  async retire(tenantId: string, personId: string, version: string): Promise<void> {
    const current = await this.item(tenantId, personId);
    if (current && String(current.v) === version) {
      try {
        // The copy first: the version stays readable at every moment.
        await this.client.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: {
              pk: keyPk(tenantId, personId, version),
              v: version,
              w: current.w,
              ...(current.createdAt === undefined ? {} : { createdAt: current.createdAt }),
              retiredAt: new Date().toISOString(),
            },
          }),
        );
        await this.client.send(
          new DeleteCommand({
            TableName: this.options.tableName,
            Key: { pk: keyPk(tenantId, personId) },
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'v' },
            ExpressionAttributeValues: { ':v': version },
          }),
        );
      } catch (err) {
        // Another erasure of the person retired it meanwhile: retired all the same.
        if (!isConditionFailure(err)) throw toDomainError(err, STORE);
      }
    }
    // Else retired already (a repeated step): the copy was written before the delete.
    this.forget(`|${this.options.tableName}|${keyPk(tenantId, personId)}`);
  }

  async destroy(tenantId: string, personId: string, version?: string): Promise<void> {
    const suffix = `|${this.options.tableName}|${keyPk(tenantId, personId)}`;
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: { pk: keyPk(tenantId, personId, version) },
        }),
      );
    } catch (err) {
      throw toDomainError(err, STORE);
    }
    this.forget(version === undefined ? suffix : `${suffix}${retiredSuffix(version)}`);
  }

  /**
   * Drops every function's cached copy in this process (locally they all share it; in AWS, other
   * Lambdas' copies expire within cacheSeconds, which an erasure waits out).
   */
  private forget(suffix: string): void {
    for (const key of CACHE.keys()) if (key.endsWith(suffix)) CACHE.delete(key);
  }
}

const noop = () => {};
const retiredSuffix = (version: string) => `#retired#${version}`;

/**
 * The Keys table's key of a person's current key (`tenant#person`) or of a retired version
 * (`tenant#person#retired#version`). Person ids are the platform's and may hold any character:
 * one that contains `#retired#` (it could name another person's retired copy) or starts with `~`
 * is stored as `~` and its SHA-256 instead, so no two persons' items can share a key. Every other
 * id (all ids in practice) is stored as it is.
 */
export function keyPk(tenantId: string, personId: string, retired?: string): string {
  const person =
    personId.includes('#retired#') || personId.startsWith('~')
      ? `~${createHash('sha256').update(personId).digest('hex')}`
      : personId;
  return `${tenantId}#${person}${retired === undefined ? '' : retiredSuffix(retired)}`;
}

/** Forgets every cached key (tests). */
export function forgetPersonKeys(): void {
  CACHE.clear();
}

/**
 * The keys that open a page of stored entries: each distinct (person, version) looked up once,
 * at most 16 at a time (cached per process by the key store). Without a key store (unit tests,
 * tools) every sealed value reads as erased. The answer: the key, or null when it is gone.
 */
export async function findKeys(
  keys: PersonKeys | undefined,
  tenantId: string,
  wanted: Iterable<{ person: string; version: string }>,
): Promise<(person: string, version: string) => Buffer | null> {
  const distinct = new Map<string, { person: string; version: string }>();
  for (const w of wanted) distinct.set(`${w.person}\u0000${w.version}`, w);
  const found = new Map<string, Buffer | null>();
  if (keys && distinct.size > 0) {
    const limit = pLimit(16);
    await Promise.all(
      [...distinct.entries()].map(([id, { person, version }]) =>
        limit(async () => found.set(id, await keys.find(tenantId, person, version))),
      ),
    );
  }
  return (person, version) => found.get(`${person}\u0000${version}`) ?? null;
}

/** The person's current key: from this process's cache without an await when it holds it. */
export function currentKey(
  keys: PersonKeys,
  tenantId: string,
  personId: string,
): PersonKey | Promise<PersonKey> {
  return keys.peek?.(tenantId, personId) ?? keys.current(tenantId, personId);
}
