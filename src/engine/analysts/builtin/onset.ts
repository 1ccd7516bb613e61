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
  /** Last anomalous point, and whether the change still held at the last point examined. */
  end?: string;
  ongoing?: boolean;
  anomalous_points?: number;
}

export interface OnsetFinding {
  /** ISO time, or undefined when nothing changed that could be dated. */
  onset?: string;
  /** What dated it: a metric change point or the first error burst in the logs. */
  source?: 'metric' | 'logs';
  metricChange?: Anomaly;
  anomalies: Anomaly[];
  logBurst?: { start: string; first: LogLineRef; count: number };
  /** Set when the metrics were first read at a coarse resolution and the onset was dated again in a closer window. */
  zoom?: { since: string; until: string; coarseOnset: string; coarseResolutionSeconds: number; resolutionSeconds?: number };
}

const ERRORS = /error|5xx|fail/i;
const MINUTE = 60_000;
/** Signals users feel: failures, slowness, delays; not the machine's own (GC, memory, CPU, disk, pools, loops). */
const USER_FACING = /error|5xx|fail|latency|response|duration|delay|p9\d/i;
const MACHINE = /gc|heap|mem|cpu|disk|rss|loop|pool|conn/i;
/** A change that ended this shortly before another began is the same episode (a point or two dipping back). */
const CHAIN_GAP_MS = 2 * MINUTE;
/**
 * How long before the incident's episode a user-facing change may begin and still be its start: slowness that
 * turns into failures does so within minutes to tens of minutes; a rise hours earlier is the day's load or
 * another story, and the time the report names is what anchors the episode.
 */
const CHAIN_LEAD_MS = 60 * MINUTE;
const HOUR = 60 * MINUTE;

/**
 * Zooming in. Over a long range the metrics tools analyse means of coarse steps (a week of per-second points: 10
 * minutes), which date a change only to within a step or two and can hide or blur it. A careful on-call engineer
 * looks at the overview, then at the hours around the change at minute resolution. Minute resolution because that
 * is how incidents are dated and what "sustained" means here: 3 anomalous points in a row are 3 minutes, the same
 * rule as the log burst below (1-minute buckets, 3 in a row); finer points would make a blip of seconds "sustained".
 * The window: ZOOM_BEFORE before the coarse onset, so the start of a drift that the coarse means blurred and the
 * deployment that preceded it are inside (the period before the window is the baseline, at least an hour of it);
 * ZOOM_AFTER after it, enough to see the change hold. Both at least a few coarse steps, so a coarse onset that is off
 * by a step or two still falls well inside. At minute resolution that is 180 points, far within the tools' budget.
 */
const FINE_RESOLUTION_S = 60;
const ZOOM_BEFORE = 2 * HOUR;
const ZOOM_AFTER = HOUR;
const ZOOM_MIN_STEPS = 4;

interface RatesAnswer {
  earliest_rise?: Anomaly;
  resolution_seconds?: number;
}

interface AnomaliesAnswer {
  anomalies?: Anomaly[];
  resolution_seconds?: number;
}

export async function findOnset(tools: AnalystTools, window: TimeWindow, anchorMs?: number, errorMetrics = true): Promise<OnsetFinding> {
  // Metrics and logs are separate servers: asked at once, they work side by side. Error rates only where some
  // metric is one (get_error_rates would only say there is none).
  const [rates, anomalyResult, logBurst] = await Promise.all([
    errorMetrics ? callFor<RatesAnswer>(tools, 'get_error_rates', { ...window }) : undefined,
    callFor<AnomaliesAnswer>(tools, 'get_anomalies', { ...window }),
    findLogBurst(tools, window, anchorMs),
  ]);
  const anomalies = anomalyResult?.anomalies ?? [];
  const metricChange = metricChangeOf(rates, anomalies, anchorMs);

  if (metricChange) {
    const coarse = Math.max(rates?.resolution_seconds ?? 0, anomalyResult?.resolution_seconds ?? 0);
    if (coarse > FINE_RESOLUTION_S) {
      const zoomed = await zoomIn(tools, window, metricChange.start, coarse, anchorMs, errorMetrics);
      if (zoomed) return { ...zoomed, source: 'metric', logBurst };
    }
    return { onset: metricChange.start, source: 'metric', metricChange, anomalies, logBurst };
  }
  if (logBurst) return { onset: logBurst.start, source: 'logs', anomalies, logBurst };
  return { anomalies };
}

/**
 * The onset is the first sustained departure of a signal users feel (errors, latency, waiting) that runs into the
 * incident: first the episode that is the incident (the one at the time the report names, else the one still
 * going on, else the longest error episode), then back through every user-facing change that overlaps it, so a
 * latency climb twenty minutes before the errors dates the start, and a blip hours earlier does not.
 */
function metricChangeOf(rates: RatesAnswer | undefined, anomalies: readonly Anomaly[], anchorMs?: number): Anomaly | undefined {
  const felt = anomalies.filter((a) => USER_FACING.test(a.name) && !MACHINE.test(a.name) && a.direction === 'up' && Number.isFinite(Date.parse(a.start)));
  if (rates?.earliest_rise && !felt.some((a) => a.name === rates.earliest_rise!.name && a.start === rates.earliest_rise!.start)) felt.push(rates.earliest_rise);
  if (felt.length === 0) return undefined;
  const episode = incidentEpisode(felt, anchorMs);
  const earliest = Date.parse(episode.start) - CHAIN_LEAD_MS;
  let start = Date.parse(episode.start);
  let first = episode;
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of felt) {
      const s = Date.parse(a.start);
      if (s < start && s >= earliest && endOf(a) >= start - CHAIN_GAP_MS) {
        start = s;
        first = a;
        changed = true;
      }
    }
  }
  return first;
}

function incidentEpisode(felt: readonly Anomaly[], anchorMs: number | undefined): Anomaly {
  const errors = felt.filter((a) => ERRORS.test(a.name));
  const pool = errors.length ? errors : felt;
  if (anchorMs !== undefined) {
    const distance = (a: Anomaly) => (Date.parse(a.start) <= anchorMs && endOf(a) >= anchorMs ? 0 : Math.abs(Date.parse(a.start) - anchorMs));
    return [...pool].sort((a, b) => distance(a) - distance(b))[0]!;
  }
  const ongoing = pool.filter((a) => a.ongoing);
  if (ongoing.length) return ongoing.sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0]!;
  return [...pool].sort((a, b) => (b.anomalous_points ?? 0) - (a.anomalous_points ?? 0))[0]!;
}

function endOf(a: Anomaly): number {
  if (a.ongoing) return Infinity;
  const end = a.end ? Date.parse(a.end) : NaN;
  return Number.isFinite(end) ? end : Date.parse(a.start);
}

/**
 * The onset dated again at minute resolution around the coarse one, with the anomalies of that window (the rest of
 * the analysis reads them as what moved around the onset). Undefined when the closer look finds no rise: the coarse
 * onset then stands.
 */
async function zoomIn(
  tools: AnalystTools,
  window: TimeWindow,
  coarseOnset: string,
  coarseResolutionSeconds: number,
  anchorMs?: number,
  errorMetrics = true,
): Promise<Pick<OnsetFinding, 'onset' | 'metricChange' | 'anomalies' | 'zoom'> | undefined> {
  const at = Date.parse(coarseOnset);
  if (Number.isNaN(at)) return undefined;
  const step = coarseResolutionSeconds * 1000;
  let since = at - Math.max(ZOOM_BEFORE, ZOOM_MIN_STEPS * step);
  let until = at + Math.max(ZOOM_AFTER, ZOOM_MIN_STEPS * step);
  // Never outside the window the analysis was given.
  if (window.since !== undefined) since = Math.max(since, Date.parse(window.since));
  if (window.until !== undefined) until = Math.min(until, Date.parse(window.until));
  if (!(since < until)) return undefined;
  const closer = { since: iso(since), until: iso(until), step_seconds: FINE_RESOLUTION_S };
  const [rates, anomalyResult] = await Promise.all([
    errorMetrics ? callFor<RatesAnswer>(tools, 'get_error_rates', closer) : undefined,
    callFor<AnomaliesAnswer>(tools, 'get_anomalies', closer),
  ]);
  const anomalies = anomalyResult?.anomalies ?? [];
  const metricChange = metricChangeOf(rates, anomalies, anchorMs);
  if (!metricChange) return undefined;
  const resolution = Math.max(rates?.resolution_seconds ?? 0, anomalyResult?.resolution_seconds ?? 0);
  return {
    onset: metricChange.start,
    metricChange,
    anomalies,
    zoom: { since: closer.since, until: closer.until, coarseOnset, coarseResolutionSeconds, ...(resolution > 0 && { resolutionSeconds: resolution }) },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

interface Histogram {
  buckets: Array<{ start: string; count: number; first: LogLineRef }>;
}

/**
 * The first minute from which error records run well above their usual level for three minutes: a robust
 * baseline (median of the first half of the minutes) with a floor, so a quiet log does not fire on one line.
 */
async function findLogBurst(tools: AnalystTools, window: TimeWindow, anchorMs?: number): Promise<OnsetFinding['logBurst']> {
  const histogram = await callFor<Histogram>(tools, 'log_histogram', { level: 'error', bucket_minutes: 1, ...window });
  if (!histogram || histogram.buckets.length === 0) return undefined;
  const byMinute = new Map(histogram.buckets.map((b) => [Date.parse(b.start), b]));
  const first = Date.parse(histogram.buckets[0]!.start);
  const last = Date.parse(histogram.buckets[histogram.buckets.length - 1]!.start);
  const counts: number[] = [];
  for (let t = first; t <= last; t += MINUTE) counts.push(byMinute.get(t)?.count ?? 0);
  const baseline = median(counts.slice(0, Math.max(1, Math.floor(counts.length / 2))));
  const threshold = Math.max(3, baseline * 4);
  // Each burst's first minute; with a time named in the incident, the burst nearest it is the incident's.
  const starts: number[] = [];
  for (let i = 0; i + 2 < counts.length; i++) {
    const burst = counts[i]! >= threshold && counts[i + 1]! >= threshold && counts[i + 2]! >= threshold;
    const inPrevious = i > 0 && counts[i - 1]! >= threshold && starts.length > 0;
    if (burst && !inPrevious) starts.push(i);
  }
  if (starts.length === 0) return undefined;
  const at = (i: number) => first + i * MINUTE;
  const chosen = anchorMs === undefined ? starts[0]! : starts.reduce((best, i) => (Math.abs(at(i) - anchorMs) < Math.abs(at(best) - anchorMs) ? i : best));
  const bucket = byMinute.get(at(chosen))!;
  return { start: bucket.start, first: bucket.first, count: counts.slice(chosen).reduce((a, b) => a + b, 0) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
