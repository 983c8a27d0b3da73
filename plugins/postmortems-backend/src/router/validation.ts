import { Request } from 'express';
import { z } from 'zod';
import { incidentImportBodySchema } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { FieldIssue, ValidationError } from '../services/errors';

/*
 * The HTTP side of validation. The schemas themselves are the API's contract
 * and live in postmortems-common (`src/api/<resource>.ts`), shared with the
 * frontend and other plugins; routes pass them to `parse`.
 */

/** Parses a value with a schema, or throws 400 naming every wrong field. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query' | 'params',
): z.output<T> {
  const hostile = findHostile(value, where);
  if (hostile) {
    throw new ValidationError([hostile]);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  const issues: FieldIssue[] = result.error.issues.map(issue => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(issues);
}

const NUL_MESSAGE = 'must not contain NUL characters';
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * How deep a request value may nest. No documented request comes near it
 * (an import's timeline content is the deepest free-form part); it bounds the
 * work a body can cause.
 */
const MAX_NESTING = 64;

/**
 * The first string (or key) holding a NUL character, or the first value
 * nested deeper than {@link MAX_NESTING}, if any.
 *
 * Iterative on purpose: this runs before the schema on bodies of up to 10 MB,
 * and a recursive walk overflowed the stack on `[[[[…]]]]` 10,000 levels
 * deep, which answered 500 (found by router.fuzz.test.ts).
 */
function findHostile(value: unknown, root: string): FieldIssue | undefined {
  const pending: Array<{ value: unknown; path: string[] }> = [
    { value, path: [root] },
  ];
  while (pending.length) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) {
        // PostgreSQL cannot store NUL in text; refuse it the same way everywhere.
        return { field: path.join('.'), message: NUL_MESSAGE };
      }
      if (LONE_SURROGATE.test(current)) {
        // Not encodable as UTF-8: SQLite stored three U+FFFD for one, and
        // PostgreSQL one, so an accepted save was not what was stored.
        return {
          field: path.join('.'),
          message: 'must be well-formed Unicode (no lone surrogates)',
        };
      }
    } else if (current && typeof current === 'object') {
      if (path.length > MAX_NESTING) {
        return {
          field: path.join('.'),
          message: `must not be nested more than ${MAX_NESTING} levels deep`,
        };
      }
      const entries = Object.entries(current);
      // Depth first, in document order: the first offending field is named.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        if (key.includes('\u0000')) {
          return { field: path.join('.'), message: NUL_MESSAGE };
        }
        pending.push({ value: child, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/** The import document's schema, under the name the dry-run CLI reads it by. */
export const incidentImportBody = incidentImportBodySchema;

export function offsetOf(page: { page: number; limit: number }) {
  return { offset: (page.page - 1) * page.limit, limit: page.limit };
}

/**
 * The version an edit is based on: the body's `version`, or `If-Match`
 * (`"3"`, `W/"3"` or `3`). Both present and different is a 400.
 */
export function expectedVersion(
  req: Request,
  bodyVersion: number | undefined,
): number | undefined {
  const header = req.header('if-match');
  if (header === undefined) {
    return bodyVersion;
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) {
    throw new ValidationError([
      { field: 'headers.if-match', message: 'must be a version number' },
    ]);
  }
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw new ValidationError([
      {
        field: 'headers.if-match',
        message: 'does not match body.version',
      },
    ]);
  }
  return version;
}
