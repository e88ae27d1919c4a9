import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { activityItem } from '../../shared/adapters/dynamodb/activity-keys.ts';
import { toAuditItem } from '../../shared/adapters/dynamodb/audit-keys.ts';
import { activityEventInputSchema } from '../../shared/domain/activity/event.ts';
import { auditEventInputSchema } from '../../shared/domain/audit/schema.ts';
import { retentionEndEpoch } from '../../shared/domain/time.ts';
import { toStored } from '../../shared/use-cases/activity/ingest.ts';
import { toEntry } from '../../shared/use-cases/audit/ingest.ts';

/**
 * The bench LOADER (not the ingest path): it builds exactly the items the ingest use cases store
 * — same schema validation, redaction, summary and key mapping (toEntry + toAuditItem,
 * toStored + activityItem) — and writes them with BatchWriteItem, several batches in flight,
 * because DynamoDB Local manages ~220 conditional PutItems/s on a shared machine but ~1,200
 * items/s in batches. Items are identical; only the write call differs (no idempotency check,
 * which a fresh table does not need).
 */
export const AUDIT_RETENTION_MONTHS = 18;
export const ACTIVITY_RETENTION_MONTHS = 84;

export function auditItemOf(raw: unknown, shards: number, recordedAt: string): Record<string, unknown> {
  const input = auditEventInputSchema.parse(raw);
  const entry = toEntry(input, input.id!, recordedAt);
  return toAuditItem(entry, shards, retentionEndEpoch(entry.occurredAt, AUDIT_RETENTION_MONTHS)) as never;
}

export function activityItemOf(raw: unknown, shards: number, recordedAt: string): Record<string, unknown> {
  const input = activityEventInputSchema.parse(raw);
  const entry = toStored(input, input.id!, recordedAt);
  return activityItem(entry, shards, retentionEndEpoch(entry.occurredAt, ACTIVITY_RETENTION_MONTHS));
}

export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: { inFlight?: number; label?: string; progress?: boolean } = {},
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25)
    batches.push(items.slice(i, i + 25) as Record<string, unknown>[]);
  let next = 0;
  let done = 0;
  let lastReport = Date.now();
  const started = Date.now();
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt)));
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
      done++;
      if (options.progress && Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        const n = Math.min(items.length, done * 25);
        const rate = n / ((Date.now() - started) / 1000);
        console.error(
          `bench:   ${options.label ?? tableName}: ${n.toLocaleString('en-GB')}/${items.length.toLocaleString('en-GB')} items (${rate.toFixed(0)}/s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.inFlight ?? 8, batches.length) }, worker));
}
