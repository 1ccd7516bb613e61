// Where metric points come from. Tools talk only to this interface, so a Prometheus source can replace the JSON file.

/** One sample: epoch milliseconds and a finite number. */
export interface MetricPoint {
  time: number;
  value: number;
}

/** A series is one metric for one service; `service` is absent when the data carries no service label. */
export interface SeriesId {
  metric: string;
  service?: string;
}

export interface MetricSeries extends SeriesId {
  /** Sorted by time, oldest first. */
  points: MetricPoint[];
  /** The query that produced the points (PromQL), when the source is queried: the evidence behind them. */
  query?: string;
  /** What the source had to adjust for this series (a step widened for a point limit), for the answer's notes. */
  notes?: string[];
  /**
   * The spacing the points were read at when the source chose it: a file source's bucket step (each point the mean
   * of [time, time + step)), a Prometheus query's step. Absent when the points are the stored samples themselves.
   */
  stepMs?: number;
  /** How many stored samples the points stand for, when they were averaged into steps. */
  rawCount?: number;
}

export interface SeriesInfo extends SeriesId {
  count: number;
  first: number;
  last: number;
  /** Typical spacing between points (median gap), when there are at least two. */
  intervalMs?: number;
}

export interface MetricCatalog {
  /** Metric names, sorted. */
  metrics: string[];
  /** Service labels, sorted; empty when the points carry none. */
  services: string[];
  series: SeriesInfo[];
  /** Earliest and latest point time over all series. */
  start: number;
  end: number;
  /** How many time-stamped samples (rows) the source holds. */
  sampleCount: number;
  /** Typical spacing between samples over all series. */
  intervalMs?: number;
  /** Problems that were skipped while reading (bad values, entries without a time); empty when clean. */
  notes: string[];
  /** How each metric is computed, when the source computes them (Prometheus: PromQL per signal). */
  definitions?: Record<string, { query: string; origin: string }>;
}

export interface SeriesQuery {
  metrics: readonly string[];
  /** Only this service; all services when absent. */
  service?: string;
  /** Inclusive bounds in epoch milliseconds. */
  since?: number;
  until?: number;
  /**
   * At most about this many points per series: a longer range is read at a coarser round step (a file source
   * averages its points into buckets; Prometheus widens the query step), and the series says the step (`stepMs`).
   */
  maxPoints?: number;
  /** No finer than this step: finer points are averaged into steps of at least this size. */
  minStepMs?: number;
}

/** A metric's value evaluated at one instant, with the query that gave it: the evidence a citation is checked against. */
export interface InstantValue extends SeriesId {
  time: number;
  value: number;
  query: string;
}

/** A query in the source's own language, or a raw metric with label matchers (get_metrics). */
export interface RawQuery {
  /** A full expression (PromQL). */
  query?: string;
  /** A raw metric name (or a signal), narrowed by label matchers. */
  metric?: string;
  matchers?: Record<string, string>;
  service?: string;
  since?: number;
  until?: number;
}

export interface RawQueryResult {
  series: MetricSeries[];
  /** The expression that was run. */
  query: string;
  notes: string[];
}

/** Raw metric names and their label sets (list_metrics), one page at a time. */
export interface RawMetricsQuery {
  match?: string;
  since?: number;
  until?: number;
  offset: number;
  limit: number;
}

export interface RawMetricsPage {
  total: number;
  offset: number;
  nextOffset: number | null;
  since: number;
  until: number;
  metrics: Array<{ name: string; series: number; labels: Record<string, string[]>; labelsCut: string[] }>;
}

export interface MetricSource {
  /** Where the data comes from, for messages ("metrics file /x/metrics.json"). */
  readonly label: string;
  /** What the source holds. Throws a UserError that says what to fix when the source is unusable. */
  catalog(): Promise<MetricCatalog>;
  /** The points of each matching series inside the bounds; series with no points there are left out. */
  read(query: SeriesQuery): Promise<MetricSeries[]>;
  /** Queried sources only: each selected series evaluated at exactly `at` (get_metric_at's evidence). */
  valueAt?(query: { metrics: readonly string[]; service?: string }, at: number): Promise<InstantValue[]>;
  /** Queried sources only: the points of a query or of a raw metric with label matchers (get_metrics). */
  readQuery?(query: RawQuery): Promise<RawQueryResult>;
  /** Queried sources only: raw metric names and label sets in a window (list_metrics). */
  rawMetrics?(query: RawMetricsQuery): Promise<RawMetricsPage>;
}
