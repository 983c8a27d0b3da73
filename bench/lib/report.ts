/* Small helpers shared by the benchmarks: percentiles and Markdown tables. */

/** The p-th percentile (0-100) of a list of numbers, nearest-rank method. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/** A Markdown table with a one-line title above it. */
export function markdownTable(
  title: string,
  header: string[],
  rows: Array<Array<string | number>>,
): string {
  const line = (cells: Array<string | number>) =>
    `| ${cells.map(c => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
  ].join('\n');
}

/** met / MISSED, for a figure against its target. */
export function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

/** Progress for whoever watches: stderr, so stdout stays pure Markdown. */
export function progress(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * A benchmark's `--name=value` options (`--flag` alone is `'true'`), by name.
 */
export function benchArgs(
  argv = process.argv.slice(2),
): Record<string, string> {
  return Object.fromEntries(
    argv
      .map(a => /^--([^=]+)(?:=(.*))?$/.exec(a))
      .filter((m): m is RegExpExecArray => !!m)
      .map(m => [m[1], m[2] ?? 'true']),
  );
}
