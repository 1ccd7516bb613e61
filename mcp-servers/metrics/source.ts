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
}

export interface SeriesQuery {
  metrics: readonly string[];
  /** Only this service; all services when absent. */
  service?: string;
  /** Inclusive bounds in epoch milliseconds. */
  since?: number;
  until?: number;
}

export interface MetricSource {
  /** Where the data comes from, for messages ("metrics file /x/metrics.json"). */
  readonly label: string;
  /** What the source holds. Throws a UserError that says what to fix when the source is unusable. */
  catalog(): Promise<MetricCatalog>;
  /** The points of each matching series inside the bounds; series with no points there are left out. */
  read(query: SeriesQuery): Promise<MetricSeries[]>;
}
