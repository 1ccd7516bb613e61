// Turns a tool's metric/service/since/until arguments into a checked selection, with errors that list the choices.
import { UserError } from '../common/result.js';
import { isoTime, timeWindow } from '../common/time.js';
import { seriesLabel } from './format.js';
import { resolveMetricType } from './metricAliases.js';
import type { MetricCatalog, MetricSeries, MetricSource } from './source.js';

export interface Scope {
  catalog: MetricCatalog;
  metrics: string[];
  service?: string;
  since?: number;
  until?: number;
}

export interface ScopeArgs {
  metricType?: string;
  service?: string;
  since?: string;
  until?: string;
}

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
  return { catalog, metrics, service, since, until };
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

/** What the source adjusted while reading (a step widened for a point limit), once each. */
export function readNotes(series: readonly MetricSeries[]): string[] {
  return [...new Set(series.flatMap((s) => s.notes ?? []))];
}

export function sourceNotesLine(catalog: MetricCatalog): string {
  if (catalog.notes.length === 0) return '';
  return `\nNote: the data had problems that were skipped (${catalog.notes.length}); list_metrics shows them.`;
}
