import { ConflictError, InputError } from '@backstage/errors';

/** One wrong field of a request. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A request whose fields failed validation: 400 `validation_error`. */
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

/** A conflict that carries data the caller needs to resolve it. */
export class DetailedConflictError extends ConflictError {
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown>) {
    super(message);
    this.details = details;
  }
}
