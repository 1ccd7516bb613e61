// Turns the text of a metrics file into sorted series, or explains exactly which entry or field makes it unusable.
import { UserError } from '../common/result.js';
import { parseTime } from '../common/time.js';
import type { MetricCatalog, MetricPoint, MetricSeries, SeriesInfo } from './source.js';
import { median } from './stats.js';

export const EXPECTED_SHAPE =
  'Expected {"metrics": [{"timestamp": "2026-02-17T14:45:00Z", "cpu_usage": 42.5, "error_rate": 0.8, ...}, ...]}, ' +
  'optionally with a "service" string per point.';

export interface ParsedMetrics {
  series: MetricSeries[];
  catalog: MetricCatalog;
}

/** Fields that are never metrics even when numeric. */
const NOT_METRICS = new Set(['timestamp', 'service']);
const MAX_PROBLEM_EXAMPLES = 3;

interface FieldJunk {
  count: number;
  firstEntry: number;
  example: unknown;
}

export function parseMetricsDocument(text: string, label: string): ParsedMetrics {
  if (text.trim() === '') throw new UserError(`The ${label} is empty. ${EXPECTED_SHAPE}`);
  const entries = metricsArray(parseJson(text, label), label);
  if (entries.length === 0) throw new UserError(`The ${label} has an empty "metrics" array: there is nothing to analyse.`);

  const samples = new Map<string, SeriesBuilder>(); // series key -> its samples in file order
  const timeProblems: string[] = [];
  const junkByField = new Map<string, FieldJunk>();
  const numericFields = new Set<string>();
  const stringFields = new Set<string>();
  let usableEntries = 0;
  let duplicates = 0;

  entries.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      timeProblems.push(`metrics[${index}] is ${describeJson(entry)}, not an object`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const time = readTimestamp(record.timestamp);
    if (typeof time === 'string') {
      timeProblems.push(`metrics[${index}]: ${time}`);
      return;
    }
    usableEntries++;
    const service = readService(record.service);
    for (const [field, value] of Object.entries(record)) {
      if (NOT_METRICS.has(field) || value === null || value === undefined) continue;
      if (typeof value === 'number' && Number.isFinite(value)) {
        numericFields.add(field);
        const key = seriesKey(field, service);
        let builder = samples.get(key);
        if (!builder) samples.set(key, (builder = new SeriesBuilder()));
        builder.add(time, value);
        continue;
      }
      if (typeof value === 'string') stringFields.add(field);
      const junk = junkByField.get(field);
      if (junk) junk.count++;
      else junkByField.set(field, { count: 1, firstEntry: index, example: value });
    }
  });

  if (usableEntries === 0 || usableEntries * 2 < entries.length) {
    throw new UserError(
      `The ${label} is unusable: ${entries.length - usableEntries} of ${entries.length} entries have no readable time. ` +
        `${timeProblems.slice(0, MAX_PROBLEM_EXAMPLES).join('; ')}. ` +
        'Give each point a "timestamp" in ISO-8601 such as "2026-02-17T14:45:00Z" (no zone means UTC) or epoch seconds/milliseconds.',
    );
  }
  if (numericFields.size === 0) throw new UserError(noMetricsMessage(label, junkByField));

  const notes: string[] = [];
  if (timeProblems.length > 0) {
    notes.push(
      `${timeProblems.length} entr${timeProblems.length === 1 ? 'y' : 'ies'} skipped for want of a readable time ` +
        `(${timeProblems.slice(0, MAX_PROBLEM_EXAMPLES).join('; ')}${timeProblems.length > MAX_PROBLEM_EXAMPLES ? '; ...' : ''}).`,
    );
  }
  for (const [field, junk] of [...junkByField].sort(([a], [b]) => a.localeCompare(b))) {
    if (!numericFields.has(field)) continue; // a label such as "host" or "region": not a metric, nothing to report
    notes.push(
      `${field}: ${junk.count} value${junk.count === 1 ? '' : 's'} not a number and skipped ` +
        `(first metrics[${junk.firstEntry}] = ${describeJson(junk.example)}).`,
    );
  }
  for (const field of [...stringFields].sort()) {
    if (numericFields.has(field) || !looksNumeric(junkByField.get(field)?.example)) continue;
    notes.push(`${field} holds numbers written as strings (e.g. ${describeJson(junkByField.get(field)?.example)}); it is ignored. Write them as JSON numbers to use it.`);
  }
  const series = [...samples].map(([key, builder]) => {
    const { points, dropped } = builder.points();
    duplicates += dropped;
    return toSeries(key, points);
  });
  if (duplicates > 0) notes.push(`${duplicates} duplicate sample(s) (same time, metric and service); the later entry was kept.`);

  series.sort((a, b) => a.metric.localeCompare(b.metric) || (a.service ?? '').localeCompare(b.service ?? ''));
  return { series, catalog: catalogOf(series, usableEntries, notes) };
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : '';
    throw new UserError(
      `The ${label} is not valid JSON: ${message.slice(0, 200)}${where}. Fix the JSON syntax. ${EXPECTED_SHAPE}`,
    );
  }
}

function metricsArray(doc: unknown, label: string): unknown[] {
  if (Array.isArray(doc)) {
    throw new UserError(`The ${label} is a bare JSON array; wrap it as {"metrics": [...]}. ${EXPECTED_SHAPE}`);
  }
  if (typeof doc !== 'object' || doc === null) {
    throw new UserError(`The ${label} holds ${describeJson(doc)} at the top level, not an object. ${EXPECTED_SHAPE}`);
  }
  const metrics = (doc as Record<string, unknown>).metrics;
  if (metrics === undefined) {
    const keys = Object.keys(doc).slice(0, 10).map((k) => JSON.stringify(k)).join(', ');
    throw new UserError(`The ${label} has no "metrics" key (top-level keys: ${keys || 'none'}). ${EXPECTED_SHAPE}`);
  }
  if (!Array.isArray(metrics)) {
    throw new UserError(`In the ${label}, "metrics" is ${describeJson(metrics)}, not an array of points. ${EXPECTED_SHAPE}`);
  }
  return metrics;
}

/** Epoch milliseconds, or a sentence saying what is wrong. Numbers are epoch seconds or milliseconds. */
function readTimestamp(value: unknown): number | string {
  if (value === undefined || value === null) return 'no "timestamp" field';
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const parsed = parseTime(value);
    if (parsed !== undefined) return parsed;
  }
  return `timestamp ${describeJson(value)} is not an ISO-8601 time`;
}

function readService(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function noMetricsMessage(label: string, junkByField: Map<string, FieldJunk>): string {
  const examples = [...junkByField]
    .slice(0, MAX_PROBLEM_EXAMPLES)
    .map(([field, junk]) => `${field} in metrics[${junk.firstEntry}] is ${describeJson(junk.example)}`);
  return (
    `The ${label} has no numeric metric fields${examples.length ? `: ${examples.join('; ')}` : ''}. ` +
    `Metric values must be JSON numbers (45.2, not "45.2" or "45%"). ${EXPECTED_SHAPE}`
  );
}

/** Series keys join metric and service with a NUL, which neither can contain in practice. */
export function seriesKey(metric: string, service: string | undefined): string {
  return service === undefined ? metric : `${metric}\0${service}`;
}

function toSeries(key: string, points: MetricPoint[]): MetricSeries {
  const [metric, service] = key.split('\0') as [string, string | undefined];
  return service === undefined ? { metric, points } : { metric, service, points };
}

/**
 * One series' samples in file order. Files are usually in time order, so points come out as they went in;
 * otherwise they are sorted, and of samples at the same time the later entry wins.
 */
class SeriesBuilder {
  private readonly samples: MetricPoint[] = [];
  private inOrder = true;

  add(time: number, value: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && time <= last.time) this.inOrder = false;
    this.samples.push({ time, value });
  }

  points(): { points: MetricPoint[]; dropped: number } {
    if (this.inOrder) return { points: this.samples, dropped: 0 };
    const sorted = this.samples.map((p, index) => ({ p, index })).sort((a, b) => a.p.time - b.p.time || a.index - b.index);
    const points: MetricPoint[] = [];
    for (const { p } of sorted) {
      if (points.length > 0 && points[points.length - 1]!.time === p.time) points[points.length - 1] = p;
      else points.push(p);
    }
    return { points, dropped: this.samples.length - points.length };
  }
}

function catalogOf(series: MetricSeries[], sampleCount: number, notes: string[]): MetricCatalog {
  const infos: SeriesInfo[] = series.map((s) => {
    const first = s.points[0]?.time ?? 0;
    const last = s.points[s.points.length - 1]?.time ?? 0;
    const intervalMs = medianGap(s.points);
    return { metric: s.metric, ...(s.service !== undefined && { service: s.service }), count: s.points.length, first, last, ...(intervalMs !== undefined && { intervalMs }) };
  });
  const gaps = infos.flatMap((i) => (i.intervalMs === undefined ? [] : [i.intervalMs]));
  const catalog: MetricCatalog = {
    metrics: [...new Set(series.map((s) => s.metric))].sort(),
    services: [...new Set(series.flatMap((s) => (s.service === undefined ? [] : [s.service])))].sort(),
    series: infos,
    start: Math.min(...infos.map((i) => i.first)),
    end: Math.max(...infos.map((i) => i.last)),
    sampleCount,
    notes,
  };
  if (gaps.length > 0) catalog.intervalMs = median(gaps);
  return catalog;
}

export function medianGap(points: readonly MetricPoint[]): number | undefined {
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) gaps.push(points[i]!.time - points[i - 1]!.time);
  return gaps.length > 0 ? median(gaps) : undefined;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function looksNumeric(value: unknown): boolean {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

