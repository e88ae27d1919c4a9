// Entries → file bytes, as pull streams: nothing is read from the log faster than storage takes
// the bytes, so memory stays flat at any row count. An error anywhere (the query, the directory)
// destroys the returned stream with that error, which fails the upload.
//
// CSV: RFC 4180 (CRLF records; fields with a comma, quote, CR or LF quoted, quotes doubled), UTF-8,
// by default with a byte-order mark (csv-stringify's own `bom`), so Excel on Windows opens it as
// UTF-8 by a double-click; `bom: false` for parsers that do not skip one. JSON never has one.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { activityHeader, activityRow, auditHeader, auditRow } from '../../domain/exports/columns.ts';
import type { ActivityEntryLike, AuditEntryLike } from '../../domain/exports/entries.ts';
import type { ExportVariant } from '../../domain/exports/export-job.ts';
import type { ExportUsers } from './user-columns.ts';

export function csvStream(rows: AsyncIterable<string[]>, options: { bom?: boolean } = {}): Readable {
  const out = stringify({ record_delimiter: '\r\n', quote: '"', escape: '"', bom: options.bom ?? true });
  // The pipeline destroys `out` with the source's error; consumers see it there.
  pipeline(Readable.from(rows), out).catch(() => undefined);
  return out;
}

/** One JSON entry per line, in the API's shape. */
export function ndjsonStream(entries: AsyncIterable<unknown>): Readable {
  return Readable.from(ndjsonLines(entries), { objectMode: false });
}

async function* ndjsonLines(entries: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  let batch: string[] = [];
  for await (const entry of entries) {
    batch.push(`${JSON.stringify(entry)}\n`);
    if (batch.length >= 100) {
      yield Buffer.from(batch.join(''), 'utf8');
      batch = [];
    }
  }
  if (batch.length) yield Buffer.from(batch.join(''), 'utf8');
}

export async function* auditRows(
  entries: AsyncIterable<AuditEntryLike>,
  eventLabel?: (action: string) => string,
): AsyncGenerator<string[]> {
  yield auditHeader();
  for await (const entry of entries) yield auditRow(entry, eventLabel);
}

export async function* activityRows(
  entries: AsyncIterable<ActivityEntryLike>,
  users: ExportUsers,
  variant: ExportVariant,
  customFieldNames: readonly string[],
  batchSize = 100,
): AsyncGenerator<string[]> {
  yield activityHeader(variant, customFieldNames);
  for await (const batch of inBatches(entries, batchSize)) {
    await users.prepare(batch.map((e) => e.user.id));
    for (const entry of batch) yield activityRow(entry, users.get(entry.user.id), variant, customFieldNames);
  }
}

/** Counts what passes through, for the job's rowCount. */
export async function* counted<T>(source: AsyncIterable<T>, counter: { rows: number }): AsyncGenerator<T> {
  for await (const item of source) {
    counter.rows++;
    yield item;
  }
}

export async function* inBatches<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
