import {
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { NoSuchBucket } from '@aws-sdk/client-s3';
import { MessageRejected } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DependencyFaultError, toDomainError } from '../../../shared/adapters/aws-errors.ts';
import { ThrottledError, UnavailableError } from '../../../shared/domain/errors.ts';
import { apiHandler } from '../../../shared/http/handler.ts';
import { metrics, NON_RETRYABLE_METRIC } from '../../../shared/observability.ts';
import { apiEvent, lambdaContext } from '../../fixtures/events.ts';

/** The SDK's own exception classes, built as its deserializers build them. */
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const accessDenied = () =>
  new DynamoDBServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    message: 'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: dynamodb:BatchWriteItem',
    ...meta(400),
  });
const validation = () =>
  new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    message: 'One or more parameter values were invalid',
    ...meta(400),
  });

afterEach(() => vi.restoreAllMocks());

describe('the one AWS error mapper', () => {
  it('maps non-retryable faults (AccessDenied, ValidationException, ResourceNotFound, ...) to a 500, not a 503', () => {
    const refused = [
      accessDenied(),
      validation(),
      new ResourceNotFoundException({ message: 'Requested resource not found', ...meta(400) }),
      new NoSuchBucket({ message: 'The specified bucket does not exist', ...meta(404) }),
      new MessageRejected({ message: 'Email address is not verified', ...meta(400) }),
    ];
    for (const err of refused) {
      const mapped = toDomainError(err, 'The store');
      expect(mapped, err.name).toBeInstanceOf(DependencyFaultError);
      expect(mapped.statusCode, err.name).toBe(500);
      expect(mapped.expose, err.name).toBe(false);
    }
  });

  it('counts each non-retryable fault on the AwsNonRetryableErrors metric', () => {
    const added = vi.spyOn(metrics, 'addMetric');
    toDomainError(accessDenied());
    toDomainError(new InternalServerError({ message: 'boom', ...meta(500) }));
    expect(added.mock.calls.filter(([name]) => name === NON_RETRYABLE_METRIC)).toHaveLength(1);
  });

  it('keeps throttling a 429 and faults that can clear a 503', () => {
    expect(
      toDomainError(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta(400) })),
    ).toBeInstanceOf(ThrottledError);
    expect(toDomainError(new InternalServerError({ message: 'boom', ...meta(500) }))).toBeInstanceOf(
      UnavailableError,
    );
    const conflict = new DynamoDBServiceException({
      name: 'TransactionConflictException',
      $fault: 'client',
      message: 'conflict',
      ...meta(400),
    });
    expect(toDomainError(conflict)).toBeInstanceOf(UnavailableError);
    // No answer from the service at all: a lost connection or a timeout.
    expect(toDomainError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBeInstanceOf(
      UnavailableError,
    );
  });

  it('answers a non-retryable fault with a generic 500, no Retry-After, and no internals', async () => {
    const denied = apiHandler({ auth: 'none' }, async () => {
      throw toDomainError(accessDenied(), 'The store');
    });
    const res = (await denied(apiEvent({}) as never, lambdaContext as never)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(res.body).detail).toBe('An unexpected error occurred.');
    expect(res.body).not.toMatch(/arn:|AccessDenied|retry/);
  });
});
