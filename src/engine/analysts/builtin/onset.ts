// When did it start? The first sustained rise of an error-rate metric; failing that, of latency; failing
// that, the first burst of error lines in the logs.
import type { AnalystTools, TimeWindow } from '../../analysis/analyst.js';
import { callFor, type LogLineRef } from './toolAccess.js';

export interface Anomaly {
  name: string;
  start: string;
  direction: string;
  shape?: string;
  peak_value?: number;
  peak_timestamp?: string;
  baseline_median?: number;
  change_pct?: number | null;
  service?: string;
}

export interface OnsetFinding {
  /** ISO time, or undefined when nothing changed that could be dated. */
  onset?: string;
  /** What dated it: a metric change point or the first error burst in the logs. */
  source?: 'metric' | 'logs';
  metricChange?: Anomaly;
  anomalies: Anomaly[];
  logBurst?: { start: string; first: LogLineRef; count: number };
}

const LATENCY = /latency|response_time|duration|_ms$/i;
const ERRORS = /error|5xx|fail/i;
const MINUTE = 60_000;

export async function findOnset(tools: AnalystTools, window: TimeWindow): Promise<OnsetFinding> {
  // Metrics and logs are separate servers: asked at once, they work side by side.
  const [rates, anomalyResult, logBurst] = await Promise.all([
    callFor<{ earliest_rise?: Anomaly }>(tools, 'get_error_rates', { ...window }),
    callFor<{ anomalies?: Anomaly[] }>(tools, 'get_anomalies', { ...window }),
    findLogBurst(tools, window),
  ]);
  const anomalies = anomalyResult?.anomalies ?? [];
  const risesOf = (re: RegExp) => anomalies.filter((a) => re.test(a.name) && a.direction === 'up');
  const metricChange = rates?.earliest_rise ?? risesOf(ERRORS)[0] ?? risesOf(LATENCY)[0];

  if (metricChange) return { onset: metricChange.start, source: 'metric', metricChange, anomalies, logBurst };
  if (logBurst) return { onset: logBurst.start, source: 'logs', anomalies, logBurst };
  return { anomalies };
}

interface Histogram {
  buckets: Array<{ start: string; count: number; first: LogLineRef }>;
}

/**
 * The first minute from which error records run well above their usual level for three minutes: a robust
 * baseline (median of the first half of the minutes) with a floor, so a quiet log does not fire on one line.
 */
async function findLogBurst(tools: AnalystTools, window: TimeWindow): Promise<OnsetFinding['logBurst']> {
  const histogram = await callFor<Histogram>(tools, 'log_histogram', { level: 'error', bucket_minutes: 1, ...window });
  if (!histogram || histogram.buckets.length === 0) return undefined;
  const byMinute = new Map(histogram.buckets.map((b) => [Date.parse(b.start), b]));
  const first = Date.parse(histogram.buckets[0]!.start);
  const last = Date.parse(histogram.buckets[histogram.buckets.length - 1]!.start);
  const counts: number[] = [];
  for (let t = first; t <= last; t += MINUTE) counts.push(byMinute.get(t)?.count ?? 0);
  const baseline = median(counts.slice(0, Math.max(1, Math.floor(counts.length / 2))));
  const threshold = Math.max(3, baseline * 4);
  for (let i = 0; i + 2 < counts.length; i++) {
    if (counts[i]! >= threshold && counts[i + 1]! >= threshold && counts[i + 2]! >= threshold) {
      const bucket = byMinute.get(first + i * MINUTE)!;
      return { start: bucket.start, first: bucket.first, count: counts.slice(i).reduce((a, b) => a + b, 0) };
    }
  }
  return undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
