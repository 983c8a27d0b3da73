/**
 * Removes what must never leave the backend in a prompt or appear in a draft:
 * IP addresses, e-mail addresses, and things that look like credentials.
 * Operators add their own patterns (customer ids, internal hostnames) in
 * config.
 */

export interface ScrubPattern {
  pattern: RegExp;
  replacement: string;
  /**
   * A cheap test that must pass before the pattern is worth running: true
   * for every text the pattern can match in (it may be looser, never
   * stricter). A function rather than a regular expression so that literals
   * and characters the pattern needs can be looked for with `includes`,
   * several times faster than a regex test on every entry of a long
   * timeline.
   */
  hint?: (text: string) => boolean;
  /**
   * The first index at or after `from` where a match can start, or -1 when
   * none can. Only for patterns whose scan from every position is the cost
   * (an e-mail address starts anywhere in a word, so the regex tries each
   * word of a line): it lets the scan begin next to the `@` instead. Must
   * never skip a position where a match starts.
   */
  nextStart?: (text: string, from: number) => number;
}

/** A configured pattern: a regular expression source and its replacement. */
export interface ScrubPatternConfig {
  pattern: string;
  replacement?: string;
}

/** Characters of an e-mail address's local part: `[A-Za-z0-9._%+-]`. */
function isLocalPartChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x25 || // %
    code === 0x2b || // +
    code === 0x2d // -
  );
}

/**
 * An address matches as its local part, `@`, its domain. The local part is a
 * run of local-part characters ending right before an `@`, so no match
 * starts before the run that leads to the first `@` from `from`.
 */
function nextEmailStart(text: string, from: number): number {
  const at = text.indexOf('@', from);
  if (at < 0) return -1;
  let start = at;
  while (start > from && isLocalPartChar(text.charCodeAt(start - 1))) start--;
  return start;
}

const DIGIT_DOT_DIGIT = /\d\.\d/g;

/**
 * An IPv4 address starts with an octet of one to three digits followed by
 * `.` and a digit, so it starts at most two characters before the first
 * digit-dot-digit from `from`. (`test` rather than `exec`: the match is
 * three characters long, so where it ends says where it starts, without a
 * match array for every line.)
 */
function nextIpv4Start(text: string, from: number): number {
  DIGIT_DOT_DIGIT.lastIndex = from;
  if (!DIGIT_DOT_DIGIT.test(text)) return -1;
  return Math.max(from, DIGIT_DOT_DIGIT.lastIndex - 3 - 2);
}

const HEX_COLON_HEX_COLON = /[0-9A-Fa-f]:[0-9A-Fa-f]*:/;
const GH_TOKEN_PREFIX = /gh[pousr]_/;
const CREDENTIAL_WORD = /pass|pwd|secret|token|key/i;

const matches = (hint: RegExp) => (text: string) => hint.test(text);

const builtinPatterns: ScrubPattern[] = [
  // Credentials first, so that a token containing an @ or digits is not
  // half-replaced by the patterns below.
  {
    pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
    replacement: '$1 [secret]',
    hint: matches(/bearer|basic/i),
  },
  {
    pattern: /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g,
    replacement: '[secret]',
    hint: text => text.includes('eyJ'),
  },
  {
    pattern: /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{6,}[.…]*/g,
    replacement: '[secret]',
    hint: text => text.includes('k_live_') || text.includes('k_test_'),
  },
  {
    pattern: /\bsk-[A-Za-z0-9_-]{16,}/g,
    replacement: '[secret]',
    hint: text => text.includes('sk-'),
  },
  {
    pattern: /\bAKIA[0-9A-Z]{16}\b/g,
    replacement: '[secret]',
    hint: text => text.includes('AKIA'),
  },
  {
    pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
    replacement: '[secret]',
    // A cheap test first where the pattern needs a character most lines
    // lack; the regex hint only when it is there.
    hint: text => text.includes('_') && GH_TOKEN_PREFIX.test(text),
  },
  {
    pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
    replacement: '[secret]',
    hint: text => text.includes('xox'),
  },
  {
    pattern:
      /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi,
    replacement: '$1$2[secret]',
    // The pattern needs a `:` or `=` after the word.
    hint: text =>
      (text.includes('=') || text.includes(':')) && CREDENTIAL_WORD.test(text),
  },
  {
    pattern:
      /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    replacement: '[secret]',
    hint: text => text.includes('PRIVATE KEY'),
  },
  {
    pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g,
    replacement: '[email]',
    hint: text => text.includes('@'),
    nextStart: nextEmailStart,
  },
  {
    pattern:
      /\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?::\d{1,5})?\b/g,
    replacement: '[ip]',
    hint: matches(/\d\.\d+\.\d/),
    nextStart: nextIpv4Start,
  },
  // IPv6: at least three colons, so clock times (10:42:07) are left alone.
  {
    pattern:
      /\b(?:[A-Fa-f0-9]{1,4}:){3,7}[A-Fa-f0-9]{1,4}\b|\b(?:[A-Fa-f0-9]{1,4}:){1,6}:(?:[A-Fa-f0-9]{1,4}:?){1,6}\b/g,
    replacement: '[ip]',
    // The colon first: most lines have none, and `includes` is cheap.
    hint: text => text.includes(':') && HEX_COLON_HEX_COLON.test(text),
  },
];

/** A pattern ready to run: how one match is replaced, decided once. */
interface CompiledPattern extends ScrubPattern {
  /** The replacement when it has no `$n` groups, so a match needs no work. */
  constant: string | null;
  /** The callback `String.replace` calls for each match. */
  replacer: (...args: any[]) => string;
}

/** Short texts (people's names, "+1", "ok") repeat; their scrubbing is remembered. */
const MEMO_MAX_LENGTH = 64;
const MEMO_MAX_ENTRIES = 10_000;

interface Memo {
  result: string;
  /** Replacements made, in the order they were first counted for this text. */
  counts: Array<[string, number]>;
}

export class Scrubber {
  private readonly patterns: CompiledPattern[];
  /** How many replacements each kind of pattern made, for the prompt's notes. */
  private readonly counts = new Map<string, number>();
  private readonly memo = new Map<string, Memo>();
  /** Matches replaced by the pattern being run. */
  private made = 0;

  constructor(extra: ScrubPatternConfig[] = []) {
    this.patterns = [
      ...builtinPatterns,
      ...extra.map(({ pattern, replacement }) => ({
        pattern: new RegExp(pattern, 'g'),
        replacement: replacement ?? '[redacted]',
      })),
    ].map(p => {
      const constant = /\$\d/.test(p.replacement) ? null : p.replacement;
      return { ...p, constant, replacer: this.replacerOf(p, constant) };
    });
  }

  scrub(text: string): string {
    const memoable = text.length <= MEMO_MAX_LENGTH;
    if (memoable) {
      const known = this.memo.get(text);
      if (known) {
        // The same counts as scrubbing it again, in the same order.
        for (const [replacement, n] of known.counts) this.count(replacement, n);
        return known.result;
      }
    }
    let result = text;
    let counts: Memo['counts'] | undefined;
    for (const p of this.patterns) {
      if (p.hint && !p.hint(result)) continue;
      this.made = 0;
      result =
        p.nextStart && p.constant !== null
          ? this.replaceFrom(result, p, p.nextStart, p.constant)
          : result.replace(p.pattern, p.replacer);
      if (this.made) {
        this.count(p.replacement, this.made);
        (counts ??= []).push([p.replacement, this.made]);
      }
    }
    if (memoable && this.memo.size < MEMO_MAX_ENTRIES) {
      this.memo.set(text, { result, counts: counts ?? [] });
    }
    return result;
  }

  private count(replacement: string, n: number) {
    this.counts.set(replacement, (this.counts.get(replacement) ?? 0) + n);
  }

  /**
   * Built once per pattern rather than per text: a closure made for each of
   * 100,000 timeline entries is garbage the collector then has to sweep.
   */
  private replacerOf(
    { replacement }: ScrubPattern,
    constant: string | null,
  ): (...args: any[]) => string {
    if (constant !== null) {
      return () => {
        this.made++;
        return constant;
      };
    }
    return (...args) => {
      this.made++;
      // Re-apply the replacement with its $n groups.
      const groups = args.slice(1, -2) as string[];
      return replacement.replace(
        /\$(\d)/g,
        (_, n) => groups[Number(n) - 1] ?? '',
      );
    };
  }

  /**
   * `text.replace(pattern, constant)` for a pattern whose matches can be
   * looked for from where they may start: the same matches, in the same
   * order (the regex decides each one), without trying every position in
   * between. The built-in patterns that use it never match an empty string.
   */
  private replaceFrom(
    text: string,
    { pattern }: ScrubPattern,
    nextStart: (text: string, from: number) => number,
    constant: string,
  ): string {
    let out = '';
    let last = 0;
    for (;;) {
      const start = nextStart(text, last);
      if (start < 0) break;
      pattern.lastIndex = start;
      const match = pattern.exec(text);
      if (!match) break;
      out += text.slice(last, match.index) + constant;
      last = match.index + match[0].length;
      this.made++;
    }
    pattern.lastIndex = 0;
    return this.made ? out + text.slice(last) : text;
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
