import type { DomainError } from '../../domain/errors.ts';
import { toDomainError as mapAwsError } from '../aws-errors.ts';

/** DynamoDB failures as domain errors, through the one AWS error mapper (../aws-errors.ts). */
export function toDomainError(err: unknown): DomainError {
  return mapAwsError(err, 'The store');
}
