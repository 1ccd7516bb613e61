import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { formatDuration, formatRange } from '../format.js';
import { aliasesFor } from '../metricAliases.js';
import type { MetricSource } from '../source.js';
import { READ_ONLY } from './shared.js';

/** Long name lists are cut here; the counts stay exact. */
const MAX_NAMES = 200;

export function registerListMetricsTool(server: McpServer, deps: { source: MetricSource }): void {
  server.registerTool(
    'list_metrics',
    {
      title: 'List metrics',
      description:
        'What metric data there is: metric names, services, the time span, number of points and the sampling ' +
        'interval, which metric groups ("cpu", "memory", "errors", "latency", "traffic") resolve to which metrics, ' +
        'and any problems found in the data. Call it first to learn the names and times the other tools accept.',
      inputSchema: {},
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
      },
      annotations: READ_ONLY,
    },
    guarded('list_metrics', async () => {
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
        ...(catalog.notes.length ? ['Problems skipped while reading:', ...catalog.notes.map((n) => `- ${n}`)] : []),
      ];
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
      });
    }),
  );
}

function cut(total: number): string {
  return total > MAX_NAMES ? ` (and ${total - MAX_NAMES} more)` : '';
}
