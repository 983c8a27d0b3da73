/*
 * Cause categories in words. Templates name them as slugs (`code-change`);
 * people read "Code change" on a checkbox and "code change" in a sentence.
 */

/** A category as a phrase within a sentence: `code-change` → "code change". */
export function causeWords(category: string): string {
  return category.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A category as a label of its own: `code-change` → "Code change". */
export function causeLabel(category: string): string {
  const words = causeWords(category);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "a", "a and b", "a, b and c". */
export function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * How long before an incident began something was done, as a reader says it:
 * "44 days", "5 hours", "12 minutes", "less than a minute".
 */
export function timeBeforeInWords(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  if (ms < HOUR) return count(Math.floor(ms / MINUTE), 'minute');
  if (ms < 2 * DAY) return count(Math.floor(ms / HOUR), 'hour');
  return count(Math.floor(ms / DAY), 'day');
}

/**
 * A refusal of the causes in plain words: the backend names the field
 * (`categories.1: "x" is not a cause category…`), the form shows the rest.
 */
export function causesErrorWords(message: string): string {
  const words = message.replace(/^(body\.)?categories(\.\d+)?:\s*/i, '').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
