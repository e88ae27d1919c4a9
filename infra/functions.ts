// The function manifest: one entry per folder under functions/ that becomes a Lambda, saying
// what it may touch. The API stack creates a function for every entry (its
// functions/<name>/handler.ts must exist), sets its environment and grants its IAM only from this
// entry (through the ServiceFunction bind* helpers), routes HTTP traffic to it from
// functions/routes.ts, and adds the triggers below. Plain data: no CDK import.
//
// Shared registration point: add or adjust your function's entry, nothing else.

import type { TableDef } from '../shared/adapters/dynamodb/tables.ts';
import { QUEUE_LIMIT_SECONDS, RUN_LIMIT_SECONDS } from '../shared/domain/exports/deadlines.ts';

/**
 * - `query`: Query on the table and each of its named indexes (no item reads by key)
 * - `read`: GetItem on the table, Query on the table and each of its named indexes
 * - `append`: PutItem only (immutable entries: a conditional put, never an update)
 * - `write`: PutItem, UpdateItem, DeleteItem
 * - `readAppend`: read + append
 * - `readWrite`: read + write
 * - `readUpdate`: read + UpdateItem only (moves existing items on, creates and deletes nothing)
 * - `expiry`: Query on the table and its indexes + UpdateItem only under a `dynamodb:Attributes`
 *   condition naming the key and the expiry attributes (`ttl`, `rx`): log entries stay immutable,
 *   only when they expire moves (legal holds, retention per tenant)
 * - `seal`: GetItem and Query on the table and its indexes + UpdateItem only under a
 *   `dynamodb:Attributes` condition naming the key and the integrity attributes (`h`, `sl`, `ss`,
 *   and `e`, `integrity` for `e.integrity`): the legacy backfill's one permitted enrichment of an entry stored
 *   before entry hashes, conditional on it having no hash (docs/data-model.md, Integrity)
 * - `erasure`: read + UpdateItem only under a `dynamodb:Attributes` condition naming the key, the
 *   list view `e` (commitments, erased markers) and the plaintext helpers `f` and `ipp`
 * Indexes are named from tables.ts, never `index/*`; nothing grants Scan.
 * TransactWriteItems needs no action of its own (each item's Put/Update/Delete is checked); a
 * ConditionCheck item would need dynamodb:ConditionCheckItem, which no level grants yet.
 */
export type TableAccess =
  | 'query'
  | 'read'
  | 'append'
  | 'readAppend'
  | 'write'
  | 'readWrite'
  | 'readUpdate'
  | 'expiry'
  | 'seal'
  | 'erasure';

export interface TableGrant {
  access: TableAccess;
  /**
   * `read`: BatchGetItem on the table · `write`: BatchWriteItem on the table (never for log
   * entries: it takes no condition) · `true`: each of the two the access level reads or writes.
   */
  batch?: boolean | 'read' | 'write';
}

/** Plain settings a function may receive (names are shared/config.ts variables). */
export type SettingName =
  | 'AUDIT_RETENTION_MONTHS'
  | 'ACTIVITY_RETENTION_MONTHS'
  | 'EXPORT_LINK_DAYS'
  | 'PUBLIC_BASE_URL'
  /** TENANT_SHARDS and DEFAULT_SHARDS together: whoever writes or reads a sharded index. */
  | 'SHARDS'
  /** Whether list answers carry cost headers (the `costHeaders` setting; off by default). */
  | 'COST_HEADERS'
  /** The IAM principals service routes accept (the `serviceCallers` setting). */
  | 'SERVICE_CALLERS';

/** SQS queues the API stack creates (each with a dead-letter queue) when a function names one. */
export type QueueName = 'schedule-runs' | 'expiry-jobs' | 'erasure-jobs';

export interface FunctionSpec {
  description: string;
  tables?: Partial<Record<TableDef['id'], TableAccess | TableGrant>>;
  /** Objects under `prefix` in the exports bucket (EXPORTS_BUCKET). */
  bucket?: { access: 'read' | 'write' | 'readWrite'; prefix: string };
  /** SIGNING_SECRET_ARN and secretsmanager:GetSecretValue on it (cursors, download tokens). */
  signingSecret?: boolean;
  /** SEAL_KMS_KEY_ID and kms:Sign + kms:GetPublicKey on the digest-signing key. */
  sealKey?: boolean;
  /**
   * Persons' data keys (KEYS_TABLE, PERSON_KEYS_KMS_KEY_ID, KEY_CACHE_SECONDS): `read` =
   * GetItem on Keys + kms:Decrypt (readers of audit entries, and of activity entries, whose
   * recorder's name is sealed); `create` adds PutItem + kms:GenerateDataKey (whoever writes audit
   * or activity entries); `erase` adds PutItem and DeleteItem, no GenerateDataKey (the erasure
   * worker: retires a key version by copying it to its retired item and deleting the current one,
   * later deletes the retired copy).
   */
  personKeys?: 'read' | 'create' | 'erase';
  /** SENDER_EMAIL and ses:SendEmail from it. */
  sender?: boolean;
  /** Functions this one invokes asynchronously (`<NAME>_FUNCTION`, lambda:InvokeFunction). */
  invoke?: readonly string[];
  /** Queues this one sends to (`<NAME>_QUEUE_URL`, sqs:SendMessage on that queue only). */
  sendsTo?: readonly QueueName[];
  /**
   * The queue that triggers this function: one message per invocation, failed messages reported
   * back (partial batch response), at most `maxConcurrency` invocations at once.
   */
  consumes?: { queue: QueueName; maxConcurrency: number };
  settings?: readonly SettingName[];
  /** Default 256. */
  memoryMb?: number;
  /** Default 10. Functions behind a route: at most 29 (the HTTP API gives up after 30 s). */
  timeoutSeconds?: number;
  /** An EventBridge rule invokes the function on this period. */
  schedule?: { everyMinutes: number };
  /**
   * The function is invoked asynchronously: how often Lambda retries a failed invocation, how
   * long an event may wait, and an on-failure destination (an encrypted SQS queue with an alarm)
   * for events that ran out of both.
   */
  asyncInvoke?: { retryAttempts: 0 | 1 | 2; maxEventAgeSeconds: number };
  /** Reserved concurrency from this deployment setting (0 there = none reserved). */
  reservedConcurrency?: 'exportWorkerConcurrency' | 'scheduleDispatcherConcurrency';
  /**
   * Grants no SDK call of the integration suites uses, each with the reason it stays, keyed
   * `<action> <resource>` as test/iam/sdk-calls.test.ts names them (`dynamodb:GetItem Audit`,
   * `s3:AbortMultipartUpload Exports/exports/*`). That test fails on an unused grant without a
   * reason here, and on a reason kept for a grant that calls do use.
   */
  unexercised?: Readonly<Record<string, string>>;
}

/**
 * Grants the local stack cannot exercise for any function, by action: it has no Lambda service,
 * no Secrets Manager and no SQS, so the calls behind these never leave the process there.
 */
export const UNEXERCISED_LOCALLY: Readonly<Record<string, string>> = {
  'secretsmanager:GetSecretValue':
    'Locally the signing key is SIGNING_SECRET (or the fixed local key); in AWS each cold start reads it from Secrets Manager (shared/signing.ts).',
  'lambda:InvokeFunction':
    'Locally the gateway runs the invoked handler in-process (local/gateway.ts invokeLocally); in AWS it is an asynchronous Invoke (shared/adapters/lambda/export-dispatcher.ts).',
  'sqs:SendMessage':
    "Locally the tick hands each claimed run to the run worker in-process (local/schedules.ts); in AWS it is SendMessageBatch on the run queue (shared/adapters/sqs/run-queue.ts), and Lambda's on-failure destination of an asynchronous invoke.",
  'kms:Sign':
    'Locally a P-256 key file in DATA_DIR signs digests (shared/adapters/kms/digest-signer.ts localDigestSigner); in AWS the sealer signs each digest with Sign on the KMS key (kmsDigestSigner). KMS has no local stand-in.',
  'kms:GenerateDataKey':
    "Locally a master key file in DATA_DIR wraps persons' data keys (shared/adapters/kms/data-keys.ts localKeyWrapper); in AWS GenerateDataKey makes each person's key (kmsKeyWrapper). KMS has no local stand-in.",
  'kms:Decrypt':
    "Locally the master key file unwraps persons' data keys; in AWS Decrypt does, on a cache miss (kmsKeyWrapper).",
  'kms:GetPublicKey':
    "Locally the public key comes from the key file; in AWS the sealer reads the KMS key's public half once per cold start with GetPublicKey, to list it as a JWK (kmsDigestSigner).",
  ...Object.fromEntries(
    [
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ].map((action) => [
      action,
      "Lambda itself calls it with the function's role: the SQS event source mapping of a `consumes` queue (receive, delete, visibility) or the on-failure destination of an asynchronous invoke (CDK grants both); no code of ours does, and locally there is no queue.",
    ]),
  ),
};

/** Why a grant of a coarse access level stays although no call uses it. */
const COARSE_LEVEL =
  "Part of the manifest's coarse access level (read = GetItem + Query; readWrite adds Put/Update/Delete); no call uses it. To narrow once access levels can name single actions.";
const MULTIPART_ABORT =
  "lib-storage aborts a multipart upload only when an upload of more than one part fails mid-way; the integration suites' storage faults hit single-part uploads.";

/** Lambda's maximum; exports are bounded by it (shared/domain/exports/deadlines.ts). */
const FIFTEEN_MINUTES = RUN_LIMIT_SECONDS;

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  health: { description: 'GET /health', memoryMb: 128, timeoutSeconds: 3 },
  openapi: { description: 'GET /v1/openapi.json', timeoutSeconds: 5 },
  catalog: {
    description: 'GET /v1/catalog: the filter values with labels',
    memoryMb: 128,
    timeoutSeconds: 3,
  },
  'not-found': {
    description: "API Gateway's $default route: problem+json 404",
    memoryMb: 128,
    timeoutSeconds: 3,
  },

  'audit-ingest': {
    description: 'POST /v1/audit-events',
    // State: each tenant's retention and legal holds (one Query, cached 10 s): the age check and held entries.
    tables: { Audit: 'append', State: 'query' },
    // Personal fields are sealed under each person's data key.
    personKeys: 'create',
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS', 'SERVICE_CALLERS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'audit-query': {
    description: 'GET /v1/audit-events and /v1/audit-events/{id}',
    // State: the tenant's retention and legal holds, which decide what reads return.
    tables: { Audit: 'read', State: 'query' },
    personKeys: 'read',
    signingSecret: true,
    // Lists and gets hide entries past the tenant's retention (these are its defaults), as exports do.
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS', 'COST_HEADERS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  directory: {
    description: 'PUT /v1/directory/*',
    // The directory store reads a tenant's records with Query and upserts them with BatchWriteItem.
    tables: { Directory: { access: 'query', batch: 'write' } },
    settings: ['SERVICE_CALLERS'],
    timeoutSeconds: 29,
  },
  'activity-ingest': {
    description: 'POST /v1/activity-events',
    // Entries carry the ids platforms send; the directory is read at query time, never here.
    // State: each tenant's retention and legal holds, as for the audit ingest.
    tables: { Activity: 'append', State: 'query' },
    // The recorder's name (recordedBy) is sealed under their data key, as in audit entries.
    personKeys: 'create',
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS', 'SERVICE_CALLERS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'activity-query': {
    description: 'GET /v1/activity, /v1/me/activity and the directory pickers GET /v1/directory/*',
    // Both through their indexes and the directory snapshot: no item is read by key. The pickers
    // (users, teams, groups) read the same snapshot with the same scoping, and sign their cursors.
    // State: the tenant's retention and legal holds.
    tables: { Activity: 'query', Directory: 'query', State: 'query' },
    // Opens the recorder's sealed name (recordedBy), or shows "[erased]" once their key is gone.
    personKeys: 'read',
    signingSecret: true,
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS', 'COST_HEADERS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  exports: {
    description:
      'POST /v1/exports, GET /v1/exports (the caller’s own) and GET /v1/exports/{id}: records the job, starts the worker',
    // Directory: the request checks scope filters (teams, a manager's tree) and names the requester.
    // State: the job and the requester's list line in one transaction; the list is a Query of that
    // line's partition, and its jobs are read with BatchGetItem.
    tables: { State: { access: 'readWrite', batch: 'read' }, Audit: 'append', Directory: 'query' },
    personKeys: 'create',
    signingSecret: true,
    invoke: ['export-worker'],
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
    },
    settings: ['EXPORT_LINK_DAYS', 'PUBLIC_BASE_URL', 'AUDIT_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'export-worker': {
    description: 'Runs one export (async invoke): query pages → CSV/NDJSON stream → S3',
    // Audit exports hydrate list items with BatchGetItem (audit-store.ts `hydrate`). The worker
    // only reads the logs and writes the file: the request recorded the export in the audit log,
    // and links are signed when the job is read (shared/composition/exports.ts exportWorkerDeps).
    // State: the job is read and moved on (claim, publish, fail), never created or deleted here.
    tables: {
      Audit: { access: 'query', batch: 'read' },
      Activity: 'query',
      Directory: 'query',
      State: 'readUpdate',
    },
    personKeys: 'read',
    bucket: { access: 'write', prefix: 'exports/' },
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS'],
    unexercised: {
      's3:AbortMultipartUpload Exports/exports/*': MULTIPART_ABORT,
    },
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
    // One retry: an invocation that failed before claiming its job gets a second chance; one
    // that died after the claim finds the job running and stops (the sweeper fails it).
    asyncInvoke: { retryAttempts: 1, maxEventAgeSeconds: QUEUE_LIMIT_SECONDS },
    reservedConcurrency: 'exportWorkerConcurrency',
  },
  'export-sweeper': {
    description: 'Every 15 minutes: marks exports stuck in queued or running past their bound as failed',
    tables: { State: 'readUpdate' },
    memoryMb: 256,
    timeoutSeconds: 60,
    schedule: { everyMinutes: 15 },
  },
  downloads: {
    description: 'GET /v1/downloads/{token}: checks the signed token, redirects to a fresh presigned URL',
    tables: { State: 'read' },
    bucket: { access: 'read', prefix: 'exports/' },
    signingSecret: true,
    timeoutSeconds: 10,
    unexercised: { 'dynamodb:Query State': COARSE_LEVEL },
  },
  reports: {
    description: 'Saved reports and their schedules',
    tables: { State: 'readWrite', Directory: 'query', Audit: 'append' },
    personKeys: 'create',
    signingSecret: true,
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'audit-sealer': {
    description: "Every 5 minutes: seals each tenant's closed audit hours into signed, chained digests",
    // Audit: the bySeal index; for the legacy backfill, byTime, the entry (GetItem) and the
    // attribute-limited UpdateItem that adds a legacy entry's integrity. State: digests, chain
    // heads (one transaction each), leaf-list pages, signing keys, the cursor and each chainless
    // tenant's backfill progress.
    // Every State write is a PutItem (conditional for digests and heads, inside one transaction).
    tables: { Audit: 'seal', State: 'readAppend' },
    // SHARDS: a chainless tenant's backfill walks its byTime shards.
    settings: ['SHARDS'],
    sealKey: true,
    unexercised: { 'dynamodb:Query State': COARSE_LEVEL },
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
    schedule: { everyMinutes: 5 },
  },
  'audit-digests': {
    description:
      'GET /v1/audit-digests, /v1/audit-digests/keys, /v1/audit-digests/{id}/leaves and /v1/audit-events/{id}/proof',
    // Audit: the entry (GetItem) and its hour's hashes (bySeal); State: digests, keys, leaf lists.
    tables: { Audit: 'read', State: 'read' },
    personKeys: 'read',
    // The audit store is built whole (it knows the write shards, though a proof reads none).
    settings: ['SHARDS'],
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  trust: {
    description:
      'Legal holds, retention per tenant and erasures: /v1/legal-holds, /v1/settings/retention, /v1/erasures',
    // State: holds, the setting and expiry jobs; Audit: each change recorded through the ingest;
    // Directory: the owner's name in that entry.
    tables: { State: 'readWrite', Audit: 'append', Directory: 'query' },
    personKeys: 'create',
    sendsTo: ['expiry-jobs', 'erasure-jobs'],
    unexercised: { 'dynamodb:DeleteItem State': COARSE_LEVEL },
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'expiry-worker': {
    description:
      "One step of an expiry job per SQS message: pages of a tenant's entries, each stored expiry set by the holds and retention",
    // The logs: the byTime walk and one UpdateItem per entry that moves (ttl and rx only; nothing
    // created or deleted). State: the job's checkpoint, the tenant's holds and retention.
    tables: { Audit: 'expiry', Activity: 'expiry', State: 'readWrite' },
    sendsTo: ['expiry-jobs'],
    consumes: { queue: 'expiry-jobs', maxConcurrency: 2 },
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
      'dynamodb:UpdateItem State': COARSE_LEVEL,
    },
    settings: ['AUDIT_RETENTION_MONTHS', 'ACTIVITY_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 5 * 60,
  },
  'erasure-worker': {
    description:
      "One step of an erasure per SQS message: the person's audit entries get commitments, their key and directory record go",
    // Audit: the person's entries through byActor, bySubject, byObject and (for impersonators,
    // who have no index) byTime, each read by key and updated once (`e`, `f`, `ipp` only).
    // Activity: the learner's entries counted (byUser). Directory: the record replaced by a
    // tombstone. State: the erasure's checkpoint. Keys: the person's key version retired (copied
    // to its retired item, the current item deleted), then the retired copy deleted.
    tables: { Audit: 'erasure', Activity: 'query', Directory: 'readAppend', State: 'readWrite' },
    personKeys: 'erase',
    sendsTo: ['erasure-jobs'],
    consumes: { queue: 'erasure-jobs', maxConcurrency: 2 },
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
      'dynamodb:UpdateItem State': COARSE_LEVEL,
      'dynamodb:Query Directory': COARSE_LEVEL,
    },
    settings: ['SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 5 * 60,
  },
  'expiry-resumer': {
    description:
      'Every 15 minutes: re-queues expiry jobs and erasures whose checkpoint is older than 15 minutes',
    // State: the sparse byDue index, one Query per kind (EXPIRY#running, ERASURE#pending).
    tables: { State: 'query' },
    sendsTo: ['expiry-jobs', 'erasure-jobs'],
    timeoutSeconds: 60,
    schedule: { everyMinutes: 15 },
  },
  'schedule-dispatcher': {
    description:
      'Every 15 minutes: claims the due schedule runs, round-robin by tenant, one queue message each',
    // State: the due index, reports, run claims and nextRunAt; Directory: the owner's access now.
    tables: { Directory: 'query', State: 'readWrite' },
    sendsTo: ['schedule-runs'],
    unexercised: { 'dynamodb:DeleteItem State': COARSE_LEVEL },
    memoryMb: 512,
    timeoutSeconds: 5 * 60,
    schedule: { everyMinutes: 15 },
    reservedConcurrency: 'scheduleDispatcherConcurrency',
  },
  'schedule-run-worker': {
    description: 'One claimed schedule run per SQS message: exports per recipient view, e-mails the links',
    // Audit exports hydrate list items with BatchGetItem (audit-store.ts `hydrate`).
    tables: {
      Audit: { access: 'readAppend', batch: 'read' },
      Activity: 'query',
      Directory: 'query',
      State: 'readWrite',
    },
    // Reads entries it exports; the runs it records have a system actor (no person, no key made).
    personKeys: 'read',
    bucket: { access: 'write', prefix: 'exports/' },
    signingSecret: true,
    sender: true,
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
      'dynamodb:GetItem Audit': COARSE_LEVEL,
      's3:AbortMultipartUpload Exports/exports/*': MULTIPART_ABORT,
    },
    settings: [
      'EXPORT_LINK_DAYS',
      'PUBLIC_BASE_URL',
      'SHARDS',
      'AUDIT_RETENTION_MONTHS',
      'ACTIVITY_RETENTION_MONTHS',
    ],
    consumes: { queue: 'schedule-runs', maxConcurrency: 20 },
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
  },
};
