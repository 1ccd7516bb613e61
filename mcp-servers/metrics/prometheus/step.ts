// How finely to ask Prometheus for points: a step that keeps every series within the tool's budget and
// Prometheus' own limit, never finer than the data was scraped, and a rate() window that always holds two samples.

/** Prometheus refuses range queries with more points per series than this. */
export const PROMETHEUS_MAX_POINTS = 11_000;
/** What the tools can use: change detection and summaries work on a few hundred to a thousand points. */
export const TARGET_POINTS = 1_500;

const SECOND = 1000;
/** Steps that read well, in seconds; a chosen step is the smallest of these that fits. */
const NICE_STEPS_S = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
/** Scrape intervals people configure; an estimate is snapped to the nearest of them. */
const USUAL_INTERVALS_S = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1800, 3600];
/** Prometheus' default scrape interval: assumed when the data is too sparse to tell. */
export const DEFAULT_INTERVAL_MS = 60 * SECOND;

/** The smallest readable step of at least `ms`. */
export function niceStepAtLeast(ms: number): number {
  const s = NICE_STEPS_S.find((n) => n * SECOND >= ms);
  return (s ?? Math.ceil(ms / 86_400_000) * 86_400) * SECOND;
}

/** The next readable step after `ms`, for a retry with fewer points. */
export function widerStep(ms: number): number {
  return niceStepAtLeast(ms + 1);
}

/** A step for [start, end]: at most TARGET_POINTS points, never finer than the scrape interval. */
export function chooseStep(start: number, end: number, intervalMs: number, targetPoints = TARGET_POINTS): number {
  const span = Math.max(0, end - start);
  const needed = span / Math.max(1, targetPoints - 1);
  return Math.max(niceStepAtLeast(needed), niceStepAtLeast(intervalMs));
}

/** rate() needs two samples in its window: at least twice the scrape interval, and at least the step so no sample is skipped. */
export function rateWindow(stepMs: number, intervalMs: number): number {
  return Math.max(2 * intervalMs, stepMs);
}

/**
 * The scrape interval from how many samples a series holds in a window of `windowMs` (count_over_time):
 * snapped to the usual intervals, because a window holds one sample more or less depending on where it falls.
 */
export function intervalFromCount(windowMs: number, samples: number): number | undefined {
  if (!(samples >= 2)) return undefined;
  const raw = windowMs / samples;
  let best = USUAL_INTERVALS_S[0]! * SECOND;
  for (const s of USUAL_INTERVALS_S) {
    if (Math.abs(Math.log(s * SECOND / raw)) < Math.abs(Math.log(best / raw))) best = s * SECOND;
  }
  return best;
}

/** Query times on multiples of the step, so points fall on round times (14:45:00) whatever the window. */
export function alignToStep(start: number, end: number, stepMs: number): { start: number; end: number } {
  return { start: Math.ceil(start / stepMs) * stepMs, end: Math.floor(end / stepMs) * stepMs };
}

export function pointCount(start: number, end: number, stepMs: number): number {
  return Math.floor((end - start) / stepMs) + 1;
}
