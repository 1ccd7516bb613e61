// Condenses a long series into time windows (min/max/mean/p95 each) so a tool answer stays a few dozen rows.
import type { MetricPoint } from './source.js';
import { mean, percentileNearestRank } from './stats.js';

export interface PointStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Nearest-rank 95th percentile: always one of the values. */
  p95: number;
  minTime: number;
  maxTime: number;
}

export interface WindowSummary extends PointStats {
  /** Window bounds: [start, end), aligned to multiples of the window size since the epoch. */
  start: number;
  end: number;
}

const MINUTE = 60_000;
/** Window sizes that read well, smallest first. */
const NICE_WINDOW_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200];

export function statsOf(points: readonly MetricPoint[]): PointStats {
  let minPoint = points[0]!;
  let maxPoint = points[0]!;
  for (const p of points) {
    if (p.value < minPoint.value) minPoint = p;
    if (p.value > maxPoint.value) maxPoint = p;
  }
  const values = points.map((p) => p.value);
  return {
    count: points.length,
    min: minPoint.value,
    max: maxPoint.value,
    mean: mean(values),
    p95: percentileNearestRank(values.sort((a, b) => a - b), 95),
    minTime: minPoint.time,
    maxTime: maxPoint.time,
  };
}

/** Summaries of the non-empty windows of `windowMs`, oldest first. Points must be sorted by time. */
export function windowsOf(points: readonly MetricPoint[], windowMs: number): WindowSummary[] {
  const out: WindowSummary[] = [];
  let bucket: MetricPoint[] = [];
  let bucketStart = NaN;
  const flush = () => {
    if (bucket.length > 0) out.push({ start: bucketStart, end: bucketStart + windowMs, ...statsOf(bucket) });
  };
  for (const p of points) {
    const start = Math.floor(p.time / windowMs) * windowMs;
    if (start !== bucketStart) {
      flush();
      bucket = [];
      bucketStart = start;
    }
    bucket.push(p);
  }
  flush();
  return out;
}

export function countWindows(points: readonly MetricPoint[], windowMs: number): number {
  let count = 0;
  let last = NaN;
  for (const p of points) {
    const start = Math.floor(p.time / windowMs) * windowMs;
    if (start !== last) count++;
    last = start;
  }
  return count;
}

export type SeriesView =
  | { kind: 'points' }
  | { kind: 'windows'; windowMs: number; /** Set when the requested window would have given too many rows. */ widenedFrom?: number };

/**
 * Raw points when they fit in `maxRows` and no window was asked for; otherwise windows of the requested size,
 * or of the smallest readable size that fits, widened when the requested one would give more than `maxRows`.
 */
export function planSeriesView(points: readonly MetricPoint[], maxRows: number, windowMinutes?: number): SeriesView {
  if (windowMinutes === undefined && points.length <= maxRows) return { kind: 'points' };
  if (windowMinutes !== undefined) {
    const requested = windowMinutes * MINUTE;
    if (countWindows(points, requested) <= maxRows) return { kind: 'windows', windowMs: requested };
    const size = NICE_WINDOW_MINUTES.find((m) => m > windowMinutes && countWindows(points, m * MINUTE) <= maxRows);
    return { kind: 'windows', windowMs: (size ?? NICE_WINDOW_MINUTES[NICE_WINDOW_MINUTES.length - 1]!) * MINUTE, widenedFrom: requested };
  }
  const size = NICE_WINDOW_MINUTES.find((m) => countWindows(points, m * MINUTE) <= maxRows);
  return { kind: 'windows', windowMs: (size ?? NICE_WINDOW_MINUTES[NICE_WINDOW_MINUTES.length - 1]!) * MINUTE };
}
