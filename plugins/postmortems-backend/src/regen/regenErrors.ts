import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { classifyError } from '../router/errorEnvelope';
import { FieldIssue } from '../services/errors';

/*
 * Regen's error envelope: `{error: {code, message, details?, request_id}}`.
 * Every answer of the dialect carries a request id (Regen's clients show it
 * next to an error so that it can be found in the logs): the caller's
 * `X-Request-ID` when it sent one, a new one otherwise.
 */

const REQUEST_ID_HEADER = 'X-Request-ID';
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives the request its id and echoes it in the response header. */
export function regenRequestId(): RequestHandler {
  return (req, res, next) => {
    const sent = req.header(REQUEST_ID_HEADER);
    const id = sent && ACCEPTABLE_REQUEST_ID.test(sent) ? sent : randomUUID();
    res.locals.regenRequestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

export function requestIdOf(res: Response): string {
  return String(res.locals.regenRequestId ?? '');
}

/** Writes one error in Regen's envelope. */
export function sendRegenError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
) {
  res.status(status).json({
    error: {
      code,
      message,
      ...(details ? { details } : {}),
      request_id: requestIdOf(res),
    },
  });
}

/**
 * The dialect's error handler. Status and code are decided as for the native
 * API; only the envelope differs. Field-level validation details become
 * Regen's `{field: message}` map.
 */
export function regenErrorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const [status, code, message, details] = classifyError(error);
    if (status >= 500) {
      logger.error(`${req.method} ${req.originalUrl} failed`, error);
    }
    sendRegenError(res, status, code, message, regenDetails(details));
  };
}

function regenDetails(
  details: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const fields = details?.fields as FieldIssue[] | undefined;
  if (!Array.isArray(fields)) return details;
  return Object.fromEntries(
    fields.map(issue => [issue.field, issue.message] as const),
  );
}
