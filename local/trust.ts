import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Cron } from 'croner';
import { z } from 'zod';
import { TABLES } from '../shared/adapters/dynamodb/tables.ts';
import { runAs } from '../shared/adapters/invocation.ts';
import { LOCAL_CREDENTIALS } from '../shared/adapters/local-credentials.ts';
import { localErasureQueue } from '../shared/adapters/sqs/erasure-queue.ts';
import { localExpiryQueue } from '../shared/adapters/sqs/expiry-queue.ts';
import { buildErasureWorkerDeps, buildExpiryDeps, buildResumerDeps } from '../shared/composition/trust.ts';
import type { Config } from '../shared/config.ts';
import { type ErasureWorkerDeps, runErasureTask } from '../shared/use-cases/trust/erasure.ts';
import { type ExpiryDeps, runExpiryTask } from '../shared/use-cases/trust/expiry.ts';
import { type ResumerDeps, resumeStalledJobs } from '../shared/use-cases/trust/resumer.ts';
import type { LocalRoute } from './gateway.ts';
import { parseLocalBody } from './local-body.ts';

/**
 * Legal holds and retention on one machine. There is no SQS: expiry jobs wait in this process
 * (shared/adapters/sqs/expiry-queue.ts) and run when `POST /_local/expiry-jobs` drains them (and
 * every few seconds under `npm start`), each step marked as the expiry worker's invocation. And
 * DynamoDB Local never deletes by TTL: `POST /_local/ttl-sweep {now}` applies DynamoDB's rule
 * (an item whose TTL attribute is a number below `now`, in epoch seconds, is deleted; an item
 * without one never is) to every table with a TTL attribute, so tests can move time past
 * retention and see what the sweep would leave.
 */
let deps: { config: Config; expiry: ExpiryDeps } | undefined;
let resumerDeps: { config: Config; deps: ResumerDeps } | undefined;

/**
 * What the scheduled resumer does in AWS: expiry jobs and erasures stalled past their checkpoint
 * are queued again (marked as its invocation, so the IAM check sees its Queries). Each drain runs
 * it first.
 */
async function resume(config: Config): Promise<void> {
  if (resumerDeps?.config !== config) resumerDeps = { config, deps: buildResumerDeps(config) };
  const resumer = resumerDeps.deps;
  await runAs('expiry-resumer', () => resumeStalledJobs(resumer));
}

/** Runs every queued expiry step (and the steps they queue) until none is left. */
export async function drainExpiryJobs(config: Config): Promise<{ steps: number; done: number }> {
  if (deps?.config !== config) deps = { config, expiry: buildExpiryDeps(config) };
  const expiry = deps.expiry;
  await resume(config);
  let steps = 0;
  let done = 0;
  for (let task = localExpiryQueue.take(); task; task = localExpiryQueue.take()) {
    const t = task;
    const outcome = await runAs('expiry-worker', () => runExpiryTask(expiry, t));
    steps += 1;
    if (outcome === 'done') done += 1;
  }
  return { steps, done };
}

let erasureDeps: { config: Config; deps: ErasureWorkerDeps } | undefined;

/**
 * Runs every queued erasure step (and the steps they queue) until none is left, each marked as
 * the erasure worker's invocation, one page per step, after the resumer (stalled erasures queued
 * again). A step queued with a delay is slept out (locally the erasure does not wait for key
 * caches: they all live in this process, and retiring or destroying a key drops every function's
 * copy). `maxSteps` stops early (tests of a job killed midway).
 */
export async function drainErasureJobs(
  config: Config,
  maxSteps = Number.POSITIVE_INFINITY,
): Promise<{ steps: number; done: number; left: number }> {
  if (erasureDeps?.config !== config) erasureDeps = { config, deps: buildErasureWorkerDeps(config) };
  const deps = { ...erasureDeps.deps, pagesPerStep: 1 };
  await resume(config);
  let steps = 0;
  let done = 0;
  for (let next = localErasureQueue.take(); next; next = localErasureQueue.take()) {
    const wait = next.notBefore - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const task = next.task;
    const outcome = await runAs('erasure-worker', () => runErasureTask(deps, task));
    steps += 1;
    if (outcome === 'done') done += 1;
    if (steps >= maxSteps) break;
  }
  return { steps, done, left: localErasureQueue.size() };
}

const drainBody = z.object({ maxSteps: z.number().int().min(1).optional() }).strict();

const sweepBody = z
  .object({
    now: z.iso.datetime({ offset: true }),
    /** Local extension: only items whose `pk` starts with this tenant (tests sharing one stack stay apart). */
    tenantId: z.string().min(1).optional(),
  })
  .strict();

/** DynamoDB's TTL deletion rule, applied at once: `{deleted: {table: n}}`. */
export async function ttlSweep(config: Config, now: Date, tenantId?: string) {
  // A client of its own, not observed: this stands in for DynamoDB's own sweep, no function's call.
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  const nowEpoch = Math.floor(now.getTime() / 1000);
  const deleted: Record<string, number> = {};
  for (const def of TABLES) {
    if (!def.ttlAttribute) continue;
    const table = config[def.envVar];
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const names: Record<string, string> = { '#ttl': def.ttlAttribute, '#pk': def.partitionKey };
      const values: Record<string, unknown> = { ':now': nowEpoch };
      let filter = '#ttl < :now';
      if (tenantId) {
        values[':t1'] = `${tenantId}#`;
        values[':t2'] = `TRUST#${tenantId}`;
        filter += ' AND (begins_with(#pk, :t1) OR #pk = :t2)';
      }
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: filter,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const key: Record<string, unknown> = { [def.partitionKey]: item[def.partitionKey] };
        if (def.sortKey) key[def.sortKey] = item[def.sortKey];
        await client.send(new DeleteCommand({ TableName: table, Key: key }));
        count += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    deleted[def.id] = count;
  }
  return { deleted };
}

export function trustRoutes(config: () => Config): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/_local/expiry-jobs',
      handle: async () => ({ status: 200, body: await drainExpiryJobs(config()) }),
    },
    {
      method: 'POST',
      path: '/_local/erasure-jobs',
      handle: async (body) => {
        const parsed = parseLocalBody(drainBody, body ?? {});
        if ('error' in parsed) return parsed.error;
        return { status: 200, body: await drainErasureJobs(config(), parsed.data.maxSteps) };
      },
    },
    {
      method: 'POST',
      path: '/_local/ttl-sweep',
      handle: async (body) => {
        const parsed = parseLocalBody(sweepBody, body);
        if ('error' in parsed) return parsed.error;
        return {
          status: 200,
          body: await ttlSweep(config(), new Date(parsed.data.now), parsed.data.tenantId),
        };
      },
    },
  ];
}

/** Under `npm start`: every 5 seconds the resumer, then queued expiry jobs and erasure steps. Returns a stop function. */
export function startExpiryTicker(config: () => Config, onError: (err: unknown) => void): () => void {
  const job = new Cron('*/5 * * * * *', { protect: true }, async () => {
    try {
      // The resumer as its schedule would (a restart loses this process's queues: the erasures
      // and expiry jobs they held are found stalled and queued again).
      await resume(config());
      if (localExpiryQueue.size() > 0) await drainExpiryJobs(config());
      if (localErasureQueue.size() > 0) await drainErasureJobs(config());
    } catch (err) {
      onError(err);
    }
  });
  return () => job.stop();
}
