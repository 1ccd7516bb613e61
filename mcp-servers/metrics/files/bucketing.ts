// Reading a range of a compactly stored series, averaged into round steps when it holds more points than the tool
// can use: a week of per-second points becomes about a thousand 10-minute means, and a one-minute blip one tenth of a
// point instead of sixty. Ranges that fit are returned exactly as stored.
import type { MetricPoint } from '../source.js';
import type { StoredSeries } from './seriesSet.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Steps that read well, smallest first; past a week, whole weeks. */
export const ROUND_STEPS_MS = [
  1, 5, 10, 15, 30,
].map((s) => s * SECOND).concat(
  [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
  [1, 2, 3, 6, 12].map((h) => h * HOUR),
  [1, 2, 7].map((d) => d * DAY),
);

export interface RangeRead {
  points: MetricPoint[];
  /** The step the points were averaged into; absent when they are the stored points themselves. */
  stepMs?: number;
  /** How many stored points the range held. */
  rawCount: number;
}

/** Index of the first time >= t (times sorted ascending). */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first time > t. */
export function upperBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many buckets of `stepMs` (aligned to multiples of it since the epoch) times[from, to) fall in, counting no further than `limit` + 1. */
export function bucketCount(times: Float64Array, from: number, to: number, stepMs: number, limit = Infinity): number {
  let count = 0;
  let last = NaN;
  for (let i = from; i < to; i++) {
    const bucket = Math.floor(times[i]! / stepMs);
    if (bucket !== last) {
      if (++count > limit) return count;
      last = bucket;
    }
  }
  return count;
}

/**
 * The smallest round step, at least `minStepMs`, that puts times[from, to) into at most `maxPoints` buckets. Counting
 * stops as soon as a step gives too many, so trying the fine steps first costs about maxPoints each.
 */
export function chooseBucketStep(times: Float64Array, from: number, to: number, maxPoints: number, minStepMs = 0): number {
  for (const step of ROUND_STEPS_MS) {
    if (step < minStepMs) continue;
    if (bucketCount(times, from, to, step, maxPoints) <= maxPoints) return step;
  }
  // Beyond the largest round step: whole multiples of it.
  const largest = ROUND_STEPS_MS[ROUND_STEPS_MS.length - 1]!;
  const span = (times[to - 1] ?? 0) - (times[from] ?? 0);
  let step = Math.max(largest, Math.ceil(Math.max(minStepMs, span / Math.max(1, maxPoints - 1)) / largest) * largest);
  while (bucketCount(times, from, to, step, maxPoints) > maxPoints) step += largest;
  return step;
}

/** Mean of each non-empty bucket of `stepMs`, stamped with the bucket's start (a multiple of the step). */
export function bucketMeans(times: Float64Array, values: Float64Array, from: number, to: number, stepMs: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  let bucket = NaN;
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = Math.floor(times[i]! / stepMs);
    if (b !== bucket) {
      if (n > 0) out.push({ time: bucket * stepMs, value: sum / n });
      bucket = b;
      sum = 0;
      n = 0;
    }
    sum += values[i]!;
    n++;
  }
  if (n > 0) out.push({ time: bucket * stepMs, value: sum / n });
  return out;
}

/**
 * The points of `series` in [since, until]. Without `maxPoints` and `minStepMs`, or when the range fits within
 * `maxPoints` and the data is no finer than `minStepMs`, the stored points as they are; otherwise bucket means at the
 * smallest round step that fits.
 */
export function readRange(series: StoredSeries, since: number, until: number, maxPoints?: number, minStepMs?: number): RangeRead {
  const from = lowerBound(series.times, since);
  const to = upperBound(series.times, until);
  const rawCount = Math.max(0, to - from);
  const limit = maxPoints ?? Infinity;
  const fineEnough = minStepMs === undefined || series.intervalMs === undefined || series.intervalMs >= minStepMs;
  if (rawCount <= limit && fineEnough) {
    const points: MetricPoint[] = new Array(rawCount);
    for (let i = 0; i < rawCount; i++) points[i] = { time: series.times[from + i]!, value: series.values[from + i]! };
    return { points, rawCount };
  }
  const stepMs = chooseBucketStep(series.times, from, to, Number.isFinite(limit) ? limit : Number.MAX_SAFE_INTEGER, minStepMs ?? 0);
  return { points: bucketMeans(series.times, series.values, from, to, stepMs), stepMs, rawCount };
}
