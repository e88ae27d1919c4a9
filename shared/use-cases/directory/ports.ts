// The directory as the use cases see it (the people and content the logs name).

import type { ContentRecord, GroupRecord, TeamRecord, UserRecord } from '../../domain/directory/schemas.ts';
import type { DirectorySnapshot } from '../../domain/directory/snapshot.ts';

export interface DirectoryReader {
  /** The tenant's directory, possibly up to `cacheMs` old. */
  snapshot(tenantId: string): Promise<DirectorySnapshot>;
}

export interface DirectoryStore extends DirectoryReader {
  /** The tenant's directory read now, bypassing the cache. */
  load(tenantId: string): Promise<DirectorySnapshot>;
  upsert(tenantId: string, kind: 'users', records: readonly UserRecord[]): Promise<number>;
  upsert(tenantId: string, kind: 'teams', records: readonly TeamRecord[]): Promise<number>;
  upsert(tenantId: string, kind: 'groups', records: readonly GroupRecord[]): Promise<number>;
  upsert(tenantId: string, kind: 'content', records: readonly ContentRecord[]): Promise<number>;
}
