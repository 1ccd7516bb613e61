// When the data is. Prometheus has no call for "the time range of my data", and backfilled incidents are often
// months old, so the span is found by probing: one coarse count over the whole lookback, then each edge refined
// at ever finer steps down to the second, then the exact first and last sample times.
import { PrometheusQueryError, type PrometheusClient, type QueryData } from './client.js';
import { duration } from './promql.js';
import { niceStepAtLeast, widerStep } from './step.js';

export interface DataSpan {
  start: number;
  end: number;
}

/** Points per probing query: far below Prometheus' limit, few enough to stay quick. */
const PROBE_POINTS = 1000;
const SECOND = 1000;

/**
 * The first and last sample time of the metrics `families` within `lookbackMs` before `now`. Each family is counted
 * on its own and the counts joined with `or`: *_over_time drops metric names, so two families with the same labels
 * in one selector would collide.
 */
export async function probeSpan(client: PrometheusClient, families: readonly string[], now: number, lookbackMs: number): Promise<DataSpan | undefined> {
  const anchor = new Anchor(families);
  const { times, step: coarse } = await timesWithData(client, anchor, now - lookbackMs, now, niceStepAtLeast(lookbackMs / PROBE_POINTS));
  if (times.length === 0) return undefined;
  const [firstAt, lastAt] = await Promise.all([
    refine(client, anchor, times[0]!, coarse, 'first'),
    refine(client, anchor, times[times.length - 1]!, coarse, 'last'),
  ]);
  // At one-second steps an edge window holds at most one sample per series, so timestamp() gives it exactly.
  const [start, end] = await Promise.all([
    exactTime(client, anchor.timestamps('min'), firstAt, Math.min),
    exactTime(client, anchor.timestamps('max'), lastAt, Math.max),
  ]);
  return { start: start ?? firstAt, end: end ?? lastAt };
}

/** Narrows an edge known to lie in (at - step, at] down to a one-second window; returns that window's end. */
async function refine(client: PrometheusClient, anchor: Anchor, at: number, step: number, edge: 'first' | 'last'): Promise<number> {
  let end = at;
  let width = step;
  while (width > SECOND) {
    const { times, step: fine } = await timesWithData(client, anchor, end - width, end, Math.max(SECOND, niceStepAtLeast(width / PROBE_POINTS)));
    if (times.length === 0 || fine >= width) break;
    end = edge === 'first' ? times[0]! : times[times.length - 1]!;
    width = fine;
  }
  return end;
}

/**
 * The evaluation times in [from, to] (on multiples of the step) whose window (t - step, t] holds a sample, and the
 * step used: widened when the server allows fewer points per query than asked (some backends limit below 11,000).
 */
async function timesWithData(client: PrometheusClient, anchor: Anchor, from: number, to: number, step: number): Promise<{ times: number[]; step: number }> {
  for (;;) {
    const start = Math.ceil(from / step) * step;
    const end = Math.max(start, Math.ceil(to / step) * step);
    try {
      const data = await client.queryRange(anchor.presence(duration(step)), start, end, step);
      const times = data.resultType === 'matrix' && data.result.length > 0 ? data.result[0]!.values.map(([t]) => Math.round(t * 1000)) : [];
      return { times, step };
    } catch (err) {
      if (!(err instanceof PrometheusQueryError && err.tooManyPoints) || end - start < 4 * step) throw err;
      step = widerStep(step * 2);
    }
  }
}

async function exactTime(client: PrometheusClient, expr: string, at: number, pick: (...v: number[]) => number): Promise<number | undefined> {
  const data: QueryData = await client.query(expr, at);
  if (data.resultType !== 'vector') return undefined;
  const values = data.result.map((r) => Number(r.value[1])).filter(Number.isFinite);
  return values.length ? Math.round(pick(...values) * 1000) : undefined;
}

class Anchor {
  constructor(private readonly families: readonly string[]) {}

  /** 1 at the times when any family has a sample in the window before. */
  presence(window: string): string {
    return this.families.map((f) => `count(count_over_time(${f}[${window}]))`).join(' or ');
  }

  /** The earliest (or latest) sample time per family, one labelled series each, so `or` keeps them all. */
  timestamps(pick: 'min' | 'max'): string {
    return this.families.map((f, i) => `label_replace(${pick}(timestamp(${f})), "family", "${i}", "", "")`).join(' or ');
  }
}
