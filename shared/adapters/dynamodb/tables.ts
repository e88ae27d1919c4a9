// Table definitions: the one source of truth for names, keys, GSIs and the TTL attribute.
// The CDK data stack and the local bootstrap both read this module; nothing else spells a key.
// Plain data only, so handlers can import it without pulling in the CDK.

export interface IndexDef {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** Non-key attributes the index carries (INCLUDE projection). */
  include: readonly string[];
}

export interface TableDef {
  /** Logical id, also the CDK construct id. */
  id: 'Audit' | 'Activity' | 'Directory' | 'State' | 'Keys';
  /** Environment variable that carries the physical name. */
  envVar: 'AUDIT_TABLE' | 'ACTIVITY_TABLE' | 'DIRECTORY_TABLE' | 'STATE_TABLE' | 'KEYS_TABLE';
  partitionKey: string;
  sortKey?: string;
  ttlAttribute?: string;
  indexes: readonly IndexDef[];
}

/** All string attributes: keys are composed strings, sort keys are `occurredAt#id`. */
export const TTL_ATTRIBUTE = 'ttl';
/**
 * Log entries an active legal hold covers carry no `ttl` (so the TTL sweep never deletes them);
 * their retention expiry waits here until the hold is released (docs/trust.md).
 */
export const HELD_EXPIRY_ATTRIBUTE = 'rx';

/** What every log index projects: the list view (`e`), filter helpers (`f`) and the TTL. */
const LOG_PROJECTION = ['e', 'f', TTL_ATTRIBUTE] as const;

function logIndex(name: string, partitionKey: string): IndexDef {
  return { name, partitionKey, sortKey: 'ts', include: LOG_PROJECTION };
}

/**
 * Audit entries: base item keyed by `tenant#id` (so a conditional put makes ids idempotent),
 * every time-ordered read through a GSI sorted by `ts` = `occurredAt#id`.
 * Indexes marked (sharded) carry `#shard` in their partition key; see docs/data-model.md.
 */
export const AUDIT_TABLE: TableDef = {
  id: 'Audit',
  envVar: 'AUDIT_TABLE',
  partitionKey: 'pk',
  ttlAttribute: TTL_ATTRIBUTE,
  indexes: [
    logIndex('byTime', 'tp'), // tenant#shard (sharded)
    logIndex('byActor', 'ap'), // tenant#actorId
    logIndex('byObject', 'op'), // tenant#objectId
    logIndex('bySubject', 'sp'), // tenant#subjectId
    logIndex('byAction', 'acp'), // tenant#shard#action (sharded)
    logIndex('byObjectType', 'otp'), // tenant#shard#objectType (sharded)
    logIndex('bySource', 'srp'), // tenant#shard#sourceKind (sharded)
    logIndex('byIp', 'ipp'), // tenant#normalisedIp
    logIndex('byCourse', 'crp'), // tenant#courseId
    logIndex('byTypeAction', 'tap'), // tenant#shard#objectType#action (sharded): "Task + Deleted"
    logIndex('bySystem', 'syp'), // tenant#shard (sharded, sparse): only actors that are not people
    logIndex('byRequest', 'rqp'), // tenant#shard (sharded, sparse): only actions made through the API
    logIndex('byActorAction', 'aap'), // tenant#actorId#action (sparse: actors with an id): "what did Ann delete"
    logIndex('byCourseAction', 'cap'), // tenant#courseId#action (sparse): "who enrolled in this course"
    logIndex('byRequestMethod', 'rmp'), // tenant#shard#METHOD (sharded, sparse): "API DELETEs"
    // hour#sealShard → tenant#id with the entry hash only: the sealer's Merkle order (sparse: hashed entries)
    { name: 'bySeal', partitionKey: 'sl', sortKey: 'ss', include: ['h'] },
  ],
};

/** Activity entries: the same layout, with indexes for the learner, content and verbs. */
export const ACTIVITY_TABLE: TableDef = {
  id: 'Activity',
  envVar: 'ACTIVITY_TABLE',
  partitionKey: 'pk',
  ttlAttribute: TTL_ATTRIBUTE,
  indexes: [
    logIndex('byTime', 'tp'), // tenant#shard (sharded)
    logIndex('byUser', 'up'), // tenant#userId
    logIndex('byContent', 'cp'), // tenant#contentId
    logIndex('byAction', 'acp'), // tenant#shard#action (sharded)
    logIndex('byContentType', 'ctp'), // tenant#shard#contentType (sharded)
    logIndex('byBulkImport', 'bip'), // tenant#bulkImportId
    logIndex('byUserAction', 'uap'), // tenant#userId#action: "what has Ann completed", a team's completions
    logIndex('byContentAction', 'cap'), // tenant#contentId#action: "who completed this course"
  ],
};

/** The log's copy of the platform's people and structure: pk tenant, sk `USER#id`, `TEAM#id`, … */
export const DIRECTORY_TABLE: TableDef = {
  id: 'Directory',
  envVar: 'DIRECTORY_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [],
};

/**
 * Exports, saved reports, schedules, schedule runs and e-mail sends. `byDue` is sparse: only
 * active schedules carry `dp`, so "due before now" is one Query, never a Scan.
 */
export const STATE_TABLE: TableDef = {
  id: 'State',
  envVar: 'STATE_TABLE',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: TTL_ATTRIBUTE,
  indexes: [{ name: 'byDue', partitionKey: 'dp', sortKey: 'nextRunAt', include: ['tenantId', 'reportId'] }],
};

/**
 * Each person's data key, wrapped (envelope encryption; dynamodb/person-keys.ts): pk
 * `tenant#person`, the wrapped key `w` and its version `v`. An erasure retires a version (copied
 * to `tenant#person#retired#version`, the current item deleted), then deletes the copy.
 */
export const KEYS_TABLE: TableDef = {
  id: 'Keys',
  envVar: 'KEYS_TABLE',
  partitionKey: 'pk',
  indexes: [],
};

export const TABLES: readonly TableDef[] = [
  AUDIT_TABLE,
  ACTIVITY_TABLE,
  DIRECTORY_TABLE,
  STATE_TABLE,
  KEYS_TABLE,
];
