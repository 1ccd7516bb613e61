// Order statistics used by the summaries and the change detection.

export function median(values: readonly number[]): number {
  // A typed array sorts numerically in native code: many times faster than a compare function on large series.
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}

/** Linear-interpolated quantile of an already sorted list (NaN when empty). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
 * It is always one of the data values, so a cited p95 can be found in the data.
 */
export function percentileNearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], center: number): number {
  return median(values.map((v) => Math.abs(v - center)));
}

export function meanAbsoluteDeviation(values: readonly number[], center: number): number {
  return mean(values.map((v) => Math.abs(v - center)));
}
