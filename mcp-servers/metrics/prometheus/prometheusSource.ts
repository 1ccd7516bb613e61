// A MetricSource that asks Prometheus: signals found by convention (and a team's own) become the metrics the
// tools and the analysts know, read with query_range at a step that fits the window.
import { UserError } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { seriesKey } from '../parseMetricsDocument.js';
import type {
  InstantValue,
  MetricCatalog,
  MetricSeries,
  MetricSource,
  RawMetricsPage,
  RawMetricsQuery,
  RawQuery,
  RawQueryResult,
  SeriesQuery,
} from '../source.js';
import type { Labels, PrometheusClient } from './client.js';
import { discover, type Discovery } from './discovery.js';
import { SERVICE_LABELS, duration, isLabelName, isMetricName, labelText, quote, selector, serviceOf, type LabelMatcher } from './promql.js';
import { pointsOf, rangeQuery } from './rangeQuery.js';
import type { Signal } from './signals.js';
import { rateWindow } from './step.js';
import { outsideAnyCall } from '../../common/callSignal.js';

/** The catalog is re-probed after this long, so new data (or a restarted server) shows up. */
const CATALOG_TTL_MS = 60_000;
/** Signals queried at once: enough to overlap the round trips, few enough not to load the server. */
const PARALLEL_QUERIES = 4;
/** Values listed per label in list_metrics' raw label sets. */
const MAX_LABEL_VALUES = 10;
const COUNTER = /_(total|count|sum|bucket)$/;

export interface PrometheusSourceOptions {
  lookbackMs: number;
  teamSignals?: Signal[];
  now?: () => number;
}

export class PrometheusMetricSource implements MetricSource {
  readonly label: string;
  private cached: { at: number; discovery: Promise<Discovery> } | undefined;
  private readonly now: () => number;

  constructor(
    private readonly client: PrometheusClient,
    private readonly options: PrometheusSourceOptions,
  ) {
    this.label = `Prometheus at ${client.url}`;
    this.now = options.now ?? Date.now;
  }

  async catalog(): Promise<MetricCatalog> {
    return (await this.discovery()).catalog;
  }

  async read(query: SeriesQuery): Promise<MetricSeries[]> {
    const d = await this.discovery();
    const since = query.since ?? d.span.start;
    const until = query.until ?? d.span.end;
    const signals = query.metrics.flatMap((m) => d.signals.get(m) ?? []);
    const perSignal = await inBatches(signals, PARALLEL_QUERIES, async (s) => {
      if (query.service !== undefined && s.takesMatchers && !s.serviceLabel) return [];
      const matchers = serviceMatchers(s, query.service);
      const interval = d.intervals.get(s.name) ?? d.interval;
      const answer = await rangeQuery(this.client, (w) => s.expression(w, matchers), since, until, interval, {
        ...(query.maxPoints !== undefined && { maxPoints: query.maxPoints }),
        ...(query.minStepMs !== undefined && { minStepMs: query.minStepMs }),
      });
      return toSeries(s, answer.series, answer.query, answer.notes, query.service, answer.stepMs);
    });
    return perSignal.flat();
  }

  async valueAt(query: { metrics: readonly string[]; service?: string }, at: number): Promise<InstantValue[]> {
    const d = await this.discovery();
    const signals = query.metrics.flatMap((m) => d.signals.get(m) ?? []);
    const perSignal = await inBatches(signals, PARALLEL_QUERIES, async (s) => {
      if (query.service !== undefined && s.takesMatchers && !s.serviceLabel) return [];
      const interval = d.intervals.get(s.name) ?? d.interval;
      // The same window as a range read at the scrape interval, so the value matches the point the tools showed.
      const expr = s.expression(duration(rateWindow(interval, interval)), serviceMatchers(s, query.service));
      const data = await this.client.query(expr, at);
      if (data.resultType !== 'vector') return [];
      return data.result.flatMap((r): InstantValue[] => {
        const value = Number(r.value[1]);
        const service = serviceOf(r.metric, serviceOrder(s));
        if (!Number.isFinite(value) || (query.service !== undefined && service !== query.service)) return [];
        return [{ metric: s.name, ...(service !== undefined && { service }), time: at, value, query: expr }];
      });
    });
    return perSignal.flat();
  }

  async readQuery(q: RawQuery): Promise<RawQueryResult> {
    const d = await this.discovery();
    const since = q.since ?? d.span.start;
    const until = q.until ?? d.span.end;
    const notes: string[] = [];
    let build: (window: string) => string;
    let interval = d.interval;
    let nameOf: (labels: Labels) => string;
    if (q.query !== undefined && q.query.trim() !== '') {
      const expr = q.query.trim();
      build = (w) => expr.replace(/\$__rate_interval|\$\{__rate_interval\}/g, w);
      // A series is named by its metric name and labels (the service label aside): {status="500"} after a sum by (status).
      nameOf = (labels) => (labels.__name__ ?? '') + labelText(labels, [serviceLabelIn(labels) ?? '']) || 'value';
    } else {
      const metric = (q.metric ?? '').trim();
      const matchers = labelMatchers(q.matchers ?? {});
      const signal = d.signals.get(metric);
      if (signal?.takesMatchers) {
        interval = d.intervals.get(signal.name) ?? d.interval;
        const withService = [...matchers, ...serviceMatchers(signal, q.service)];
        build = (w) => signal.expression(w, withService);
        const named = labelText(Object.fromEntries(matchers.map((m) => [m.label, m.value])));
        nameOf = () => `${signal.name}${named}`;
      } else {
        if (signal) throw new UserError(`${signal.name} is a team signal: matchers do not apply to it; use query with your own PromQL.`);
        if (!isMetricName(metric) || metric === 'all') {
          throw new UserError(`With matchers, metric_type must be one metric name (e.g. http_requests_total), not "${metric}".`);
        }
        const sel = selector(metric, matchers);
        // A counter's raw value only ever grows; its per-second rate is what moves with an incident.
        if (COUNTER.test(metric)) {
          build = (w) => `rate(${sel}[${w}])`;
          notes.push(`${metric} is a counter: shown as its per-second rate.`);
        } else {
          build = () => sel;
        }
        nameOf = (labels) => metric + labelText(labels, [serviceLabelIn(labels) ?? '']);
      }
    }
    const answer = await rangeQuery(this.client, build, since, until, interval);
    notes.push(...answer.notes);
    const series: MetricSeries[] = [];
    for (const r of answer.series) {
      const service = serviceOf(r.metric);
      if (q.service !== undefined && service !== q.service) continue;
      const points = pointsOf(r);
      if (points.length === 0) continue;
      series.push({ metric: nameOf(r.metric), ...(service !== undefined && { service }), points, query: answer.query });
    }
    if (series.length === 0) {
      throw new UserError(
        `${answer.query} gave no points between ${isoTime(since)} and ${isoTime(until)}` +
          `${q.service !== undefined ? ` for service ${q.service}` : ''}; the data covers ${isoTime(d.span.start)} .. ${isoTime(d.span.end)}. ` +
          'Check the metric name and labels (list_metrics with match), or widen since/until.',
      );
    }
    return { series, query: answer.query, notes };
  }

  async rawMetrics(q: RawMetricsQuery): Promise<RawMetricsPage> {
    const d = await this.discovery();
    const since = q.since ?? d.span.start;
    const until = q.until ?? d.span.end;
    const wanted = (q.match ?? '').trim().toLowerCase();
    const names = (await this.client.labelValues('__name__', since, until)).filter((n) => n.toLowerCase().includes(wanted)).sort();
    const page = names.slice(q.offset, q.offset + q.limit);
    const labelSets = page.length ? await this.client.series(page.map((n) => `{__name__=${quote(n)}}`), since, until) : [];
    const metrics = page.map((name) => {
      const sets = labelSets.filter((l) => l.__name__ === name);
      const values = new Map<string, Set<string>>();
      for (const set of sets) {
        for (const [label, value] of Object.entries(set)) {
          if (label === '__name__') continue;
          let seen = values.get(label);
          if (!seen) values.set(label, (seen = new Set()));
          seen.add(value);
        }
      }
      const labels: Record<string, string[]> = {};
      const labelsCut: string[] = [];
      for (const [label, seen] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
        const all = [...seen].sort();
        labels[label] = all.slice(0, MAX_LABEL_VALUES);
        if (all.length > MAX_LABEL_VALUES) labelsCut.push(`${label} has ${all.length} values`);
      }
      return { name, series: sets.length, labels, labelsCut };
    });
    const end = q.offset + page.length;
    return { total: names.length, offset: q.offset, nextOffset: end < names.length ? end : null, since, until, metrics };
  }

  /** Discovery is shared by concurrent calls and kept for a minute; a failure is not kept, so the next call retries. */
  private discovery(): Promise<Discovery> {
    const now = this.now();
    if (this.cached && now - this.cached.at < CATALOG_TTL_MS) return this.cached.discovery;
    const discovery = outsideAnyCall(() => discover(this.client, this.options.teamSignals ?? [], now, this.options.lookbackMs));
    const entry = { at: now, discovery };
    this.cached = entry;
    discovery.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return discovery;
  }
}

function serviceOrder(s: Signal): readonly string[] {
  return s.serviceLabel ? [s.serviceLabel] : SERVICE_LABELS;
}

function serviceLabelIn(labels: Labels): string | undefined {
  return SERVICE_LABELS.find((l) => labels[l]);
}

function serviceMatchers(s: Signal, service: string | undefined): LabelMatcher[] {
  return service !== undefined && s.takesMatchers && s.serviceLabel ? [{ label: s.serviceLabel, op: '=', value: service }] : [];
}

/** {"status": "500"} as PromQL matchers; a value such as "~5.." is a regex match, "!500" a negative one. */
function labelMatchers(given: Record<string, string>): LabelMatcher[] {
  return Object.entries(given).map(([label, raw]) => {
    if (!isLabelName(label)) throw new UserError(`"${label}" is not a label name (letters, digits and _).`);
    const value = String(raw);
    if (value.startsWith('!~')) return { label, op: '!~', value: value.slice(2) };
    if (value.startsWith('~')) return { label, op: '=~', value: value.slice(1) };
    if (value.startsWith('!')) return { label, op: '!=', value: value.slice(1) };
    return { label, op: '=', value };
  });
}

function toSeries(
  s: Signal,
  answer: { metric: Labels; values: [number, string][] }[],
  query: string,
  notes: string[],
  service: string | undefined,
  stepMs: number,
): MetricSeries[] {
  const out = new Map<string, MetricSeries>();
  for (const r of answer) {
    const svc = serviceOf(r.metric, serviceOrder(s));
    if (service !== undefined && svc !== service) continue;
    const points = pointsOf(r);
    if (points.length === 0) continue;
    const key = seriesKey(s.name, svc);
    const existing = out.get(key);
    if (existing) {
      // A team expression that is not aggregated by service gives several series per service: keep the first.
      const note = `${s.name} gave more than one series for ${svc ?? 'no service'}; only the first is used (aggregate the expression by service).`;
      if (!existing.notes?.includes(note)) existing.notes = [...(existing.notes ?? []), note];
      continue;
    }
    out.set(key, { metric: s.name, ...(svc !== undefined && { service: svc }), points, query, stepMs, ...(notes.length && { notes: [...notes] }) });
  }
  return [...out.values()].sort((a, b) => (a.service ?? '').localeCompare(b.service ?? ''));
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}
