// One range query with a step that Prometheus accepts: chosen from the window, then widened and retried when the
// server still says "exceeded maximum resolution" (its own limit, or a lower one in Thanos, Mimir or Cortex).
import { formatDuration } from '../format.js';
import { PrometheusQueryError, type MatrixSeries, type PrometheusClient } from './client.js';
import { duration } from './promql.js';
import { PROMETHEUS_MAX_POINTS, TARGET_POINTS, alignToStep, chooseStep, niceStepAtLeast, pointCount, rateWindow, widerStep } from './step.js';

export interface RangeAnswer {
  series: MatrixSeries[];
  /** The expression as run, with its rate() window filled in. */
  query: string;
  stepMs: number;
  notes: string[];
}

const MAX_RETRIES = 4;

/**
 * Runs `build(window)` over [since, until] at a step fit for the window. `intervalMs` is the scrape interval: the
 * step is never finer, and the rate() window always holds two samples.
 */
export async function rangeQuery(
  client: PrometheusClient,
  build: (window: string) => string,
  since: number,
  until: number,
  intervalMs: number,
  /** At most about this many points (default TARGET_POINTS), and a step of at least minStepMs. */
  limits: { maxPoints?: number; minStepMs?: number } = {},
): Promise<RangeAnswer> {
  let stepMs = chooseStep(since, until, intervalMs, Math.min(limits.maxPoints ?? TARGET_POINTS, PROMETHEUS_MAX_POINTS));
  if (limits.minStepMs !== undefined) stepMs = Math.max(stepMs, niceStepAtLeast(limits.minStepMs));
  while (pointCount(since, until, stepMs) > PROMETHEUS_MAX_POINTS) stepMs = widerStep(stepMs);
  const notes: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const { start, end } = alignToStep(since, until, stepMs);
    const query = build(duration(rateWindow(stepMs, intervalMs)));
    if (start > end) return { series: [], query, stepMs, notes };
    try {
      const data = await client.queryRange(query, start, end, stepMs);
      const series = data.resultType === 'matrix' ? data.result : [];
      return { series, query, stepMs, notes };
    } catch (err) {
      if (!(err instanceof PrometheusQueryError) || !err.tooManyPoints || attempt >= MAX_RETRIES) throw err;
      const wider = widerStep(stepMs * 2);
      notes.push(
        `Prometheus refused ${pointCount(start, end, stepMs)} points per series at a ${formatDuration(stepMs)} step ` +
          `("${err.detail.slice(0, 120)}"), so the step was widened to ${formatDuration(wider)}.`,
      );
      stepMs = wider;
    }
  }
}

/** Finite points of one answer series, oldest first (NaN from 0/0 and the like are left out). */
export function pointsOf(series: MatrixSeries): { time: number; value: number }[] {
  const out: { time: number; value: number }[] = [];
  for (const [t, v] of series.values) {
    const value = Number(v);
    if (Number.isFinite(value)) out.push({ time: Math.round(t * 1000), value });
  }
  return out;
}
