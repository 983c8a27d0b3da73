import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import { ValidationError } from '../services/errors';

const statusByName: Record<string, [number, string]> = {
  InputError: [400, 'bad_request'],
  AuthenticationError: [401, 'unauthorized'],
  NotAllowedError: [403, 'forbidden'],
  NotFoundError: [404, 'not_found'],
  ConflictError: [409, 'conflict'],
  NotModifiedError: [304, 'not_modified'],
  NotImplementedError: [501, 'not_implemented'],
  ServiceUnavailableError: [503, 'service_unavailable'],
};

/**
 * Answers every error in Regen's envelope, `{error: {code, message, details?}}`,
 * with the status that fits. Only unexpected errors are 500s, and those are
 * logged without echoing internals to the caller.
 */
export function errorEnvelope(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const [status, code, message, details] = classifyError(error);
    if (status >= 500) {
      logger.error(`${req.method} ${req.originalUrl} failed`, error);
    }
    res.status(status).json({
      error: { code, message, ...(details ? { details } : {}) },
    });
  };
}

/** The status, code, message and details an error is answered with. */
export function classifyError(
  error: unknown,
): [number, string, string, Record<string, unknown> | undefined] {
  // body-parser's errors carry their own status and a type.
  const parserError = error as { type?: string; status?: number };
  if (parserError?.type === 'entity.parse.failed') {
    return [
      400,
      'bad_request',
      'The request body is not valid JSON',
      undefined,
    ];
  }
  if (parserError?.type === 'entity.too.large') {
    return [
      413,
      'payload_too_large',
      'The request body is too large',
      undefined,
    ];
  }
  if (
    typeof parserError?.status === 'number' &&
    parserError.status >= 400 &&
    parserError.status < 500 &&
    parserError.type
  ) {
    return [
      parserError.status,
      'bad_request',
      String((error as Error).message),
      undefined,
    ];
  }
  // Express throws a URIError with status 400 when a path parameter is not
  // valid percent-encoding (`/incidents/%` or `/alerts/%E0%A4%A`). It carries
  // no body-parser `type`, so without this it fell through to a 500. Found
  // by router.fuzz.test.ts.
  if (error instanceof URIError && parserError.status === 400) {
    return [
      400,
      'bad_request',
      'The request path is not valid percent-encoding',
      undefined,
    ];
  }
  if (!isError(error)) {
    return [500, 'internal_error', 'Internal error', undefined];
  }
  const details = (error as { details?: Record<string, unknown> }).details;
  if (error instanceof ValidationError) {
    return [400, 'validation_error', error.message, details];
  }
  // Our own errors may carry their status and a more precise code.
  const own = error as { statusCode?: unknown; code?: unknown };
  const known = statusByName[error.name];
  if (known) {
    const code = typeof own.code === 'string' ? own.code : known[1];
    return [known[0], code, error.message, details];
  }
  if (typeof own.statusCode === 'number' && typeof own.code === 'string') {
    return [own.statusCode, own.code, error.message, details];
  }
  return [500, 'internal_error', 'Internal error', undefined];
}
