import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok, omittedNote } from '../../common/result.js';
import { isoTime, timeWindow } from '../../common/time.js';
import { formatDuration } from '../format.js';
import { METRIC_TYPE_HELP } from '../metricAliases.js';
import { MAX_ANALYSED_POINTS, describeScope, readNotes, readScope, resolveScope, sourceNotesLine } from '../scope.js';
import { MAX_SERIES_PER_ANSWER, reportSeries, rowsPerSeries } from '../seriesReport.js';
import type { MetricSeries, MetricSource } from '../source.js';
import { READ_ONLY, seriesReportShape, serviceArg, sinceArg, untilArg } from './shared.js';

export function registerGetMetricsTool(server: McpServer, deps: { source: MetricSource }): void {
  server.registerTool(
    'get_metrics',
    {
      title: 'Get metrics',
      description:
        'Values of one or more metrics over a time range. Short series come back point by point; long ones are ' +
        'summarised into time windows (min/max/mean/p95 and the time of the max per window, at most ~60 rows per ' +
        'series) with overall statistics. A range of more than ~1,500 points per series is first averaged into round steps ' +
        '(step_seconds; then min/max are of those means). To see single points, narrow since/until, or set window_minutes. From a ' +
        'Prometheus source, `query` runs a PromQL expression, and `matchers` narrows one raw metric (or signal) by its labels.',
      inputSchema: {
        metric_type: z.string().default('all').describe(`Which metrics: ${METRIC_TYPE_HELP}`),
        since: sinceArg,
        until: untilArg,
        service: serviceArg,
        window_minutes: z
          .number()
          .positive()
          .max(43200)
          .optional()
          .describe('Summarise into windows of this many minutes (widened if that would give more than ~60 rows). Omit to choose automatically.'),
        query: z
          .string()
          .optional()
          .describe(
            'Prometheus sources only: a PromQL expression to chart instead of metric_type, e.g. ' +
              'sum by (status) (rate(http_requests_total[$__rate_interval])); $__rate_interval becomes a window that fits the step.',
          ),
        matchers: z
          .record(z.string())
          .optional()
          .describe(
            'Prometheus sources only: label matchers for the metric named in metric_type (a raw metric from list_metrics, or a ' +
              'signal such as request_rate), e.g. {"status": "500"}; "~5.." matches a regex, "!200" excludes. Counters come back as per-second rates.',
          ),
      },
      outputSchema: {
        metrics: z.array(z.string()).describe('The metrics selected by metric_type (or the series a query gave).'),
        query: z.string().optional().describe('The PromQL that was run, for query and matchers.'),
        service: z.string().optional(),
        since: z.string().optional(),
        until: z.string().optional(),
        series: z.array(z.object(seriesReportShape)),
        summarised: z.boolean().describe('True when any series was summarised into windows.'),
        series_total: z.number().int(),
        series_omitted: z.number().int(),
        notes: z.array(z.string()),
      },
      annotations: READ_ONLY,
    },
    guarded('get_metrics', async ({ metric_type, since, until, service, window_minutes, query, matchers }) => {
      if (query !== undefined || matchers !== undefined) {
        return queried(deps.source, { metric: metric_type, query, matchers, service, since, until }, window_minutes);
      }
      const scope = await resolveScope(deps.source, { metricType: metric_type, service, since, until, maxPoints: MAX_ANALYSED_POINTS });
      const all = await readScope(deps.source, scope);
      const shown = all.slice(0, MAX_SERIES_PER_ANSWER);
      const maxRows = rowsPerSeries(shown.length);
      const reports = shown.map((s) => reportSeries(s, maxRows, window_minutes));
      const summarised = reports.some((r) => r.summarised);
      const notes: string[] = readNotes(all);
      if (summarised) notes.push(zoomHint(shown, maxRows));
      const text =
        `${describeScope(deps.source, scope)}: ${all.length} series.\n\n` +
        reports.map((r) => r.text).join('\n\n') +
        (notes.length ? `\n\n${notes.join('\n')}` : '') +
        omittedNote(shown.length, all.length, 'narrow metric_type or pass service to see the other series') +
        sourceNotesLine(scope.catalog);
      return ok(text, {
        metrics: scope.metrics,
        ...(scope.service !== undefined && { service: scope.service }),
        ...(scope.since !== undefined && { since: isoTime(scope.since) }),
        ...(scope.until !== undefined && { until: isoTime(scope.until) }),
        series: reports.map((r) => r.structured),
        summarised,
        series_total: all.length,
        series_omitted: all.length - shown.length,
        notes,
      });
    }),
  );
}

/** get_metrics with a PromQL query or label matchers: the same bounded report over what the query gave. */
async function queried(
  source: MetricSource,
  args: { metric: string; query?: string; matchers?: Record<string, string>; service?: string; since?: string; until?: string },
  windowMinutes?: number,
) {
  if (!source.readQuery) {
    throw new UserError(`query and matchers need a Prometheus source (--prometheus URL); this server reads the ${source.label}. Use metric_type.`);
  }
  const { since, until } = timeWindow(args.since, args.until);
  const service = args.service?.trim() ? args.service.trim() : undefined;
  const result = await source.readQuery({
    ...(args.query !== undefined ? { query: args.query } : { metric: args.metric, matchers: args.matchers ?? {} }),
    ...(service !== undefined && { service }),
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
  });
  const all = result.series;
  const shown = all.slice(0, MAX_SERIES_PER_ANSWER);
  const maxRows = rowsPerSeries(shown.length);
  const reports = shown.map((s) => reportSeries(s, maxRows, windowMinutes));
  const summarised = reports.some((r) => r.summarised);
  const notes = [...result.notes];
  if (summarised) notes.push(zoomHint(shown, maxRows));
  const text =
    `From the ${source.label}: ${all.length} series of ${result.query}\n\n` +
    reports.map((r) => r.text.replace(/\n  PromQL: .*/, '')).join('\n\n') +
    (notes.length ? `\n\n${notes.join('\n')}` : '') +
    omittedNote(shown.length, all.length, 'aggregate the query (sum by ...) or add matchers to see fewer series');
  return ok(text, {
    metrics: shown.map((s) => s.metric),
    query: result.query,
    ...(service !== undefined && { service }),
    ...(since !== undefined && { since: isoTime(since) }),
    ...(until !== undefined && { until: isoTime(until) }),
    series: reports.map((r) => r.structured),
    summarised,
    series_total: all.length,
    series_omitted: all.length - shown.length,
    notes,
  });
}

/** Says how to see points instead of windows: a since/until span that holds about maxRows points, around a peak. */
function zoomHint(series: readonly MetricSeries[], maxRows: number): string {
  const held = (s: MetricSeries) => s.rawCount ?? s.points.length;
  const longest = series.reduce((a, b) => (held(b) > held(a) ? b : a));
  const points = longest.points;
  const spanMs = roundToMinute(((points[points.length - 1]!.time - points[0]!.time) / held(longest)) * maxRows);
  const peak = points.reduce((a, b) => (b.value > a.value ? b : a));
  const from = isoTime(roundToMinute(peak.time - spanMs / 2));
  const to = isoTime(roundToMinute(peak.time + spanMs / 2));
  return (
    `Long series were summarised into windows. To see individual points, narrow since/until to about ` +
    `${formatDuration(spanMs)} (e.g. since=${from} until=${to}, around the highest value of ` +
    `${longest.metric}), or set window_minutes for other windows.`
  );
}

function roundToMinute(ms: number): number {
  return Math.max(60_000, Math.round(ms / 60_000) * 60_000);
}
