import { DomainError, ThrottledError, UnavailableError } from '../../domain/errors.ts';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** SDK failures (after the SDK's own retries) as domain errors: throttling 429, anything else 503. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const name = (err as { name?: string } | null)?.name ?? '';
  if (THROTTLING.has(name)) return new ThrottledError('The store is busy; retry shortly.');
  return new UnavailableError(`DynamoDB call failed: ${name || 'unknown error'}`);
}
