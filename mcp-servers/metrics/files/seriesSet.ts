// What every metrics file format ends in: samples gathered per (metric, service), then sorted series and a catalog.
// The JSON document parser (../parseMetricsDocument.ts) and the standard formats in this folder all build through it,
// so sorting, duplicate handling, the median interval and the notes read the same whatever the file was.
import type { MetricCatalog, MetricPoint, SeriesInfo } from '../source.js';
import { median } from '../stats.js';

/**
 * One series held compactly: its times (epoch ms, sorted, distinct) and values in two typed arrays, 16 bytes a point
 * instead of an object each. `points` materialises MetricPoint objects, for callers that want them all
 * (tests, the standard formats' intermediate steps); the file source reads ranges with `bucketing.ts` instead.
 */
export class StoredSeries {
  constructor(
    readonly metric: string,
    readonly service: string | undefined,
    readonly times: Float64Array,
    readonly values: Float64Array,
    /** Typical spacing (median gap), when there are at least two points. */
    readonly intervalMs: number | undefined,
  ) {}

  get length(): number {
    return this.times.length;
  }

  get points(): MetricPoint[] {
    const out: MetricPoint[] = new Array(this.times.length);
    for (let i = 0; i < this.times.length; i++) out[i] = { time: this.times[i]!, value: this.values[i]! };
    return out;
  }
}

export interface ParsedMetrics {
  series: StoredSeries[];
  catalog: MetricCatalog;
}

/** Series keys join metric and service with a NUL, which neither can contain in practice. */
export function seriesKey(metric: string, service: string | undefined): string {
  return service === undefined ? metric : `${metric}\0${service}`;
}

const INITIAL_CAPACITY = 64;

/**
 * One series' samples in file order, in typed arrays grown by doubling. Files are usually in time order, so points
 * come out as they went in; otherwise they are sorted, and of samples at the same time the later entry wins.
 */
export class SeriesBuilder {
  private times = new Float64Array(INITIAL_CAPACITY);
  private values = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  private inOrder = true;

  add(time: number, value: number): void {
    if (this.count > 0 && time <= this.times[this.count - 1]!) this.inOrder = false;
    if (this.count === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
      const values = new Float64Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
    }
    this.times[this.count] = time;
    this.values[this.count] = value;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Sorted, distinct times and their values, trimmed to size; `dropped` duplicates (the earlier of equal times). */
  columns(): { times: Float64Array; values: Float64Array; dropped: number } {
    const n = this.count;
    if (this.inOrder) return { times: this.times.slice(0, n), values: this.values.slice(0, n), dropped: 0 };
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const t = this.times;
    order.sort((a, b) => t[a]! - t[b]! || a - b);
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    let size = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (size > 0 && times[size - 1] === t[i]) values[size - 1] = this.values[i]!;
      else {
        times[size] = t[i]!;
        values[size] = this.values[i]!;
        size++;
      }
    }
    return { times: times.slice(0, size), values: values.slice(0, size), dropped: n - size };
  }

  points(): { points: MetricPoint[]; dropped: number } {
    const { times, values, dropped } = this.columns();
    const points: MetricPoint[] = new Array(times.length);
    for (let i = 0; i < times.length; i++) points[i] = { time: times[i]!, value: values[i]! };
    return { points, dropped };
  }
}

/** Samples of many series, keyed by metric and service; `finish` gives the sorted series and their catalog. */
export class SeriesSet {
  private readonly builders = new Map<string, SeriesBuilder>();

  add(metric: string, service: string | undefined, time: number, value: number): void {
    const key = seriesKey(metric, service);
    let builder = this.builders.get(key);
    if (!builder) this.builders.set(key, (builder = new SeriesBuilder()));
    builder.add(time, value);
  }

  get size(): number {
    return this.builders.size;
  }

  /**
   * The series sorted by metric then service, and their catalog. `sampleCount` is how many rows the source held;
   * by default the number of distinct sample times. A note on duplicates is appended to `notes` when there were any.
   */
  finish(notes: string[], sampleCount?: number): ParsedMetrics {
    let duplicates = 0;
    const series = [...this.builders].map(([key, builder]) => {
      const { times, values, dropped } = builder.columns();
      duplicates += dropped;
      const [metric, service] = key.split('\0') as [string, string | undefined];
      return new StoredSeries(metric, service, times, values, medianGapOf(times));
    });
    this.builders.clear();
    if (duplicates > 0) notes.push(`${duplicates} duplicate sample(s) (same time, metric and service); the later entry was kept.`);
    series.sort((a, b) => a.metric.localeCompare(b.metric) || (a.service ?? '').localeCompare(b.service ?? ''));
    let rows = sampleCount;
    if (rows === undefined) {
      const times = new Set<number>();
      for (const s of series) for (const t of s.times) times.add(t);
      rows = times.size;
    }
    return { series, catalog: catalogOf(series, rows, notes) };
  }
}

function catalogOf(series: StoredSeries[], sampleCount: number, notes: string[]): MetricCatalog {
  const infos: SeriesInfo[] = series.map((s) => {
    const first = s.times[0] ?? 0;
    const last = s.times[s.times.length - 1] ?? 0;
    const intervalMs = s.intervalMs;
    return { metric: s.metric, ...(s.service !== undefined && { service: s.service }), count: s.length, first, last, ...(intervalMs !== undefined && { intervalMs }) };
  });
  const gaps = infos.flatMap((i) => (i.intervalMs === undefined ? [] : [i.intervalMs]));
  const catalog: MetricCatalog = {
    metrics: [...new Set(series.map((s) => s.metric))].sort(),
    services: [...new Set(series.flatMap((s) => (s.service === undefined ? [] : [s.service])))].sort(),
    series: infos,
    // Loops rather than Math.min(...): spreading 200,000 series overflows the call stack.
    start: infos.reduce((min, i) => Math.min(min, i.first), Infinity),
    end: infos.reduce((max, i) => Math.max(max, i.last), -Infinity),
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

/** The median gap of sorted times, without an object per gap. */
export function medianGapOf(times: Float64Array): number | undefined {
  if (times.length < 2) return undefined;
  const gaps = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
  gaps.sort();
  const position = (gaps.length - 1) * 0.5;
  const lower = Math.floor(position);
  return gaps[lower]! + (gaps[Math.ceil(position)]! - gaps[lower]!) * (position - lower);
}

// ---- helpers shared by the file formats -------------------------------------------------------------------------

/** Sample times outside these years are taken for a unit mistake or garbage, and skipped with a note. */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
export const LATEST_TIME = Date.UTC(2100, 0, 1);

export function plausibleTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_TIME && ms < LATEST_TIME;
}

/** A sample value as exporters write it: a decimal or one of Prometheus' NaN, +Inf, -Inf (also Inf, Infinity). */
export function parseSampleValue(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return undefined;
  return Number(t);
}

/**
 * Counts problems of one kind and keeps where the first few happened, so a note says
 * "3 values were NaN or ±Inf and skipped (line 12, line 40, line 41)" instead of one note per line.
 */
export class ProblemTally {
  private readonly kinds = new Map<string, { count: number; where: string[] }>();

  add(kind: string, where: string): void {
    const entry = this.kinds.get(kind);
    if (!entry) this.kinds.set(kind, { count: 1, where: [where] });
    else {
      entry.count++;
      if (entry.where.length < 3) entry.where.push(where);
    }
  }

  count(kind?: string): number {
    if (kind !== undefined) return this.kinds.get(kind)?.count ?? 0;
    let total = 0;
    for (const { count } of this.kinds.values()) total += count;
    return total;
  }

  /** One sentence per kind: `${count} ${kind} (first: a; b; c; ...)`. */
  notes(): string[] {
    return [...this.kinds].map(
      ([kind, { count, where }]) => `${count} ${kind} (${count > where.length ? 'first: ' : ''}${where.join('; ')}${count > where.length ? '; ...' : ''}).`,
    );
  }
}

export function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** The text of a line for a message, cut to a readable length. */
export function quoteLine(line: string): string {
  const t = line.trim();
  return JSON.stringify(t.length > 80 ? `${t.slice(0, 77)}...` : t);
}
