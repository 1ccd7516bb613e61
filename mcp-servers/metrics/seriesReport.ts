// One series as a bounded block: overall statistics, then either its points or its window summaries.
import { isoTime } from '../common/time.js';
import { formatDuration, formatNumber, formatRange, roundForOutput, seriesLabel, table } from './format.js';
import { medianGap } from './parseMetricsDocument.js';
import type { MetricSeries } from './source.js';
import { planSeriesView, statsOf, windowsOf, type PointStats } from './summarize.js';
import { evidence } from './tools/shared.js';

/** Rows across all series of one answer, and the bounds per series. */
const ROW_BUDGET = 240;
const MAX_ROWS_PER_SERIES = 60;
const MIN_ROWS_PER_SERIES = 12;
/** More series than this in one answer are left out with a note. */
export const MAX_SERIES_PER_ANSWER = 20;

export function rowsPerSeries(seriesCount: number): number {
  return Math.max(MIN_ROWS_PER_SERIES, Math.min(MAX_ROWS_PER_SERIES, Math.floor(ROW_BUDGET / Math.max(1, seriesCount))));
}

export function statsOutput(stats: PointStats) {
  return {
    count: stats.count,
    min: stats.min,
    max: stats.max,
    mean: roundForOutput(stats.mean),
    p95: stats.p95,
    min_timestamp: isoTime(stats.minTime),
    max_timestamp: isoTime(stats.maxTime),
  };
}

export function describeStats(stats: PointStats): string {
  return (
    `min ${formatNumber(stats.min)} at ${isoTime(stats.minTime)}, max ${formatNumber(stats.max)} at ${isoTime(stats.maxTime)}, ` +
    `mean ${formatNumber(stats.mean)}, p95 ${formatNumber(stats.p95)}`
  );
}

export function reportSeries(series: MetricSeries, maxRows: number, windowMinutes?: number) {
  const { metric: name, service, points } = series;
  const first = points[0]!.time;
  const last = points[points.length - 1]!.time;
  const intervalMs = medianGap(points);
  const overall = statsOf(points);
  const view = planSeriesView(points, maxRows, windowMinutes);
  const held = series.rawCount ?? points.length;
  const spacing =
    series.stepMs !== undefined && series.rawCount !== undefined
      ? `, read as ${points.length} means of ${formatDuration(series.stepMs)} steps`
      : intervalMs !== undefined
        ? `, every ${formatDuration(intervalMs)}`
        : '';
  const header =
    `${seriesLabel(name, service)}: ${held} point${held === 1 ? '' : 's'} ${formatRange(first, last)}` +
    `${spacing}.\n  Overall ${describeStats(overall)}.` +
    (series.query !== undefined ? `\n  PromQL: ${series.query}` : '');
  const base = {
    name,
    ...(service !== undefined && { service }),
    points_in_range: held,
    first: isoTime(first),
    last: isoTime(last),
    ...(intervalMs !== undefined && { interval_seconds: intervalMs / 1000 }),
    ...(series.stepMs !== undefined && series.rawCount !== undefined && { step_seconds: series.stepMs / 1000 }),
    overall: statsOutput(overall),
    ...(series.query !== undefined && { query: series.query }),
  };

  if (view.kind === 'points') {
    const rows = points.map((p) => [isoTime(p.time), formatNumber(p.value)]);
    return {
      summarised: false,
      text: `${header}\n${table(['time (UTC)', 'value'], rows)}`,
      structured: {
        ...base,
        view: 'points' as const,
        points: points.map((p) => ({ ...evidence(name, service, isoTime(p.time)), value: p.value })),
      },
    };
  }

  const windows = windowsOf(points, view.windowMs);
  const windowText = formatDuration(view.windowMs);
  const widened =
    view.widenedFrom !== undefined
      ? ` (window_minutes ${formatNumber(view.widenedFrom / 60_000)} would give more than ${maxRows} rows, so widened)`
      : '';
  const rows = windows.map((w) => [
    isoTime(w.start),
    String(w.count),
    formatNumber(w.min),
    formatNumber(w.max),
    formatNumber(w.mean),
    formatNumber(w.p95),
    isoTime(w.maxTime),
  ]);
  return {
    summarised: true,
    text:
      `${header}\n  Summarised ${points.length} ${series.rawCount !== undefined ? 'means' : 'points'} into ${windows.length} windows of ${windowText}${widened}:\n` +
      table(['window start (UTC)', 'n', 'min', 'max', 'mean', 'p95', 'max at'], rows),
    structured: {
      ...base,
      view: 'windows' as const,
      window_minutes: view.windowMs / 60_000,
      windows: windows.map((w) => ({
        ...evidence(name, service, isoTime(w.start)),
        end: isoTime(w.end),
        ...statsOutput(w),
      })),
    },
  };
}
