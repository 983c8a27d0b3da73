/*
 * Which images post-mortem Markdown may load. A post-mortem is written by
 * many people and partly by a model, and read by everyone in the portal:
 * an image from an arbitrary host would make every reader's browser call
 * that host (a tracking pixel, or a request that leaks who read what). Only
 * the portal's own origin and hosts the portal allows are loaded.
 */

/** Whether `host` is one of `allowed` (`*.example.com` covers subdomains). */
export function isAllowedHost(host: string, allowed: readonly string[]) {
  const name = host.toLowerCase();
  return allowed.some(pattern => {
    const p = pattern.trim().toLowerCase();
    if (p.startsWith('*.')) return name.endsWith(p.slice(1));
    return name === p;
  });
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    c =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[
        c
      ]!),
  );

/**
 * A small picture saying that the image from `host` was not loaded; a data
 * URI, so showing it makes no request.
 */
export function blockedImage(host: string) {
  const text = escapeXml(`Image from ${host.slice(0, 60)} not loaded`);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="40">` +
    `<rect width="100%" height="100%" fill="#f2f2f2" stroke="#8c8c8c" stroke-dasharray="4"/>` +
    `<text x="12" y="25" font-family="sans-serif" font-size="13" fill="#333">${text}</text>` +
    `</svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * The source an image in post-mortem Markdown is shown with: as written when
 * it is on the portal's origin or an allowed host, a placeholder naming the
 * host otherwise, and nothing for sources that are not web addresses
 * (`javascript:`, `data:`, `file:`).
 */
export function imageSource(
  src: string,
  options: { origin: string; allowedHosts: readonly string[] },
): string {
  let url: URL;
  try {
    url = new URL(src, options.origin);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  if (url.origin === options.origin) return src;
  if (isAllowedHost(url.hostname, options.allowedHosts)) return src;
  return blockedImage(url.host);
}
