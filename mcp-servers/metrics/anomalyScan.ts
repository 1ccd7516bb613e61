// Runs change detection over every selected series, with the period before `since` as the baseline when given.
import { isoTime } from '../common/time.js';
import { detectChanges, type Change, type DetectionOptions, type Detection } from './changeDetection.js';
import { formatDuration, formatNumber, formatPercent, roundForOutput, seriesLabel } from './format.js';
import { seriesKey } from './parseMetricsDocument.js';
import type { MetricSeries, MetricSource } from './source.js';
import type { Scope } from './scope.js';
import { evidence } from './tools/shared.js';

const HOUR = 3_600_000;
/** Baseline before `since`: as long as the window examined, but at least 1 h and at most 24 h. */
const MIN_LOOKBACK = HOUR;
const MAX_LOOKBACK = 24 * HOUR;
/** z-scores against an all-zero baseline are astronomically large; beyond this they say nothing more. */
const Z_CAP = 1000;

export interface SeriesDetection {
  series: MetricSeries;
  detection: Detection;
}

export interface FoundChange extends Change {
  metric: string;
  service?: string;
  baselineMedian: number;
  baselineFrom: number;
  baselineTo: number;
  baselineBasis: string;
}

export async function scanScope(source: MetricSource, scope: Scope, series: MetricSeries[], options: DetectionOptions): Promise<SeriesDetection[]> {
  const history = new Map<string, MetricSeries>();
  if (scope.since !== undefined) {
    const windowLength = (scope.until ?? scope.catalog.end) - scope.since;
    const lookback = Math.min(MAX_LOOKBACK, Math.max(MIN_LOOKBACK, windowLength));
    // The baseline at the resolution of the window: means of the same step, else its spread would not be comparable.
    let stepMs = scope.minStepMs;
    for (const s of series) if (s.stepMs !== undefined && (stepMs === undefined || s.stepMs > stepMs)) stepMs = s.stepMs;
    const before = await source.read({
      metrics: scope.metrics,
      service: scope.service,
      since: scope.since - lookback,
      until: scope.since - 1,
      ...(stepMs !== undefined && { minStepMs: stepMs }),
    });
    for (const s of before) history.set(seriesKey(s.metric, s.service), s);
  }
  return series.map((s) => ({
    series: s,
    detection: detectChanges(s.points, history.get(seriesKey(s.metric, s.service))?.points ?? [], options),
  }));
}

/** All changes of all series, earliest onset first (larger departures first on a tie). */
export function changesByOnset(scans: readonly SeriesDetection[]): FoundChange[] {
  const found: FoundChange[] = [];
  for (const { series, detection } of scans) {
    const baseline = detection.baseline;
    if (!baseline) continue;
    for (const change of detection.changes) {
      found.push({
        ...change,
        metric: series.metric,
        ...(series.service !== undefined && { service: series.service }),
        baselineMedian: baseline.median,
        baselineFrom: baseline.from,
        baselineTo: baseline.to,
        baselineBasis: baseline.basis === 'before-window' ? 'the period before since' : 'the first 20% of the points examined',
      });
    }
  }
  return found.sort((a, b) => a.onset - b.onset || Math.abs(b.robustZ) - Math.abs(a.robustZ));
}

export function changeOutput(c: FoundChange) {
  return {
    ...evidence(c.metric, c.service, isoTime(c.onset)),
    start: isoTime(c.onset),
    end: isoTime(c.end),
    threshold_crossed_at: isoTime(c.thresholdCrossed),
    direction: c.direction,
    shape: c.shape,
    peak_value: c.peakValue,
    peak_timestamp: isoTime(c.peakTime),
    baseline_median: roundForOutput(c.baselineMedian),
    baseline_from: isoTime(c.baselineFrom),
    baseline_to: isoTime(c.baselineTo),
    change_pct: c.changePct === null ? null : Math.round(c.changePct * 10) / 10,
    robust_z: Math.max(-Z_CAP, Math.min(Z_CAP, Math.round(c.robustZ * 10) / 10)),
    anomalous_points: c.anomalousPoints,
    ongoing: c.ongoing,
    ...(c.slopePerHour !== undefined && { slope_per_hour: roundForOutput(c.slopePerHour) }),
  };
}

export function describeChange(c: FoundChange): string {
  const z = Math.abs(c.robustZ) >= Z_CAP ? `z>${Z_CAP}` : `z ${formatNumber(Math.round(c.robustZ * 10) / 10)}`;
  const how =
    c.shape === 'drift'
      ? `gradual drift ${c.direction} (about ${formatNumber(c.slopePerHour ?? 0)}/h), ${formatPercent(c.changePct)}`
      : `step ${c.direction}, ${formatPercent(c.changePct)}`;
  const crossed =
    c.thresholdCrossed !== c.onset
      ? `; crossed the threshold ${formatDuration(c.thresholdCrossed - c.onset)} later, at ${isoTime(c.thresholdCrossed)}`
      : '';
  const until = c.ongoing ? 'still anomalous at the last point' : `back by ${isoTime(c.end)}`;
  return (
    `${isoTime(c.onset)}  ${seriesLabel(c.metric, c.service)}: ${how} (${z}); baseline median ` +
    `${formatNumber(c.baselineMedian)}, peak ${formatNumber(c.peakValue)} at ${isoTime(c.peakTime)}${crossed}; ${until} ` +
    `(${c.anomalousPoints} anomalous points).`
  );
}
