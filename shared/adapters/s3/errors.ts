import { DomainError } from '../../domain/errors.ts';
import { toDomainError } from '../aws-errors.ts';

/**
 * S3 errors as domain errors, through the one AWS error mapper (../aws-errors.ts). Errors from an
 * upload's body (the query, the directory) pass through: they are already domain errors.
 */
export function storageError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  return toDomainError(err, 'Storage');
}
