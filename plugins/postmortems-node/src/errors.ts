import { ConflictError, InputError } from '@backstage/errors';

/**
 * One wrong field of a request.
 *
 * @public
 */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * A request whose fields failed validation: 400 `validation_error`, with
 * each wrong field named.
 *
 * @public
 */
export class ValidationError extends InputError {
  readonly details: { fields: FieldIssue[] };

  constructor(issues: FieldIssue[]) {
    super(
      `Invalid request: ${issues
        .map(issue => `${issue.field}: ${issue.message}`)
        .join('; ')}`,
    );
    this.details = { fields: issues };
  }
}

/**
 * A conflict that carries data the caller needs to resolve it: 409.
 *
 * @public
 */
export class DetailedConflictError extends ConflictError {
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown>) {
    super(message);
    this.details = details;
  }
}

/**
 * An upstream (e.g. Regen) failed the caller's request in a way that is not
 * the caller's fault: 502 with `code`.
 *
 * @public
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly statusCode = 502;

  constructor(message: string, readonly code: string) {
    super(message);
  }
}
