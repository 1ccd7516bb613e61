import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { changeOutput, changesByOnset, describeChange, scanScope } from '../anomalyScan.js';
import { DEFAULT_DETECTION } from '../changeDetection.js';
import { formatNumber, roundForOutput, seriesLabel } from '../format.js';
import { MAX_ANALYSED_POINTS, describeScope, readNotes, readScope, resolutionLine, resolutionSeconds, resolveScope, sourceNotesLine } from '../scope.js';
import { MAX_SERIES_PER_ANSWER, reportSeries, rowsPerSeries } from '../seriesReport.js';
import type { MetricSource } from '../source.js';
import { READ_ONLY, anomalySchema, resolutionShape, seriesReportShape, serviceArg, sinceArg, stepSecondsArg, untilArg } from './shared.js';

export function registerGetErrorRatesTool(server: McpServer, deps: { source: MetricSource }): void {
  server.registerTool(
    'get_error_rates',
    {
      title: 'Get error rates',
      description:
        'The error-rate metrics (error_rate and other fields with "error") per service: the series (summarised into ' +
        'windows when long), the baseline median, the peak, and the change point: when the rate first rose above ' +
        'its baseline in a sustained way (same rules as get_anomalies). Use it to date the start of an error spike. ' +
        'A range of more than ~1,500 points per series is analysed as the means of round steps (resolution_seconds says ' +
        'which); narrow since/until around a change to date it to the minute.',
      inputSchema: {
        since: sinceArg,
        until: untilArg,
        service: serviceArg,
        threshold: z.number().min(0).default(50).describe('Minimum % rise over the baseline median that counts as a rise (default 50).'),
        step_seconds: stepSecondsArg,
      },
      outputSchema: {
        series: z.array(
          z.object({
            ...seriesReportShape,
            baseline_median: z.number().optional().describe('Median of the baseline period (absent when too few points).'),
            baseline_from: z.string().optional(),
            baseline_to: z.string().optional(),
            peak_value: z.number(),
            peak_timestamp: z.string(),
            rose_above_baseline: z.boolean(),
            change_point: anomalySchema.optional().describe('The first sustained rise above the baseline.'),
          }),
        ),
        earliest_rise: anomalySchema.optional().describe('The series whose error rate rose first, and when.'),
        series_total: z.number().int(),
        series_omitted: z.number().int(),
        ...resolutionShape,
      },
      annotations: READ_ONLY,
    },
    guarded('get_error_rates', async ({ since, until, service, threshold, step_seconds }) => {
      const scope = await resolveScope(deps.source, {
        metricType: 'errors',
        service,
        since,
        until,
        maxPoints: MAX_ANALYSED_POINTS,
        ...(step_seconds !== undefined && { stepSeconds: step_seconds }),
      });
      const all = await readScope(deps.source, scope);
      const shown = all.slice(0, MAX_SERIES_PER_ANSWER);
      const scans = await scanScope(deps.source, scope, shown, { ...DEFAULT_DETECTION, thresholdPct: threshold });
      const maxRows = rowsPerSeries(shown.length);
      const blocks: string[] = [];
      const series = scans.map(({ series: s, detection }) => {
        const report = reportSeries(s, maxRows);
        const rise = changesByOnset([{ series: s, detection }]).find((c) => c.direction === 'up');
        const baseline = detection.baseline;
        const summary = baseline
          ? `  Baseline median ${formatNumber(baseline.median)} (${isoTime(baseline.from)} .. ${isoTime(baseline.to)}); ` +
            (rise ? `rose above it: ${describeChange(rise)}` : `no sustained rise of ${threshold}% or more above it.`)
          : `  Not enough points for a baseline (${detection.skipped ?? 'too few points'}).`;
        blocks.push(`${report.text}\n${summary}`);
        return {
          ...report.structured,
          ...(baseline && {
            baseline_median: roundForOutput(baseline.median),
            baseline_from: isoTime(baseline.from),
            baseline_to: isoTime(baseline.to),
          }),
          peak_value: report.structured.overall.max,
          peak_timestamp: report.structured.overall.max_timestamp,
          rose_above_baseline: rise !== undefined,
          ...(rise && { change_point: changeOutput(rise) }),
        };
      });
      const firstRise = changesByOnset(scans).find((c) => c.direction === 'up');
      const resolution = resolutionSeconds(shown);
      const resolutionText = resolutionLine(shown);
      const text =
        `${describeScope(deps.source, scope)}: error-rate metrics ${scope.metrics.join(', ')}.\n\n` +
        blocks.join('\n\n') +
        (firstRise ? `\n\nFirst rise: ${seriesLabel(firstRise.metric, firstRise.service)} at ${isoTime(firstRise.onset)}.` : '') +
        (resolutionText ? `\n${resolutionText}` : '') +
        omittedNote(shown.length, all.length, 'pass service to see the other series') +
        readNotes(all).map((n) => `\nNote: ${n}`).join('') +
        sourceNotesLine(scope.catalog);
      return ok(text, {
        series,
        ...(firstRise && { earliest_rise: changeOutput(firstRise) }),
        series_total: all.length,
        series_omitted: all.length - shown.length,
        ...(resolution !== undefined && { resolution_seconds: resolution }),
      });
    }),
  );
}
