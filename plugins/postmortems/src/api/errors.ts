import type {
  EvidenceFinding,
  Postmortem,
} from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * An error answered by the post-mortems backend, in its envelope
 * `{error: {code, message, details}}`. The message is the backend's own, which
 * is written for people.
 *
 * @public
 */
export class PostmortemsApiError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The envelope's code, e.g. `not_found`, `conflict`, `validation_error`. */
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    message: string,
    options: {
      status: number;
      code: string;
      details?: Record<string, unknown>;
    },
  ) {
    super(message);
    this.name = 'PostmortemsApiError';
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
  }
}

/**
 * A save based on a version that is no longer the latest: `current` is the
 * post-mortem as it is now, so that the edit can be merged into it.
 *
 * @public
 */
export class PostmortemConflictError extends PostmortemsApiError {
  readonly current: Postmortem;
  readonly currentVersion: number;

  constructor(
    message: string,
    options: { details: Record<string, unknown>; current: Postmortem },
  ) {
    super(message, { status: 409, code: 'conflict', details: options.details });
    this.name = 'PostmortemConflictError';
    this.current = options.current;
    this.currentVersion =
      typeof options.details.current_version === 'number'
        ? options.details.current_version
        : options.current.version;
  }
}

/**
 * Publishing refused because the evidence check still has findings; publish
 * again with `override_findings: true` to go ahead anyway.
 *
 * @public
 */
export class PostmortemFindingsError extends PostmortemsApiError {
  readonly findings: EvidenceFinding[];

  constructor(
    message: string,
    options: {
      details: Record<string, unknown>;
      findings: EvidenceFinding[];
    },
  ) {
    super(message, { status: 409, code: 'conflict', details: options.details });
    this.name = 'PostmortemFindingsError';
    this.findings = options.findings;
  }
}

/**
 * True for a 404 from the backend, e.g. an incident without a post-mortem.
 *
 * @public
 */
export function isNotFound(error: unknown): boolean {
  return (
    (error instanceof PostmortemsApiError && error.status === 404) ||
    (error as { statusCode?: number } | undefined)?.statusCode === 404
  );
}

/**
 * Reads the backend's error envelope (or whatever else a proxy answered) into
 * the most specific error.
 *
 * @public
 */
export async function errorFromResponse(response: Response): Promise<Error> {
  let body: unknown;
  const text = await response.text().catch(() => '');
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const envelope = (body as { error?: unknown } | undefined)?.error as
    | { code?: unknown; message?: unknown; details?: unknown; name?: unknown }
    | undefined;
  const message =
    typeof envelope?.message === 'string' && envelope.message
      ? envelope.message
      : `Request failed with ${response.status} ${
          response.statusText || ''
        }`.trim();
  const code =
    typeof envelope?.code === 'string'
      ? envelope.code
      : codeOfStatus(response.status);
  const details =
    envelope?.details && typeof envelope.details === 'object'
      ? (envelope.details as Record<string, unknown>)
      : undefined;

  if (response.status === 409 && details) {
    const current = details.current as Postmortem | undefined;
    if (current && typeof current === 'object' && 'version' in current) {
      return new PostmortemConflictError(message, { details, current });
    }
    if (Array.isArray(details.findings)) {
      return new PostmortemFindingsError(message, {
        details,
        findings: details.findings as EvidenceFinding[],
      });
    }
  }
  return new PostmortemsApiError(message, {
    status: response.status,
    code,
    details,
  });
}

function codeOfStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}
