/**
 * The function manifest: one entry per folder under functions/ that becomes a Lambda, saying
 * what it may touch. The API stack creates a function for every entry whose
 * functions/<name>/handler.ts exists, sets its environment and grants its IAM only from this
 * entry (through the ServiceFunction bind* helpers), routes HTTP traffic to it from
 * functions/routes.ts, and adds the triggers below. Plain data: no CDK import.
 *
 * Shared registration point: add or adjust your function's entry, nothing else.
 */
import type { TableDef } from '../shared/adapters/dynamodb/tables.ts';

/**
 * - `read`: GetItem on the table, Query on the table and each of its named indexes
 * - `append`: PutItem only (immutable entries: a conditional put, never an update)
 * - `write`: PutItem, UpdateItem, DeleteItem
 * - `readAppend`: read + append
 * - `readWrite`: read + write
 * Indexes are named from tables.ts, never `index/*`; nothing grants Scan.
 * TransactWriteItems needs no action of its own (each item's Put/Update/Delete is checked); a
 * ConditionCheck item would need dynamodb:ConditionCheckItem, which no level grants yet.
 */
export type TableAccess = 'read' | 'append' | 'readAppend' | 'write' | 'readWrite';

export interface TableGrant {
  access: TableAccess;
  /**
   * `read`: adds BatchGetItem to the reads; `write`: BatchWriteItem to the writes (never for log
   * entries: a batch write has no condition, it would overwrite); `true`: both.
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
  | 'SHARDS';

export interface FunctionSpec {
  description: string;
  tables?: Partial<Record<TableDef['id'], TableAccess | TableGrant>>;
  /** Objects under `prefix` in the exports bucket (EXPORTS_BUCKET). */
  bucket?: { access: 'read' | 'write' | 'readWrite'; prefix: string };
  /** SIGNING_SECRET_ARN and secretsmanager:GetSecretValue on it (cursors, download tokens). */
  signingSecret?: boolean;
  /** SENDER_EMAIL and ses:SendEmail from it. */
  sender?: boolean;
  /** Functions this one invokes asynchronously (`<NAME>_FUNCTION`, lambda:InvokeFunction). */
  invoke?: readonly string[];
  settings?: readonly SettingName[];
  /** Default 256. */
  memoryMb?: number;
  /** Default 10. Functions behind a route: at most 29 (the HTTP API gives up after 30 s). */
  timeoutSeconds?: number;
  /** An EventBridge rule invokes the function on this period. */
  schedule?: { everyMinutes: number };
  /**
   * Grants no SDK call of the integration suites uses, each with the reason it stays, keyed
   * `<action> <resource>` as test/iam/sdk-calls.test.ts names them (`dynamodb:GetItem Audit`,
   * `dynamodb:Query Audit/index/byIp`). That test fails on an unused grant without a reason here,
   * and on a reason for a grant that calls do use.
   */
  unexercised?: Readonly<Record<string, string>>;
}

/**
 * Grants the local stack cannot exercise for any function, by action: it has no Lambda service
 * and no Secrets Manager, so the calls behind these never leave the process there.
 */
export const UNEXERCISED_LOCALLY: Readonly<Record<string, string>> = {
  'secretsmanager:GetSecretValue':
    'Locally the signing key is SIGNING_SECRET (or the fixed local key); in AWS each cold start reads it from Secrets Manager (shared/signing.ts).',
  'lambda:InvokeFunction':
    'Locally the gateway runs the invoked handler in-process (local/gateway.ts invokeLocally); in AWS it is an asynchronous Invoke (shared/adapters/lambda/export-dispatcher.ts).',
};

const FIFTEEN_MINUTES = 15 * 60;

/** Why a grant of a coarse access level stays although no call uses it. */
const COARSE_LEVEL =
  "Part of the manifest's coarse access level (read = GetItem + Query; readWrite adds Put/Update/Delete); no call uses it. To narrow once access levels can name single actions (issue 14 follow-up).";
const MULTIPART_ABORT =
  "lib-storage aborts a multipart upload only when an upload fails mid-way; the integration suites' S3 faults hit single-part uploads.";

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  health: { description: 'GET /health', memoryMb: 128, timeoutSeconds: 3 },
  openapi: { description: 'GET /v1/openapi.json', timeoutSeconds: 5 },
  'not-found': {
    description: "API Gateway's $default route: problem+json 404",
    memoryMb: 128,
    timeoutSeconds: 3,
  },

  'audit-ingest': {
    description: 'POST /v1/audit-events',
    tables: { Audit: 'append' },
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'audit-query': {
    description: 'GET /v1/audit-events and /v1/audit-events/{id}',
    tables: { Audit: 'read' },
    signingSecret: true,
    // Retention bounds every list and get: without it lists stop at another window than exports.
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  directory: {
    description: 'PUT /v1/directory/*',
    unexercised: {
      'dynamodb:DeleteItem Directory': COARSE_LEVEL,
      'dynamodb:GetItem Directory': COARSE_LEVEL,
      'dynamodb:PutItem Directory': COARSE_LEVEL,
      'dynamodb:UpdateItem Directory': COARSE_LEVEL,
    },
    // A snapshot is written with BatchWriteItem (directory-store.ts).
    tables: { Directory: { access: 'readWrite', batch: 'write' } },
    timeoutSeconds: 29,
  },
  'activity-ingest': {
    description: 'POST /v1/activity-events',
    tables: { Activity: 'append' },
    settings: ['ACTIVITY_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'activity-query': {
    description: 'GET /v1/activity and /v1/me/activity',
    unexercised: {
      'dynamodb:GetItem Activity': COARSE_LEVEL,
      'dynamodb:GetItem Directory': COARSE_LEVEL,
    },
    tables: { Activity: 'read', Directory: 'read' },
    signingSecret: true,
    settings: ['SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  exports: {
    description: 'POST /v1/exports and GET /v1/exports/{id}: records the job, starts the worker',
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
      'dynamodb:GetItem Directory': COARSE_LEVEL,
      'dynamodb:Query State': COARSE_LEVEL,
      'dynamodb:UpdateItem State': COARSE_LEVEL,
    },
    // Directory: the request checks scope filters (teams, a manager's tree) and names the requester.
    tables: { State: 'readWrite', Audit: 'append', Directory: 'read' },
    signingSecret: true,
    invoke: ['export-worker'],
    settings: ['EXPORT_LINK_DAYS', 'PUBLIC_BASE_URL', 'AUDIT_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'export-worker': {
    description: 'Runs one export (async invoke): query pages → CSV/NDJSON stream → S3',
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
      'dynamodb:GetItem Activity': COARSE_LEVEL,
      'dynamodb:GetItem Audit': COARSE_LEVEL,
      'dynamodb:GetItem Directory': COARSE_LEVEL,
      'dynamodb:PutItem State': COARSE_LEVEL,
      'dynamodb:Query Directory': COARSE_LEVEL,
      'dynamodb:Query State': COARSE_LEVEL,
      's3:AbortMultipartUpload Exports/exports/*': MULTIPART_ABORT,
    },
    // Audit pages are hydrated with BatchGetItem (audit-store.ts); the worker records nothing.
    tables: {
      Audit: { access: 'read', batch: 'read' },
      Activity: 'read',
      Directory: 'read',
      State: 'readWrite',
    },
    bucket: { access: 'write', prefix: 'exports/' },
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
  },
  downloads: {
    description: 'GET /v1/downloads/{token}: checks the signed token, redirects to a fresh presigned URL',
    unexercised: {
      'dynamodb:Query State': COARSE_LEVEL,
    },
    tables: { State: 'read' },
    bucket: { access: 'read', prefix: 'exports/' },
    signingSecret: true,
    timeoutSeconds: 10,
  },
  reports: {
    description: 'Saved reports and their schedules',
    unexercised: {
      'dynamodb:GetItem Directory': COARSE_LEVEL,
      'dynamodb:UpdateItem State': COARSE_LEVEL,
    },
    tables: { State: 'readWrite', Directory: 'read', Audit: 'append' },
    signingSecret: true,
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'schedule-dispatcher': {
    description: 'Every 15 minutes: claims due schedules, runs their exports, e-mails the links',
    unexercised: {
      'dynamodb:DeleteItem State': COARSE_LEVEL,
      'dynamodb:GetItem Activity': COARSE_LEVEL,
      'dynamodb:GetItem Audit': COARSE_LEVEL,
      'dynamodb:GetItem Directory': COARSE_LEVEL,
      'dynamodb:Query Activity': COARSE_LEVEL,
      's3:AbortMultipartUpload Exports/exports/*': MULTIPART_ABORT,
    },
    // Audit pages are hydrated with BatchGetItem (audit-store.ts).
    tables: {
      Audit: { access: 'readAppend', batch: 'read' },
      Activity: 'read',
      Directory: 'read',
      State: 'readWrite',
    },
    bucket: { access: 'write', prefix: 'exports/' },
    signingSecret: true,
    sender: true,
    settings: ['EXPORT_LINK_DAYS', 'PUBLIC_BASE_URL', 'SHARDS', 'AUDIT_RETENTION_MONTHS'],
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
    schedule: { everyMinutes: 15 },
  },
};
