// Domain errors carry their HTTP status and whether their message may be shown to the caller.
// The error middleware maps them with instanceof; anything else becomes a generic 500.

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly statusCode: number = 500;
  readonly expose: boolean = false;
  readonly title: string = 'Internal Server Error';
}

export class ValidationError extends DomainError {
  override readonly statusCode = 400;
  override readonly expose = true;
  override readonly title = 'Bad Request';
  constructor(
    readonly errors: FieldError[],
    message = 'The request has invalid fields.',
  ) {
    super(message);
  }
}

export class BadRequestError extends DomainError {
  override readonly statusCode = 400;
  override readonly expose = true;
  override readonly title = 'Bad Request';
  /** The field(s) at fault, when there is one (e.g. `cursor`). */
  constructor(
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends DomainError {
  override readonly statusCode = 401;
  override readonly expose = true;
  override readonly title = 'Unauthorized';
}

export class ForbiddenError extends DomainError {
  override readonly statusCode = 403;
  override readonly expose = true;
  override readonly title = 'Forbidden';
}

export class NotFoundError extends DomainError {
  override readonly statusCode = 404;
  override readonly expose = true;
  override readonly title = 'Not Found';
}

export class ConflictError extends DomainError {
  override readonly statusCode = 409;
  override readonly expose = true;
  override readonly title = 'Conflict';
}

export class PayloadTooLargeError extends DomainError {
  override readonly statusCode = 413;
  override readonly expose = true;
  override readonly title = 'Payload Too Large';
}

export class ThrottledError extends DomainError {
  override readonly statusCode = 429;
  override readonly expose = true;
  override readonly title = 'Too Many Requests';
}

/** A per-user or per-tenant limit is reached: 429 with Retry-After, until some work finishes. */
export class QuotaExceededError extends DomainError {
  override readonly statusCode = 429;
  override readonly expose = true;
  override readonly title = 'Too Many Requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency (DynamoDB, S3, SES) failed after retries. Safe to retry; never shows internals. */
export class UnavailableError extends DomainError {
  override readonly statusCode = 503;
  override readonly expose = false;
  override readonly title = 'Service Unavailable';
}

/** An id already stored: the write was not made again. */
export class DuplicateError extends DomainError {
  override readonly statusCode = 409;
  override readonly expose = true;
  override readonly title = 'Conflict';
}
