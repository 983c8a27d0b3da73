import { FiguresBucketRange } from '../database/FiguresStore';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Slices of `bucketDays` counted back from `to`, oldest first; the oldest is
 * cut at `from`, so that the slices cover the period exactly once.
 */
export function figureBuckets(
  from: Date,
  to: Date,
  bucketDays: number,
): FiguresBucketRange[] {
  const width = bucketDays * DAY_MS;
  const count = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / width));
  const buckets: FiguresBucketRange[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const end = to.getTime() - i * width;
    const start = Math.max(end - width, from.getTime());
    buckets.push({ start: new Date(start), end: new Date(end), last: i === 0 });
  }
  return buckets;
}
