import { randomBytes } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonKey } from '../../domain/audit/personal.ts';
import type { PersonKeys } from '../../use-cases/audit/ports.ts';
import { currentFunction } from '../invocation.ts';
import type { KeyWrapper } from '../kms/data-keys.ts';
import { isConditionFailure, toDomainError } from './errors.ts';

/**
 * The Keys table: one item per (tenant, person), pk `tenant#person`, holding the person's current
 * data key wrapped by the KeyWrapper (`w`) and its version (`v`, 12 random base64url characters). An erasure deletes the
 * item; a person seen again later gets a new item, so a new version, and what was sealed under the
 * old one stays unreadable. Two writers making a person's first key race on a conditional put;
 * the loser reads the winner's key.
 *
 * Unwrapped keys are cached per process (a warm Lambda) for at most `cacheSeconds`, LRU-bounded;
 * a version found gone is remembered as gone (versions never come back). Locally, where every
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
    return `${currentFunction() ?? ''}|${this.options.tableName}|${tenantId}#${personId}`;
  }

  private cached(key: string): Promise<PersonKey | null> | undefined {
    const hit = CACHE.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at > this.options.cacheSeconds * 1000) {
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

  private async read(tenantId: string, personId: string): Promise<PersonKey | null> {
    let item: Record<string, unknown> | undefined;
    try {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: `${tenantId}#${personId}` },
          ConsistentRead: true,
        }),
      );
      item = out.Item;
    } catch (err) {
      throw toDomainError(err, STORE);
    }
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
            pk: `${tenantId}#${personId}`,
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
    if (!hit?.settled || this.now() - hit.at > this.options.cacheSeconds * 1000) return undefined;
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
    const gone = `${this.cacheKey(tenantId, personId)}#gone#${version}`;
    if (this.cached(gone)) return null;
    const cacheKey = this.cacheKey(tenantId, personId);
    let value = this.cached(cacheKey);
    if (!value) value = this.remember(cacheKey, this.read(tenantId, personId));
    const key = await value;
    if (key && key.version === version) return key.key;
    this.remember(gone, Promise.resolve(null));
    return null;
  }

  async destroy(tenantId: string, personId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.options.tableName, Key: { pk: `${tenantId}#${personId}` } }),
      );
    } catch (err) {
      throw toDomainError(err, STORE);
    }
    // Every function's copy in this process (locally they all share it; in AWS, other Lambdas'
    // copies expire within cacheSeconds, which an erasure waits out).
    const suffix = `|${this.options.tableName}|${tenantId}#${personId}`;
    for (const key of CACHE.keys())
      if (key.endsWith(suffix) || key.includes(`${suffix}#gone#`)) CACHE.delete(key);
  }
}

const noop = () => {};

/** Forgets every cached key (tests). */
export function forgetPersonKeys(): void {
  CACHE.clear();
}
