import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { formatDuration } from '../format.js';
import { METRIC_TYPE_HELP } from '../metricAliases.js';
import { describeScope, readScope, resolveScope, sourceNotesLine } from '../scope.js';
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
        'series) with overall statistics. To see single points, narrow since/until, or set window_minutes.',
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
      },
      outputSchema: {
        metrics: z.array(z.string()).describe('The metrics selected by metric_type.'),
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
    guarded('get_metrics', async ({ metric_type, since, until, service, window_minutes }) => {
      const scope = await resolveScope(deps.source, { metricType: metric_type, service, since, until });
      const all = await readScope(deps.source, scope);
      const shown = all.slice(0, MAX_SERIES_PER_ANSWER);
      const maxRows = rowsPerSeries(shown.length);
      const reports = shown.map((s) => reportSeries(s, maxRows, window_minutes));
      const summarised = reports.some((r) => r.summarised);
      const notes: string[] = [];
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

/** Says how to see points instead of windows: a since/until span that holds about maxRows points, around a peak. */
function zoomHint(series: readonly MetricSeries[], maxRows: number): string {
  const longest = series.reduce((a, b) => (b.points.length > a.points.length ? b : a));
  const points = longest.points;
  const spanMs = roundToMinute(((points[points.length - 1]!.time - points[0]!.time) / points.length) * maxRows);
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
