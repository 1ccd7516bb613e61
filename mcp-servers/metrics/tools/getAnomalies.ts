import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { changeOutput, changesByOnset, describeChange, scanScope, type FoundChange } from '../anomalyScan.js';
import { DEFAULT_DETECTION } from '../changeDetection.js';
import { formatDuration, formatPercent, seriesLabel } from '../format.js';
import { METRIC_TYPE_HELP } from '../metricAliases.js';
import { MAX_ANALYSED_POINTS, describeScope, readNotes, readScope, resolutionLine, resolutionSeconds, resolveScope, sourceNotesLine } from '../scope.js';
import type { MetricSource } from '../source.js';
import { READ_ONLY, anomalySchema, evidenceShape, resolutionShape, serviceArg, sinceArg, stepSecondsArg, untilArg } from './shared.js';

const MAX_ANOMALIES = 50;
const MAX_WEAKER = 10;
/** Longer than this without `since`, the leading baseline may be a different time of day. */
const LONG_SPAN = 6 * 3_600_000;

export function registerGetAnomaliesTool(server: McpServer, deps: { source: MetricSource }): void {
  server.registerTool(
    'get_anomalies',
    {
      title: 'Find metric anomalies',
      description:
        'Finds sustained changes in the metrics against a baseline, earliest first, to establish when an incident ' +
        'began and which metric moved first. Baseline: the period before `since` when given (up to 24 h), else the ' +
        'first 20% of the points; its median and MAD (robust to outliers). A point is anomalous when it differs from ' +
        'the baseline median by at least `threshold` percent AND by a robust z-score of at least 3.5; such points ' +
        'in a row for at least 3 minutes and 3 points make an anomaly (a blip of seconds is ignored). Each anomaly gives its start (where the ' +
        'departure began; for a gradual drift such as a memory leak, where the climb began, not where the threshold ' +
        'was crossed), end, peak, baseline, % change, robust z, direction and shape (step or drift). A range of more ' +
        'than ~1,500 points per series is analysed as the means of round steps (resolution_seconds says which), so a change ' +
        'is dated to a step; narrow since/until around a change to date it more finely.',
      inputSchema: {
        threshold: z
          .number()
          .min(0)
          .default(50)
          .describe(
            'Minimum % change from the baseline median to report (default 50). Lower it (e.g. 20) for bounded ' +
              'metrics such as CPU or memory percentages; 0 reports every statistically significant sustained change.',
          ),
        since: sinceArg.describe('Examine points from this time (ISO-8601, UTC if no zone); the period before it is the baseline.'),
        until: untilArg,
        service: serviceArg,
        metric: z.string().default('all').describe(`Which metrics to examine: ${METRIC_TYPE_HELP}`),
        step_seconds: stepSecondsArg,
      },
      outputSchema: {
        threshold_pct: z.number(),
        min_robust_z: z.number(),
        min_run_points: z.number().int(),
        series_examined: z.number().int(),
        anomalies: z.array(anomalySchema).describe('Earliest start first.'),
        total_anomalies: z.number().int(),
        omitted: z.number().int(),
        earliest: anomalySchema.optional().describe('The anomaly that started first: the likely onset.'),
        below_threshold: z
          .array(z.object({ ...evidenceShape, change_pct: z.number().nullable(), direction: z.enum(['up', 'down']) }))
          .describe('Sustained, statistically significant changes smaller than threshold (up to 10), earliest first.'),
        notes: z.array(z.string()),
        ...resolutionShape,
      },
      annotations: READ_ONLY,
    },
    guarded('get_anomalies', async ({ threshold, since, until, service, metric, step_seconds }) => {
      const scope = await resolveScope(deps.source, {
        metricType: metric,
        service,
        since,
        until,
        maxPoints: MAX_ANALYSED_POINTS,
        ...(step_seconds !== undefined && { stepSeconds: step_seconds }),
      });
      const series = await readScope(deps.source, scope);
      const options = { ...DEFAULT_DETECTION, thresholdPct: threshold };
      const scans = await scanScope(deps.source, scope, series, options);
      const anomalies = changesByOnset(scans);
      const weaker = threshold > 0 ? weakerChanges(changesByOnset(await scanScope(deps.source, scope, series, { ...options, thresholdPct: 0 })), anomalies) : [];
      const shown = anomalies.slice(0, MAX_ANOMALIES);
      const notes = scans.flatMap(({ series: s, detection }) =>
        detection.skipped ? [`${seriesLabel(s.metric, s.service)} not examined: ${detection.skipped}.`] : [],
      );
      notes.push(...readNotes(series));

      const rules = `threshold ${threshold}% from the baseline median, robust z >= ${options.minRobustZ}, lasting at least ${options.minRunMs / 60_000} minutes and ${options.minRunPoints} points in a row`;
      const resolution = resolutionSeconds(series);
      const lines = [`${describeScope(deps.source, scope)}: examined ${scans.length} series (${rules}).`, baselineLine(scans)];
      const resolutionText = resolutionLine(series);
      if (resolutionText) lines.push(resolutionText);
      if (anomalies.length === 0) {
        lines.push('No sustained anomalies found.');
      } else {
        lines.push(`${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'}, earliest start first:`);
        lines.push(...shown.map((a, i) => `${i + 1}. ${describeChange(a)}`));
        lines.push(onsetLine(anomalies));
      }
      if (weaker.length > 0) {
        lines.push(
          `Smaller sustained changes below the ${threshold}% threshold (lower threshold to see them in full): ` +
            weaker.slice(0, MAX_WEAKER).map((w) => `${seriesLabel(w.metric, w.service)} ${formatPercent(w.changePct)} from ${isoTime(w.onset)}`).join('; ') + '.',
        );
      }
      if (scope.since === undefined && scope.catalog.end - scope.catalog.start > LONG_SPAN) {
        lines.push(
          `The data spans ${formatDuration(scope.catalog.end - scope.catalog.start)} and the baseline is its start, so daily patterns (morning traffic) count as ` +
            'changes too. For the incident itself pass since = a little before it began (and until), so the period ' +
            'just before since is the baseline.',
        );
      }
      lines.push(...notes);
      const text =
        lines.join('\n') +
        omittedNote(shown.length, anomalies.length, 'narrow since/until, metric or service, or raise threshold') +
        sourceNotesLine(scope.catalog);
      const first = anomalies[0];
      return ok(text, {
        threshold_pct: threshold,
        min_robust_z: options.minRobustZ,
        min_run_points: options.minRunPoints,
        series_examined: scans.length,
        anomalies: shown.map(changeOutput),
        total_anomalies: anomalies.length,
        omitted: anomalies.length - shown.length,
        ...(first && { earliest: changeOutput(first) }),
        below_threshold: weaker.slice(0, MAX_WEAKER).map((w) => {
          const out = changeOutput(w);
          return { name: out.name, ...(out.service !== undefined && { service: out.service }), timestamp: out.timestamp, change_pct: out.change_pct, direction: out.direction };
        }),
        notes,
        ...(resolution !== undefined && { resolution_seconds: resolution }),
      });
    }),
  );
}

/** The significant changes that no reported anomaly of the same series overlaps. */
function weakerChanges(all: readonly FoundChange[], reported: readonly FoundChange[]): FoundChange[] {
  return all.filter(
    (w) => !reported.some((r) => r.metric === w.metric && r.service === w.service && r.onset <= w.end && w.onset <= r.end),
  );
}

function baselineLine(scans: Awaited<ReturnType<typeof scanScope>>): string {
  const bases = scans.flatMap(({ detection }) => (detection.baseline ? [detection.baseline] : []));
  const first = bases[0];
  if (!first) return 'No series had enough points for a baseline.';
  const basis = first.basis === 'before-window' ? 'the period before since' : 'the first 20% of the points';
  return `Baseline: ${basis} (for ${seriesLabel(scans[0]!.series.metric, scans[0]!.series.service)}: ${isoTime(first.from)} .. ${isoTime(first.to)}, ${first.count} points).`;
}

function onsetLine(anomalies: readonly FoundChange[]): string {
  const [first, ...rest] = anomalies;
  if (!first) return '';
  const seen = new Set([seriesLabel(first.metric, first.service)]);
  const others = rest
    .filter((a) => !seen.has(seriesLabel(a.metric, a.service)) && seen.add(seriesLabel(a.metric, a.service)))
    .slice(0, 5)
    .map((a) => `${seriesLabel(a.metric, a.service)} ${a.onset === first.onset ? 'at the same time' : `${formatDuration(a.onset - first.onset)} later`}`);
  return (
    `Started first: ${seriesLabel(first.metric, first.service)} at ${isoTime(first.onset)}` +
    (others.length ? `; then ${others.join(', ')}.` : '.')
  );
}
