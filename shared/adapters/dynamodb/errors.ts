// The DynamoDB side of the one AWS error mapper (../aws-errors.ts), for every store: the outcomes
// a store expects are told apart by the SDK's exception classes, never by comparing names.

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DomainError } from '../../domain/errors.ts';
import { toDomainError as mapAwsError } from '../aws-errors.ts';

/** A write's condition did not hold (a duplicate, a changed item, a full quota, ...). */
export function isConditionFailure(err: unknown): err is ConditionalCheckFailedException {
  return err instanceof ConditionalCheckFailedException;
}

/**
 * The positions (in TransactItems order) of a cancelled transaction's items whose condition did
 * not hold; empty for any other failure, including a transaction cancelled for another reason.
 */
export function failedConditions(err: unknown): number[] {
  if (!(err instanceof TransactionCanceledException)) return [];
  return (err.CancellationReasons ?? []).flatMap((reason, i) =>
    reason.Code === 'ConditionalCheckFailed' ? [i] : [],
  );
}

/**
 * Any other DynamoDB failure as a domain error (a domain error passes through unchanged).
 * @param store names the store in the log line (responses never show it).
 */
export function toDomainError(err: unknown, store = 'The store'): DomainError {
  return mapAwsError(err, store);
}
