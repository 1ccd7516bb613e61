// What every metrics file format ends in: samples gathered per (metric, service), then sorted series and a catalog.
// The JSON document parser (../parseMetricsDocument.ts) and the standard formats in this folder all build through it,
// so sorting, duplicate handling, the median interval and the notes read the same whatever the file was.
import type { MetricCatalog, MetricPoint, MetricSeries, SeriesInfo } from '../source.js';
import { median } from '../stats.js';

export interface ParsedMetrics {
  series: MetricSeries[];
  catalog: MetricCatalog;
}

/** Series keys join metric and service with a NUL, which neither can contain in practice. */
export function seriesKey(metric: string, service: string | undefined): string {
  return service === undefined ? metric : `${metric}\0${service}`;
}

/**
 * One series' samples in file order. Files are usually in time order, so points come out as they went in;
 * otherwise they are sorted, and of samples at the same time the later entry wins.
 */
export class SeriesBuilder {
  private readonly samples: MetricPoint[] = [];
  private inOrder = true;

  add(time: number, value: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && time <= last.time) this.inOrder = false;
    this.samples.push({ time, value });
  }

  get size(): number {
    return this.samples.length;
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
      const { points, dropped } = builder.points();
      duplicates += dropped;
      return toSeries(key, points);
    });
    if (duplicates > 0) notes.push(`${duplicates} duplicate sample(s) (same time, metric and service); the later entry was kept.`);
    series.sort((a, b) => a.metric.localeCompare(b.metric) || (a.service ?? '').localeCompare(b.service ?? ''));
    let rows = sampleCount;
    if (rows === undefined) {
      const times = new Set<number>();
      for (const s of series) for (const p of s.points) times.add(p.time);
      rows = times.size;
    }
    return { series, catalog: catalogOf(series, rows, notes) };
  }
}

function toSeries(key: string, points: MetricPoint[]): MetricSeries {
  const [metric, service] = key.split('\0') as [string, string | undefined];
  return service === undefined ? { metric, points } : { metric, service, points };
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
