import { ThrottledError, UnavailableError } from '../../domain/errors.ts';

/**
 * S3 errors as domain errors. Errors from an upload's body (the query, the directory) pass
 * through: they are already domain errors.
 */
export function storageError(err: unknown): unknown {
  if (err instanceof Error && 'statusCode' in err && 'expose' in err) return err;
  const name = (err as { name?: string }).name ?? '';
  if (name === 'SlowDown' || name === 'ThrottlingException')
    return new ThrottledError('Storage is busy; retry shortly.');
  return new UnavailableError('Storage is unavailable.', { cause: err });
}
