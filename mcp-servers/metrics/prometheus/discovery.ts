// What a Prometheus holds, in the tools' terms: the signals (metrics), their services, the span of the data and the
// scrape interval of each, found from metric names, series labels and a few probing queries.
import { UserError } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import type { MetricCatalog, SeriesInfo } from '../source.js';
import type { Labels, PrometheusClient } from './client.js';
import { duration, quote, selector, serviceOf, SERVICE_LABELS } from './promql.js';
import { pointsOf, rangeQuery } from './rangeQuery.js';
import { candidateFamilies, discoverSignals, type Signal } from './signals.js';
import { probeSpan, type DataSpan } from './span.js';
import { DEFAULT_INTERVAL_MS, intervalFromCount } from './step.js';
import { familiesIn } from './teamSignals.js';

export interface Discovery {
  signals: Map<string, Signal>;
  span: DataSpan;
  /** Scrape interval per signal name; `interval` for the rest. */
  intervals: Map<string, number>;
  interval: number;
  catalog: MetricCatalog;
}

/** Window in which samples are counted to estimate a scrape interval. */
const INTERVAL_WINDOW_MS = 30 * 60_000;
/** Points of the coarse query that learns which services a team signal gives. */
const TEAM_PROBE_POINTS = 200;
/** The span is probed with at most this many metric names (one term each in the probing queries). */
const MAX_ANCHOR_NAMES = 100;
/** Families with more series than this are not read to find the span when smaller ones can be. */
const MAX_ANCHOR_SERIES = 2000;

export async function discover(client: PrometheusClient, teamSignals: readonly Signal[], now: number, lookbackMs: number): Promise<Discovery> {
  const where = `Prometheus at ${client.url}`;
  const names = await client.labelValues('__name__', now - lookbackMs, now);
  if (names.length === 0) {
    throw new UserError(
      `${where} has no metrics in the last ${Math.round(lookbackMs / 86_400_000)} days. If the incident is older, raise ` +
        '--prometheus-lookback (e.g. 800d); otherwise check that this is the right server (or tenant header).',
    );
  }
  const nameSet = new Set(names);
  const candidates = candidateFamilies(names);
  const notes: string[] = [];

  // Series labels come from the index alone (no samples read), so they are asked for over the whole lookback.
  const labelSets = candidates.length ? await client.series(candidates.map((n) => `{__name__=${quote(n)}}`), now - lookbackMs, now) : [];
  const signals = new Map<string, Signal>();
  for (const s of discoverSignals(names, labelSets)) signals.set(s.name, s);
  const oneSeries = firstSeriesOf(labelSets);

  // Team signals: the metric names they mention time and anchor them.
  const team = teamSignals.map((s) => ({ ...s, families: familiesIn(s.expression('1m', []), nameSet) }));
  const anchorNames = cheapest([...new Set([...[...signals.values()].flatMap((s) => s.families), ...team.flatMap((s) => s.families)])], labelSets);
  const span = await probeSpan(client, (anchorNames.length ? anchorNames : names).slice(0, MAX_ANCHOR_NAMES), now, lookbackMs);
  if (!span) {
    throw new UserError(`${where} lists metric names but returned no samples in the last ${Math.round(lookbackMs / 86_400_000)} days.`);
  }

  const intervals = new Map<string, number>();
  const familyIntervals = await Promise.all(
    [...new Set([...signals.values(), ...team].map((s) => s.families[0]).filter((f): f is string => f !== undefined))].map(
      async (family) => [family, await scrapeInterval(client, oneSeries.get(family) ?? family, span)] as const,
    ),
  );
  const byFamily = new Map(familyIntervals.filter((e): e is readonly [string, number] => e[1] !== undefined));
  const interval = medianOf([...byFamily.values()]) ?? DEFAULT_INTERVAL_MS;
  for (const s of signals.values()) intervals.set(s.name, byFamily.get(s.families[0]!) ?? interval);

  for (const s of team) {
    if (signals.has(s.name)) notes.push(`team signal ${s.name} replaces the conventional one of that name.`);
    const teamInterval = s.families.map((f) => byFamily.get(f)).find((i) => i !== undefined) ?? interval;
    try {
      const services = await teamServices(client, s, span, teamInterval);
      signals.set(s.name, { ...s, services: services.named, unlabelled: services.unlabelled });
      intervals.set(s.name, teamInterval);
    } catch (err) {
      signals.delete(s.name);
      notes.push(`team signal ${s.name} left out: ${(err as Error).message}`);
    }
  }
  if (signals.size === 0) {
    notes.push(
      `No signals found among the ${names.length} metric names (no *_requests_total, *_duration_seconds_bucket, process_*/container_* ` +
        'resource or pool/queue gauges). Define team signals with --signals FILE, or use get_metrics with query.',
    );
  }
  return { signals, span, intervals, interval, catalog: catalogOf(signals, intervals, span, interval, notes) };
}

/**
 * The typical spacing of samples: how many one series (`selector`) holds in its densest half hour over the span,
 * snapped to a usual interval. One series keeps the probe cheap however many a family has.
 */
async function scrapeInterval(client: PrometheusClient, selector: string, span: DataSpan): Promise<number | undefined> {
  const stepMs = Math.max(INTERVAL_WINDOW_MS, Math.ceil((span.end - span.start) / 50 / 60_000) * 60_000);
  const data = await client.queryRange(
    `max(count_over_time(${selector}[${duration(INTERVAL_WINDOW_MS)}]))`,
    span.start + Math.min(INTERVAL_WINDOW_MS, span.end - span.start),
    span.end + stepMs,
    stepMs,
  );
  if (data.resultType !== 'matrix' || data.result.length === 0) return undefined;
  const most = Math.max(...data.result[0]!.values.map(([, v]) => Number(v)));
  return intervalFromCount(INTERVAL_WINDOW_MS, most);
}

/** Evaluates a team signal coarsely over the span: checks that it runs and learns its services. */
async function teamServices(client: PrometheusClient, s: Signal, span: DataSpan, intervalMs: number) {
  const stepMs = Math.max(intervalMs, Math.ceil((span.end - span.start) / TEAM_PROBE_POINTS / 1000) * 1000);
  const answer = await rangeQuery(client, (w) => s.expression(w, []), span.start, span.end + stepMs, Math.max(intervalMs, stepMs));
  const withPoints = answer.series.filter((r) => pointsOf(r).length > 0);
  if (withPoints.length === 0) throw new Error(`it returned no data between ${isoTime(span.start)} and ${isoTime(span.end)}`);
  const named = [...new Set(withPoints.flatMap((r) => serviceOf(r.metric, SERVICE_LABELS) ?? []))].sort();
  return { named, unlabelled: withPoints.some((r) => serviceOf(r.metric, SERVICE_LABELS) === undefined) };
}

function catalogOf(signals: Map<string, Signal>, intervals: Map<string, number>, span: DataSpan, interval: number, notes: string[]): MetricCatalog {
  const series: SeriesInfo[] = [];
  const definitions: Record<string, { query: string; origin: string }> = {};
  for (const s of [...signals.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const intervalMs = intervals.get(s.name) ?? interval;
    // Points the signal gives at its scrape interval over the span: Prometheus cannot count them cheaply.
    const count = Math.floor((span.end - span.start) / intervalMs) + 1;
    const services: (string | undefined)[] = [...(s.services ?? []), ...(s.unlabelled || !s.services?.length ? [undefined] : [])];
    for (const service of services) {
      series.push({ metric: s.name, ...(service !== undefined && { service }), count, first: span.start, last: span.end, intervalMs });
    }
    definitions[s.name] = { query: s.expression('$__rate_interval', []), origin: s.origin };
  }
  return {
    metrics: [...signals.keys()].sort(),
    services: [...new Set(series.flatMap((s) => (s.service === undefined ? [] : [s.service])))].sort(),
    series,
    start: span.start,
    end: span.end,
    sampleCount: Math.floor((span.end - span.start) / interval) + 1,
    intervalMs: interval,
    notes,
    definitions,
  };
}

/** An exact selector for the first series of each metric name. */
function firstSeriesOf(labelSets: readonly Labels[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const labels of labelSets) {
    const name = labels.__name__;
    if (name === undefined || out.has(name)) continue;
    const matchers = Object.entries(labels).filter(([k]) => k !== '__name__').map(([label, value]) => ({ label, op: '=' as const, value }));
    out.set(name, selector(name, matchers));
  }
  return out;
}

/**
 * The families to find the span with: probing reads every sample of them over the lookback, so families with very
 * many series (cAdvisor's, on a big cluster) are left out when smaller ones can tell the span.
 */
function cheapest(families: string[], labelSets: readonly Labels[]): string[] {
  const counts = new Map<string, number>();
  for (const labels of labelSets) counts.set(labels.__name__ ?? '', (counts.get(labels.__name__ ?? '') ?? 0) + 1);
  const small = families.filter((f) => (counts.get(f) ?? 0) <= MAX_ANCHOR_SERIES);
  if (small.length > 0) return small;
  return [...families].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0)).slice(0, 1);
}

function medianOf(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
