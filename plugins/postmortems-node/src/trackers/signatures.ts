import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `header` is `sha256=<hex HMAC of body with secret>`, as GitHub
 * sends in X-Hub-Signature-256 and Jira Cloud in X-Hub-Signature. Compared
 * in constant time.
 *
 * @public
 */
export function validHmacSignature(
  secret: string,
  body: Buffer,
  header: string | undefined,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  );
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A shared secret compared in constant time.
 *
 * @public
 */
export function sameSecret(secret: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** @public */
export function headerOf(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
