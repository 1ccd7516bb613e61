// Turns a tool's metric/service/since/until arguments into a checked selection, with errors that list the choices.
import { UserError } from '../common/result.js';
import { isoTime, timeWindow } from '../common/time.js';
import { formatDuration, seriesLabel } from './format.js';
import { medianGap } from './files/seriesSet.js';
import { resolveMetricType } from './metricAliases.js';
import type { MetricCatalog, MetricSeries, MetricSource } from './source.js';

export interface Scope {
  catalog: MetricCatalog;
  metrics: string[];
  service?: string;
  since?: number;
  until?: number;
  /** Read at most about this many points per series (a coarser step for long ranges): the tools that analyse shape. */
  maxPoints?: number;
  /** Read no finer than this step (a tool's step_seconds). */
  minStepMs?: number;
}

export interface ScopeArgs {
  metricType?: string;
  service?: string;
  since?: string;
  until?: string;
  maxPoints?: number;
  stepSeconds?: number;
}

/**
 * Points per series that the shape tools (get_anomalies, get_error_rates, get_metrics' summaries) analyse: change
 * detection and window summaries need a few hundred to a thousand; beyond this a range is read at a coarser step.
 * The same budget the Prometheus source keeps to (prometheus/step.ts TARGET_POINTS).
 */
export const MAX_ANALYSED_POINTS = 1_500;

export async function resolveScope(source: MetricSource, args: ScopeArgs): Promise<Scope> {
  const { since, until } = timeWindow(args.since, args.until);
  const catalog = await source.catalog();
  const metrics = resolveMetricType(args.metricType ?? 'all', catalog.metrics);
  const service = resolveService(args.service, catalog.services);
  const span = `the data covers ${isoTime(catalog.start)} .. ${isoTime(catalog.end)}`;
  if (since !== undefined && since > catalog.end) {
    throw new UserError(`since ${isoTime(since)} is after the last point: ${span}. Move since earlier.`);
  }
  if (until !== undefined && until < catalog.start) {
    throw new UserError(`until ${isoTime(until)} is before the first point: ${span}. Move until later.`);
  }
  return {
    catalog,
    metrics,
    service,
    since,
    until,
    ...(args.maxPoints !== undefined && { maxPoints: args.maxPoints }),
    ...(args.stepSeconds !== undefined && { minStepMs: args.stepSeconds * 1000 }),
  };
}

export function resolveService(wanted: string | undefined, services: readonly string[]): string | undefined {
  if (wanted === undefined || wanted.trim() === '') return undefined;
  if (services.length === 0) {
    throw new UserError(`This data has no service labels, so there is no service "${wanted}"; leave service out.`);
  }
  const match = services.find((s) => s === wanted) ?? services.find((s) => s.toLowerCase() === wanted.trim().toLowerCase());
  if (match === undefined) throw new UserError(`Unknown service "${wanted}". Services in this data: ${services.join(', ')}.`);
  return match;
}

/** The selected series inside the window; an error that says what the data covers when there are none. */
export async function readScope(source: MetricSource, scope: Scope): Promise<MetricSeries[]> {
  const series = await source.read(scope);
  if (series.length === 0) {
    const what = scope.metrics.map((m) => seriesLabel(m, scope.service)).join(', ');
    const from = scope.since !== undefined ? isoTime(scope.since) : 'the start';
    const to = scope.until !== undefined ? isoTime(scope.until) : 'the end';
    throw new UserError(
      `No points for ${what} between ${from} and ${to}; the data covers ${isoTime(scope.catalog.start)} .. ` +
        `${isoTime(scope.catalog.end)}. Widen since/until or pick another metric or service.`,
    );
  }
  return series;
}

/** Describes the selection for the first line of a tool's text. */
export function describeScope(source: MetricSource, scope: Scope): string {
  const parts = [`From the ${source.label}`];
  if (scope.service !== undefined) parts.push(`service ${scope.service}`);
  if (scope.since !== undefined || scope.until !== undefined) {
    parts.push(`${scope.since !== undefined ? isoTime(scope.since) : 'start'} .. ${scope.until !== undefined ? isoTime(scope.until) : 'end'}`);
  }
  return parts.join(', ');
}

/**
 * The spacing of the points analysed, in seconds: a series' read step when the source chose one, else the typical
 * gap of its points; the coarsest over the series. Undefined when no series has two points.
 */
export function resolutionSeconds(series: readonly MetricSeries[]): number | undefined {
  let coarsest: number | undefined;
  for (const s of series) {
    const spacing = s.stepMs ?? medianGap(s.points);
    if (spacing !== undefined && (coarsest === undefined || spacing > coarsest)) coarsest = spacing;
  }
  return coarsest === undefined ? undefined : coarsest / 1000;
}

/** A sentence for a tool's text when some series were averaged into steps to stay within the point budget. */
export function resolutionLine(series: readonly MetricSeries[]): string {
  const resolution = resolutionSeconds(series);
  if (resolution === undefined) return '';
  const averaged = series.filter((s) => s.stepMs !== undefined && s.rawCount !== undefined);
  if (averaged.length === 0) {
    const queried = series.some((s) => s.stepMs !== undefined);
    return `Resolution: ${formatDuration(resolution * 1000)} (${queried ? 'the query step' : 'the points as stored'}).`;
  }
  const held = averaged.reduce((max, s) => Math.max(max, s.rawCount ?? s.points.length), 0);
  return (
    `Resolution: ${formatDuration(resolution * 1000)}: ${averaged.length === series.length ? 'the' : `${averaged.length} of the`} series ` +
    `were analysed as the means of ${formatDuration(resolution * 1000)} steps (up to ${held} points each in range); ` +
    'pass a narrower since/until for finer points.'
  );
}

/** What the source adjusted while reading (a step widened for a point limit), once each. */
export function readNotes(series: readonly MetricSeries[]): string[] {
  return [...new Set(series.flatMap((s) => s.notes ?? []))];
}

export function sourceNotesLine(catalog: MetricCatalog): string {
  if (catalog.notes.length === 0) return '';
  return `\nNote: the data had problems that were skipped (${catalog.notes.length}); list_metrics shows them.`;
}
