import { DynamoErasureTargets } from '../adapters/dynamodb/audit-erasure.ts';
import { DynamoAuditStore } from '../adapters/dynamodb/audit-store.ts';
import { dynamoDocumentClient } from '../adapters/dynamodb/client.ts';
import { logExpiryStoreFromConfig } from '../adapters/dynamodb/log-expiry.ts';
import { CachedTrustReader, DynamoTrustStore, forgetTrustState } from '../adapters/dynamodb/trust-store.ts';
import { sqsClient } from '../adapters/sqs/client.ts';
import { localErasureQueue, SqsErasureQueue } from '../adapters/sqs/erasure-queue.ts';
import { localExpiryQueue, SqsExpiryQueue } from '../adapters/sqs/expiry-queue.ts';
import { type Config, isDeployed, shardResolver } from '../config.ts';
import { systemClock } from '../domain/time.ts';
import { ingestAuditEvents } from '../use-cases/audit/ingest.ts';
import {
  type ErasureDeps,
  type ErasureWorkerDeps,
  getErasure,
  requestErasure,
  runErasureTask,
  WRITE_GRACE_SECONDS,
} from '../use-cases/trust/erasure.ts';
import { type ExpiryDeps, runExpiryTask } from '../use-cases/trust/expiry.ts';
import {
  type ExpiryQueue,
  getRetention,
  listHolds,
  placeHold,
  putRetention,
  releaseHold,
  type TrustDeps,
} from '../use-cases/trust/manage.ts';
import type { ErasureQueue } from '../use-cases/trust/ports.ts';
import { type ResumerDeps, resumeStalledJobs } from '../use-cases/trust/resumer.ts';
import { auditStoreFromConfig, personKeysFromConfig } from './audit.ts';
import { bindAll } from './bind.ts';
import { directoryStoreFromConfig } from './directory.ts';
import { trustReaderFromConfig } from './trust-reader.ts';

/** Expiry jobs go to SQS in AWS and wait in this process locally (shared/adapters/sqs/expiry-queue.ts). */
export function expiryQueueFromConfig(config: Config): ExpiryQueue {
  const url = config.EXPIRY_JOBS_QUEUE_URL;
  return url ? new SqsExpiryQueue(sqsClient(config), url) : localExpiryQueue;
}

/** The composition root of `/v1/legal-holds` and `/v1/settings/retention` (the trust function). */
export function buildTrustDeps(config: Config): TrustDeps {
  const client = dynamoDocumentClient(config);
  const store = new DynamoTrustStore(client, { tableName: config.STATE_TABLE });
  const trust = trustReaderFromConfig(config, client);
  const directory = directoryStoreFromConfig(config, client);
  const ingest = {
    store: auditStoreFromConfig(config, client),
    clock: systemClock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
    trust,
  };
  return {
    store,
    defaults: {
      auditMonths: config.AUDIT_RETENTION_MONTHS,
      activityMonths: config.ACTIVITY_RETENTION_MONTHS,
    },
    audit: {
      async record(events) {
        await ingestAuditEvents(ingest, events);
      },
    },
    queue: expiryQueueFromConfig(config),
    async nameOf(tenantId, userId) {
      const snap = await directory.snapshot(tenantId);
      return snap.displayName(userId);
    },
    changed: forgetTrustState,
    clock: systemClock,
  };
}

/** The composition root of the expiry worker (SQS) and, locally, of the drain route. */
export function buildExpiryDeps(config: Config): ExpiryDeps {
  const client = dynamoDocumentClient(config);
  const store = new DynamoTrustStore(client, { tableName: config.STATE_TABLE });
  return {
    store,
    // Uncached: each page applies the holds and retention as they are now.
    trust: new CachedTrustReader(
      store,
      { auditMonths: config.AUDIT_RETENTION_MONTHS, activityMonths: config.ACTIVITY_RETENTION_MONTHS },
      0,
    ),
    logs: logExpiryStoreFromConfig(config, client, shardResolver(config)),
    queue: expiryQueueFromConfig(config),
    clock: systemClock,
  };
}

/** The composition root of the resumer (scheduled): the state table and both job queues. */
export function buildResumerDeps(config: Config): ResumerDeps {
  const store = new DynamoTrustStore(dynamoDocumentClient(config), { tableName: config.STATE_TABLE });
  return {
    expiry: { stalled: (before) => store.stalledJobs(before), queue: expiryQueueFromConfig(config) },
    erasure: { stalled: (before) => store.stalledErasures(before), queue: erasureQueueFromConfig(config) },
    clock: systemClock,
  };
}

/** Erasure steps go to SQS in AWS and wait in this process locally (shared/adapters/sqs/erasure-queue.ts). */
export function erasureQueueFromConfig(config: Config): ErasureQueue {
  const url = config.ERASURE_JOBS_QUEUE_URL;
  return url ? new SqsErasureQueue(sqsClient(config), url) : localErasureQueue;
}

/** The composition root of `/v1/erasures` (the trust function). */
export function buildErasureDeps(config: Config): ErasureDeps {
  const client = dynamoDocumentClient(config);
  const store = new DynamoTrustStore(client, { tableName: config.STATE_TABLE });
  const directory = directoryStoreFromConfig(config, client);
  const ingest = {
    store: auditStoreFromConfig(config, client),
    clock: systemClock,
    retentionMonths: config.AUDIT_RETENTION_MONTHS,
    trust: trustReaderFromConfig(config, client),
  };
  return {
    store,
    holds: async (tenantId) => (await store.load(tenantId)).holds.filter((h) => h.status === 'active'),
    queue: erasureQueueFromConfig(config),
    audit: {
      async record(events) {
        await ingestAuditEvents(ingest, events);
      },
    },
    async nameOf(tenantId, userId) {
      const snap = await directory.snapshot(tenantId);
      return snap.displayName(userId);
    },
    clock: systemClock,
  };
}

/** The composition root of the erasure worker (SQS) and, locally, of the drain route. */
export function buildErasureWorkerDeps(config: Config): ErasureWorkerDeps {
  const client = dynamoDocumentClient(config);
  const store = new DynamoTrustStore(client, { tableName: config.STATE_TABLE });
  const keys = personKeysFromConfig(config, client);
  const shardsFor = shardResolver(config);
  const audit = new DynamoAuditStore(client, { tableName: config.AUDIT_TABLE, shardsFor, keys });
  return {
    store,
    holds: async (tenantId) => (await store.load(tenantId)).holds.filter((h) => h.status === 'active'),
    queue: erasureQueueFromConfig(config),
    targets: new DynamoErasureTargets(client, audit, keys, {
      auditTable: config.AUDIT_TABLE,
      activityTable: config.ACTIVITY_TABLE,
      directoryTable: config.DIRECTORY_TABLE,
      shardsFor,
      // In AWS other Lambdas may hold the key for up to KEY_CACHE_SECONDS after it is retired or
      // deleted (and store an entry sealed with it up to their timeout later). Locally every
      // function runs in this one process, and retiring or deleting the key drops every
      // function's cached copy at once: nothing is left to wait for.
      waitSeconds: isDeployed() ? keys.cacheSeconds + WRITE_GRACE_SECONDS : 0,
    }),
    clock: systemClock,
  };
}

/** The messages of the expiry and erasure queues, as their workers read them. */
export { erasureTaskSchema } from '../domain/trust/erasure.ts';
export { expiryTaskSchema } from '../domain/trust/jobs.ts';

/** The trust function's use cases: legal holds, retention, erasures, each bound to its deps. */
export function trustService(config: Config) {
  const holds = { placeHold, listHolds, releaseHold, getRetention, putRetention };
  const trust = bindAll(buildTrustDeps(config), holds);
  return { ...trust, ...bindAll(buildErasureDeps(config), { requestErasure, getErasure }) };
}

/** The expiry worker's use case: one step of an expiry job. */
export function expiryWorkerService(config: Config) {
  return bindAll(buildExpiryDeps(config), { runTask: runExpiryTask });
}

/** The resumer's use case: stalled expiry jobs and erasures queued again. */
export function expiryResumerService(config: Config) {
  return bindAll(buildResumerDeps(config), { resumeStalled: resumeStalledJobs });
}

/** The erasure worker's use case: one step of an erasure. */
export function erasureWorkerService(config: Config) {
  return bindAll(buildErasureWorkerDeps(config), { runTask: runErasureTask });
}
