// The one mapping of AWS SDK failures (after the SDK's own retries) to domain errors, for every
// adapter. It reads the metadata every SDK v3 exception class carries, not message text:
// - throttling (`$retryable.throttling`, or a throttling error name): 429, retry shortly;
// - a fault that can clear (`$fault: 'server'`, a transaction conflict, or no service answer at
//   all: a lost connection, a timeout): 503, safe to retry;
// - anything the service refused as the caller's fault (`$fault: 'client'`: AccessDenied,
//   ValidationException, ResourceNotFoundException, an unverified SES identity, ...): it never
//   clears on a retry, so a 500 (never a 503 "retry"), an error log line, and the
//   `AwsNonRetryableErrors` metric, which the stack alarms on.
// Adapters handle the outcomes they expect first (a failed condition is a duplicate, not a fault).

import { DomainError, ThrottledError, UnavailableError } from '../domain/errors.ts';
import { recordNonRetryable } from '../observability.ts';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'RequestThrottledException',
]);

/** Client faults that a retry can clear. */
const RETRYABLE_CLIENT = new Set([
  'TransactionConflictException',
  'TransactionInProgressException',
  'RequestTimeout',
  'RequestTimeoutException',
  'IdempotentParameterMismatchException',
]);

interface SdkError {
  name?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

/** Non-retryable: the service answered and said the request itself is wrong. */
export class DependencyFaultError extends DomainError {
  override readonly statusCode = 500;
  override readonly expose = false;
  override readonly title = 'Internal Server Error';
}

export function isThrottling(err: unknown): boolean {
  const e = (err ?? {}) as SdkError;
  return e.$retryable?.throttling === true || THROTTLING.has(e.name ?? '');
}

/**
 * @param what names the dependency in the message (logs only; responses never show it).
 */
export function toDomainError(err: unknown, what = 'A dependency'): DomainError {
  if (err instanceof DomainError) return err;
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? 'unknown error';
  if (isThrottling(err)) return new ThrottledError(`${what} is busy; retry shortly.`, { cause: err });
  if (e.$fault === 'client' && !RETRYABLE_CLIENT.has(name)) {
    recordNonRetryable(name);
    return new DependencyFaultError(`${what} refused the call: ${name}`, { cause: err });
  }
  return new UnavailableError(`${what} is unavailable: ${name}`, { cause: err });
}
