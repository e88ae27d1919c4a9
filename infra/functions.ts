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
  /** Adds BatchGetItem to reads and BatchWriteItem to writes. Never for log entries (no conditions). */
  batch?: boolean;
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
  /** DIGEST_KEY_ARN and kms:Sign / kms:GetPublicKey on the digest signing key (data stack). */
  digestSigner?: boolean;
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
}

const FIFTEEN_MINUTES = 15 * 60;

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
    // State: the hour marks the sealer looks for (one PutItem per tenant, hour and process).
    tables: { Audit: 'append', State: 'append' },
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'audit-query': {
    description: 'GET /v1/audit-events and /v1/audit-events/{id}',
    tables: { Audit: 'read' },
    signingSecret: true,
    settings: ['SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'audit-digests': {
    description: 'GET /v1/audit-digests, /v1/audit-digests/keys and /v1/audit-events/{id}/proof',
    tables: { Audit: 'read', State: 'read' },
    signingSecret: true,
    settings: ['SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'audit-sealer': {
    description: 'Every 5 minutes: seals closed audit hours into signed, chained digests',
    tables: { Audit: 'read', State: 'readWrite' },
    digestSigner: true,
    settings: ['SHARDS'],
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
    schedule: { everyMinutes: 5 },
  },
  directory: {
    description: 'PUT /v1/directory/*',
    tables: { Directory: 'readWrite' },
    timeoutSeconds: 29,
  },
  'activity-ingest': {
    description: 'POST /v1/activity-events',
    tables: { Activity: 'append', Directory: 'read' },
    settings: ['ACTIVITY_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  'activity-query': {
    description: 'GET /v1/activity and /v1/me/activity',
    tables: { Activity: 'read', Directory: 'read' },
    signingSecret: true,
    settings: ['SHARDS'],
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  exports: {
    description: 'POST /v1/exports and GET /v1/exports/{id}: records the job, starts the worker',
    // Directory: the request checks scope filters (teams, a manager's tree) and names the requester.
    tables: { State: 'readWrite', Audit: 'append', Directory: 'read' },
    signingSecret: true,
    invoke: ['export-worker'],
    settings: ['EXPORT_LINK_DAYS', 'PUBLIC_BASE_URL', 'AUDIT_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'export-worker': {
    description: 'Runs one export (async invoke): query pages → CSV/NDJSON stream → S3',
    tables: { Audit: 'readAppend', Activity: 'read', Directory: 'read', State: 'readWrite' },
    bucket: { access: 'write', prefix: 'exports/' },
    signingSecret: true,
    settings: ['EXPORT_LINK_DAYS', 'PUBLIC_BASE_URL', 'AUDIT_RETENTION_MONTHS', 'SHARDS'],
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
  },
  downloads: {
    description: 'GET /v1/downloads/{token}: checks the signed token, redirects to a fresh presigned URL',
    tables: { State: 'read' },
    bucket: { access: 'read', prefix: 'exports/' },
    signingSecret: true,
    timeoutSeconds: 10,
  },
  reports: {
    description: 'Saved reports and their schedules',
    tables: { State: 'readWrite', Directory: 'read', Audit: 'append' },
    signingSecret: true,
    settings: ['AUDIT_RETENTION_MONTHS', 'SHARDS'],
    timeoutSeconds: 29,
  },
  'schedule-dispatcher': {
    description: 'Every 15 minutes: claims due schedules, runs their exports, e-mails the links',
    tables: { Audit: 'readAppend', Activity: 'read', Directory: 'read', State: 'readWrite' },
    bucket: { access: 'write', prefix: 'exports/' },
    signingSecret: true,
    sender: true,
    settings: ['EXPORT_LINK_DAYS', 'PUBLIC_BASE_URL', 'SHARDS', 'AUDIT_RETENTION_MONTHS'],
    memoryMb: 1024,
    timeoutSeconds: FIFTEEN_MINUTES,
    schedule: { everyMinutes: 15 },
  },
};
