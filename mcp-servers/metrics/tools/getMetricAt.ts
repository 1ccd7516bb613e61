import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { isoTime, parseTimeArg } from '../../common/time.js';
import { formatDuration, formatNumber, seriesLabel, table } from '../format.js';
import { METRIC_TYPE_HELP } from '../metricAliases.js';
import { resolveScope } from '../scope.js';
import type { InstantValue, MetricPoint, MetricSource } from '../source.js';
import { READ_ONLY, evidence, pointSchema, serviceArg } from './shared.js';

const MAX_SERIES = 10;
const MINUTE = 60_000;

export function registerGetMetricAtTool(server: McpServer, deps: { source: MetricSource }): void {
  server.registerTool(
    'get_metric_at',
    {
      title: 'Get metric at a time',
      description:
        'The value of a metric at one time: the nearest point and its neighbours on each side. Use it to check a ' +
        'cited value ("error_rate was 12% at 14:47"). From a Prometheus source each series also carries `instant`: the ' +
        'PromQL evaluated at exactly that time and its value, the evidence behind the citation.',
      inputSchema: {
        metric: z.string().describe(`The metric: ${METRIC_TYPE_HELP}`),
        timestamp: z.string().describe('The time to look at: ISO-8601 such as 2026-02-17T14:47:00Z (UTC if no zone).'),
        service: serviceArg,
        neighbours: z.number().int().min(0).max(30).default(3).describe('How many points to show on each side of the nearest one.'),
      },
      outputSchema: {
        requested: z.string().describe('The time asked for, ISO-8601 UTC.'),
        series: z.array(
          z.object({
            name: z.string(),
            service: z.string().optional(),
            nearest: pointSchema.describe('The point closest in time to the one asked for.'),
            offset_seconds: z.number().describe('nearest.timestamp minus the requested time.'),
            around: z.array(pointSchema).describe('The nearest point with its neighbours, in time order.'),
            instant: z
              .object({ query: z.string(), timestamp: z.string(), value: z.number() })
              .optional()
              .describe('Prometheus sources: the query evaluated at exactly the requested time (/api/v1/query), and its value.'),
          }),
        ),
      },
      annotations: READ_ONLY,
    },
    guarded('get_metric_at', async ({ metric, timestamp, service, neighbours }) => {
      const at = parseTimeArg(timestamp, 'timestamp');
      if (at === undefined) throw new UserError('timestamp is empty; give a time such as 2026-02-17T14:47:00Z.');
      const scope = await resolveScope(deps.source, { metricType: metric, service });
      // A bounded read around the time, so a remote source is not asked for everything.
      const reach = Math.max(30 * MINUTE, (scope.catalog.intervalMs ?? MINUTE) * (neighbours + 2) * 2);
      const all = await deps.source.read({ metrics: scope.metrics, service: scope.service, since: at - reach, until: at + reach });
      if (all.length === 0) {
        throw new UserError(
          `No ${scope.metrics.join(', ')} points within ${formatDuration(reach)} of ${isoTime(at)}; ` +
            `the data covers ${isoTime(scope.catalog.start)} .. ${isoTime(scope.catalog.end)}.`,
        );
      }
      const shown = all.slice(0, MAX_SERIES);
      // A queried source re-evaluates the metric at exactly that time: the value and the query are the evidence.
      const instants = deps.source.valueAt ? await deps.source.valueAt({ metrics: scope.metrics, service: scope.service }, at) : [];
      const series = shown.map((s) => {
        const index = nearestIndex(s.points, at);
        const nearest = s.points[index]!;
        const around = s.points.slice(Math.max(0, index - neighbours), index + neighbours + 1);
        const point = (p: MetricPoint) => ({ ...evidence(s.metric, s.service, isoTime(p.time)), value: p.value });
        return {
          name: s.metric,
          ...(s.service !== undefined && { service: s.service }),
          nearest: point(nearest),
          offset_seconds: (nearest.time - at) / 1000,
          around: around.map(point),
          ...instantOf(instants.find((v) => v.metric === s.metric && v.service === s.service)),
        };
      });
      const text =
        `Values near ${isoTime(at)}:\n\n` +
        series
          .map(
            (s) =>
              `${seriesLabel(s.name, s.service)}: ${formatNumber(s.nearest.value)} at ${s.nearest.timestamp}` +
              (s.offset_seconds === 0 ? ' (exact time)' : ` (${formatDuration(Math.abs(s.offset_seconds) * 1000)} ${s.offset_seconds < 0 ? 'before' : 'after'})`) +
              `\n${table(['time (UTC)', 'value'], s.around.map((p) => [p.timestamp + (p.timestamp === s.nearest.timestamp ? ' <' : ''), formatNumber(p.value)]))}` +
              (s.instant ? `\n  At exactly ${s.instant.timestamp}: ${formatNumber(s.instant.value)} from PromQL ${s.instant.query}` : ''),
          )
          .join('\n\n') +
        (all.length > shown.length ? `\n(${all.length - shown.length} more series not shown: pass an exact metric name or service.)` : '');
      return ok(text, { requested: isoTime(at), series });
    }),
  );
}

function instantOf(v: InstantValue | undefined) {
  return v ? { instant: { query: v.query, timestamp: isoTime(v.time), value: v.value } } : {};
}

function nearestIndex(points: readonly MetricPoint[], at: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.time < at) lo = mid + 1;
    else hi = mid;
  }
  const before = lo - 1;
  return before >= 0 && at - points[before]!.time <= points[lo]!.time - at ? before : lo;
}
