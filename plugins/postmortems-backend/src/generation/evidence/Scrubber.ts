/**
 * Removes what must never leave the backend in a prompt or appear in a draft:
 * IP addresses, e-mail addresses, and things that look like credentials.
 * Operators add their own patterns (customer ids, internal hostnames) in
 * config.
 */

export interface ScrubPattern {
  pattern: RegExp;
  replacement: string;
  /** A cheap test that must pass before the pattern is worth running. */
  hint?: RegExp;
}

/** A configured pattern: a regular expression source and its replacement. */
export interface ScrubPatternConfig {
  pattern: string;
  replacement?: string;
}

const builtinPatterns: ScrubPattern[] = [
  // Credentials first, so that a token containing an @ or digits is not
  // half-replaced by the patterns below.
  {
    pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
    replacement: '$1 [secret]',
    hint: /bearer|basic/i,
  },
  {
    pattern: /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g,
    replacement: '[secret]',
    hint: /eyJ/,
  },
  {
    pattern: /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{6,}[.…]*/g,
    replacement: '[secret]',
    hint: /k_(?:live|test)_/,
  },
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replacement: '[secret]', hint: /sk-/ },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/g, replacement: '[secret]', hint: /AKIA/ },
  {
    pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
    replacement: '[secret]',
    hint: /gh[pousr]_/,
  },
  {
    pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
    replacement: '[secret]',
    hint: /xox/,
  },
  {
    pattern:
      /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi,
    replacement: '$1$2[secret]',
    hint: /pass|pwd|secret|token|key/i,
  },
  {
    pattern:
      /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    replacement: '[secret]',
    hint: /PRIVATE KEY/,
  },
  {
    pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g,
    replacement: '[email]',
    hint: /@/,
  },
  {
    pattern:
      /\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?::\d{1,5})?\b/g,
    replacement: '[ip]',
    hint: /\d\.\d+\.\d/,
  },
  // IPv6: at least three colons, so clock times (10:42:07) are left alone.
  {
    pattern:
      /\b(?:[A-Fa-f0-9]{1,4}:){3,7}[A-Fa-f0-9]{1,4}\b|\b(?:[A-Fa-f0-9]{1,4}:){1,6}:(?:[A-Fa-f0-9]{1,4}:?){1,6}\b/g,
    replacement: '[ip]',
    hint: /[0-9A-Fa-f]:[0-9A-Fa-f]*:/,
  },
];

export class Scrubber {
  private readonly patterns: ScrubPattern[];
  /** How many replacements each kind of pattern made, for the prompt's notes. */
  private readonly counts = new Map<string, number>();

  constructor(extra: ScrubPatternConfig[] = []) {
    this.patterns = [
      ...builtinPatterns,
      ...extra.map(({ pattern, replacement }) => ({
        pattern: new RegExp(pattern, 'g'),
        replacement: replacement ?? '[redacted]',
      })),
    ];
  }

  scrub(text: string): string {
    let result = text;
    for (const { pattern, replacement, hint } of this.patterns) {
      if (hint && !hint.test(result)) continue;
      result = result.replace(pattern, (...args) => {
        this.counts.set(replacement, (this.counts.get(replacement) ?? 0) + 1);
        // Re-apply the replacement with its $n groups.
        const groups = args.slice(1, -2) as string[];
        return replacement.replace(
          /\$(\d)/g,
          (_, n) => groups[Number(n) - 1] ?? '',
        );
      });
    }
    return result;
  }

  /** Scrubs every string inside a JSON-like value. */
  scrubValue<T>(value: T): T {
    if (typeof value === 'string') {
      return this.scrub(value) as unknown as T;
    }
    if (Array.isArray(value)) {
      return value.map(v => this.scrubValue(v)) as unknown as T;
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, this.scrubValue(v)]),
      ) as T;
    }
    return value;
  }

  /** Replacements made so far, e.g. `{ '[ip]': 2, '[secret]': 1 }`. */
  report(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
