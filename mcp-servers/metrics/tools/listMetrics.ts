import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok } from '../../common/result.js';
import { isoTime, timeWindow } from '../../common/time.js';
import { formatDuration, formatRange } from '../format.js';
import { aliasesFor } from '../metricAliases.js';
import type { MetricSource, RawMetricsPage } from '../source.js';
import { READ_ONLY, sinceArg, untilArg } from './shared.js';

/** Long name lists are cut here; the counts stay exact. */
const MAX_NAMES = 200;
/** Raw metric names per page (Prometheus sources). */
const DEFAULT_RAW_LIMIT = 25;
const MAX_RAW_LIMIT = 200;

export function registerListMetricsTool(server: McpServer, deps: { source: MetricSource }): void {
  server.registerTool(
    'list_metrics',
    {
      title: 'List metrics',
      description:
        'What metric data there is: metric names, services, the time span, number of points and the sampling ' +
        'interval, which metric groups ("cpu", "memory", "errors", "latency", "traffic") resolve to which metrics, ' +
        'and any problems found in the data. Call it first to learn the names and times the other tools accept. ' +
        'From a Prometheus source it also says how each metric is computed (PromQL) and lists the raw metric names ' +
        'with their labels (filter with match, page with offset/limit), for get_metrics with query or matchers.',
      inputSchema: {
        match: z.string().optional().describe('Prometheus sources only: list raw metric names containing this text (any case).'),
        offset: z.number().int().min(0).default(0).describe('Prometheus sources only: skip this many raw metric names (paging).'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_RAW_LIMIT)
          .default(DEFAULT_RAW_LIMIT)
          .describe(`Prometheus sources only: raw metric names per page (default ${DEFAULT_RAW_LIMIT}).`),
        since: sinceArg.describe('Prometheus sources only: raw metric names with samples from this time (default: the start of the data).'),
        until: untilArg.describe('Prometheus sources only: raw metric names with samples until this time (default: the end of the data).'),
      },
      outputSchema: {
        source: z.string().describe('Where the data comes from.'),
        metrics: z.array(z.object({ name: z.string(), points: z.number().int(), services: z.array(z.string()) })),
        services: z.array(z.string()).describe('Service labels; empty when the points carry none.'),
        start: z.string().describe('Time of the earliest point (ISO-8601 UTC).'),
        end: z.string().describe('Time of the latest point.'),
        samples: z.number().int().describe('Number of time-stamped samples (entries) read.'),
        interval_seconds: z.number().optional().describe('Typical spacing between points of a series.'),
        aliases: z.record(z.array(z.string())).describe('metric_type groups and the metrics they select here.'),
        notes: z.array(z.string()).describe('Problems skipped while reading the data.'),
        definitions: z
          .record(z.object({ query: z.string(), origin: z.string() }))
          .optional()
          .describe('Prometheus sources: how each metric is computed (PromQL; $__rate_interval is filled in per query) and from what.'),
        raw_metrics: z
          .object({
            total: z.number().int(),
            offset: z.number().int(),
            next_offset: z.number().int().nullable().describe('Pass as offset for the next page; null on the last page.'),
            since: z.string(),
            until: z.string(),
            metrics: z.array(
              z.object({
                name: z.string(),
                series: z.number().int(),
                labels: z.record(z.array(z.string())).describe('Label names and their values (up to 10 each).'),
                labels_cut: z.array(z.string()).describe('Labels with more values than shown.'),
              }),
            ),
          })
          .optional()
          .describe('Prometheus sources: raw metric names and label sets in the window, one page.'),
      },
      annotations: READ_ONLY,
    },
    guarded('list_metrics', async ({ match, offset, limit, since, until }) => {
      const catalog = await deps.source.catalog();
      const metrics = catalog.metrics.map((name) => {
        const series = catalog.series.filter((s) => s.metric === name);
        return {
          name,
          points: series.reduce((sum, s) => sum + s.count, 0),
          services: series.flatMap((s) => (s.service === undefined ? [] : [s.service])),
        };
      });
      const aliases = aliasesFor(catalog.metrics);
      const shownMetrics = metrics.slice(0, MAX_NAMES);
      const shownServices = catalog.services.slice(0, MAX_NAMES);
      const lines = [
        `From the ${deps.source.label}:`,
        `Time span ${formatRange(catalog.start, catalog.end)} (${formatDuration(catalog.end - catalog.start)}), ` +
          `${catalog.sampleCount} samples` +
          (catalog.intervalMs !== undefined ? `, one every ${formatDuration(catalog.intervalMs)}.` : '.'),
        `Metrics (${metrics.length}): ` + shownMetrics.map((m) => `${m.name} (${m.points} points)`).join(', ') + cut(metrics.length),
        catalog.services.length
          ? `Services (${catalog.services.length}): ${shownServices.join(', ')}${cut(catalog.services.length)}`
          : 'No service labels: every metric is one series.',
        `metric_type groups: ${Object.entries(aliases).map(([a, ms]) => `${a} -> ${ms.join(', ')}`).join('; ') || 'none match'}.`,
        ...(catalog.definitions
          ? ['How each metric is computed:', ...Object.entries(catalog.definitions).map(([name, d]) => `- ${name} = ${d.query}  (${d.origin})`)]
          : []),
        ...(catalog.notes.length ? ['Problems skipped while reading:', ...catalog.notes.map((n) => `- ${n}`)] : []),
      ];
      let raw: RawMetricsPage | undefined;
      if (deps.source.rawMetrics) {
        const window = timeWindow(since, until);
        raw = await deps.source.rawMetrics({ match, offset, limit, ...window });
        lines.push(...rawLines(raw, match));
      }
      return ok(lines.join('\n'), {
        source: deps.source.label,
        metrics: shownMetrics,
        services: shownServices,
        start: isoTime(catalog.start),
        end: isoTime(catalog.end),
        samples: catalog.sampleCount,
        ...(catalog.intervalMs !== undefined && { interval_seconds: catalog.intervalMs / 1000 }),
        aliases,
        notes: catalog.notes,
        ...(catalog.definitions && { definitions: catalog.definitions }),
        ...(raw && {
          raw_metrics: {
            total: raw.total,
            offset: raw.offset,
            next_offset: raw.nextOffset,
            since: isoTime(raw.since),
            until: isoTime(raw.until),
            metrics: raw.metrics.map((m) => ({ name: m.name, series: m.series, labels: m.labels, labels_cut: m.labelsCut })),
          },
        }),
      });
    }),
  );
}

function rawLines(raw: RawMetricsPage, match: string | undefined): string[] {
  const filter = match ? ` containing "${match}"` : '';
  const head =
    `Raw metric names${filter} with samples in ${formatRange(raw.since, raw.until)}: ${raw.total}` +
    (raw.total > 0 ? `; ${raw.offset + 1}..${raw.offset + raw.metrics.length} shown` : '') +
    (raw.nextOffset !== null ? ` (offset ${raw.nextOffset} for more).` : '.');
  const rows = raw.metrics.map((m) => {
    const labels = Object.entries(m.labels)
      .map(([label, values]) => `${label}=${values.join('|')}${m.labelsCut.some((c) => c.startsWith(`${label} `)) ? '|…' : ''}`)
      .join(' ');
    return `- ${m.name} (${m.series} series)${labels ? `: ${labels}` : ''}`;
  });
  return [head, ...rows];
}

function cut(total: number): string {
  return total > MAX_NAMES ? ` (and ${total - MAX_NAMES} more)` : '';
}
