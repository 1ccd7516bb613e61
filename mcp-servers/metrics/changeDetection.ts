// Robust change detection: sustained departures from a baseline (median/MAD), merged into anomalies whose start is
// the change point: where the departure began, or for a gradual drift where the climb began.
import type { MetricPoint } from './source.js';
import { meanAbsoluteDeviation, median, medianAbsoluteDeviation } from './stats.js';
import { fitStepAndHinge } from './changePointFit.js';

export interface DetectionOptions {
  /** Minimum |% change| from the baseline median for a point to count as anomalous. */
  thresholdPct: number;
  /** Minimum |robust z| as well, so a small % wiggle on a noisy series, or any wiggle on a flat one, is not news. */
  minRobustZ: number;
  /** A departure must last this many anomalous points; single-point noise is not an anomaly. */
  minRunPoints: number;
  /**
   * …and this long: "sustained" is a span of time, not a count of points. At per-minute points 3 points are these
   * 3 minutes; at per-second points a one-minute blip (60 points) is still a blip.
   */
  minRunMs: number;
  /** Up to this many ordinary points (and, at fine resolution, this long) inside a departure do not split it. */
  maxGapPoints: number;
  maxGapMs: number;
}

export const DEFAULT_DETECTION: DetectionOptions = { thresholdPct: 50, minRobustZ: 3.5, minRunPoints: 3, minRunMs: 180_000, maxGapPoints: 1, maxGapMs: 60_000 };

/** The point counts that the time spans come to at this series' spacing (never below the point minimums). */
export function pointRules(points: readonly MetricPoint[], options: DetectionOptions): { minRun: number; maxGap: number } {
  const gaps: number[] = [];
  for (let i = 1; i < points.length && gaps.length < 1000; i++) gaps.push(points[i]!.time - points[i - 1]!.time);
  const spacing = gaps.length > 0 ? median(gaps) : 0;
  if (!(spacing > 0)) return { minRun: options.minRunPoints, maxGap: options.maxGapPoints };
  return {
    minRun: Math.max(options.minRunPoints, Math.ceil(options.minRunMs / spacing)),
    maxGap: Math.max(options.maxGapPoints, Math.floor(options.maxGapMs / spacing)),
  };
}

/** How far before the threshold crossing a step's onset is traced back: points still this far out of the noise. */
const ONSET_Z = 3;
/** Fewer baseline points than this give no trustworthy median/MAD. */
export const MIN_BASELINE_POINTS = 5;
/** With no history before the window, the baseline is this leading share of the window. */
const LEADING_BASELINE_SHARE = 0.2;
/** A rise counts as a drift when a ramp fits clearly better than a jump and took this many points to cross. */
const DRIFT_FIT_RATIO = 0.8;
const DRIFT_MIN_RISE_POINTS = 5;

export interface Baseline {
  median: number;
  mad: number;
  /** The robust standard deviation used for z-scores; never 0 (see robustScale). */
  scale: number;
  count: number;
  from: number;
  to: number;
  /** 'before-window': the points before `since`; 'leading-part': the first 20% of the points examined. */
  basis: 'before-window' | 'leading-part';
}

export interface Change {
  direction: 'up' | 'down';
  /** 'step': a jump (or spike); 'drift': a gradual climb or fall, whose onset is where the ramp began. */
  shape: 'step' | 'drift';
  onset: number;
  thresholdCrossed: number;
  end: number;
  peakTime: number;
  peakValue: number;
  /** % change of the peak from the baseline median; null when the baseline median is 0. */
  changePct: number | null;
  robustZ: number;
  anomalousPoints: number;
  /** Still anomalous at the last point examined. */
  ongoing: boolean;
  /** For drifts: the fitted rate of change, in metric units per hour. */
  slopePerHour?: number;
}

export interface Detection {
  baseline?: Baseline;
  changes: Change[];
  /** Why the series was not examined (too few points). */
  skipped?: string;
}

/**
 * Finds the sustained changes in `window`. `history` holds points before the window; when there are enough of
 * them they are the baseline, otherwise the leading part of the window is.
 */
export function detectChanges(
  window: readonly MetricPoint[],
  history: readonly MetricPoint[] = [],
  options: DetectionOptions = DEFAULT_DETECTION,
): Detection {
  const useHistory = history.length >= MIN_BASELINE_POINTS;
  const leadingCount = Math.max(MIN_BASELINE_POINTS, Math.round(window.length * LEADING_BASELINE_SHARE));
  const { minRun, maxGap } = pointRules(window, options);
  if (!useHistory && window.length < leadingCount + minRun) {
    return { changes: [], skipped: `only ${window.length} points; at least ${leadingCount + minRun} are needed` };
  }
  const baselinePoints = useHistory ? history : window.slice(0, leadingCount);
  const baseline = baselineOf(baselinePoints, useHistory ? 'before-window' : 'leading-part');
  const points = useHistory ? [...history, ...window] : [...window];
  const scanFrom = useHistory ? history.length : 0;

  const z = points.map((p) => (p.value - baseline.median) / baseline.scale);
  const flags = points.map((p, i) => flagOf(p.value, z[i]!, baseline, options));
  const changes: Change[] = [];
  let segmentStart = 0;
  for (const run of mergeHeldRuns(runsOf(flags, scanFrom, { ...options, minRunPoints: minRun, maxGapPoints: maxGap }), z)) {
    changes.push(describeRun(points, z, run, segmentStart, baseline));
    segmentStart = run.last + 1;
  }
  return { baseline, changes };
}

export function baselineOf(points: readonly MetricPoint[], basis: Baseline['basis']): Baseline {
  const values = points.map((p) => p.value);
  const center = median(values);
  const mad = medianAbsoluteDeviation(values, center);
  return {
    median: center,
    mad,
    scale: robustScale(values, center, mad),
    count: values.length,
    from: points[0]!.time,
    to: points[points.length - 1]!.time,
    basis,
  };
}

/**
 * 1.4826·MAD estimates the standard deviation for normal noise. When more than half the baseline is one value the
 * MAD is 0, so fall back to the mean absolute deviation, and never below 0.1% of the level (or a tiny absolute
 * floor for an all-zero baseline), so z-scores of a flat series stay finite.
 */
function robustScale(values: readonly number[], center: number, mad: number): number {
  const fromMad = 1.4826 * mad;
  const scale = fromMad > 0 ? fromMad : 1.2533 * meanAbsoluteDeviation(values, center);
  return Math.max(scale, Math.abs(center) * 1e-3, 1e-9);
}

export function percentChange(value: number, baselineMedian: number): number {
  const delta = value - baselineMedian;
  if (baselineMedian === 0) return delta === 0 ? 0 : Math.sign(delta) * Infinity;
  return (delta / Math.abs(baselineMedian)) * 100;
}

/** +1 for an anomalously high point, -1 for low, 0 for ordinary. */
function flagOf(value: number, z: number, baseline: Baseline, options: DetectionOptions): -1 | 0 | 1 {
  if (Math.abs(z) < options.minRobustZ) return 0;
  if (Math.abs(percentChange(value, baseline.median)) < options.thresholdPct) return 0;
  return z > 0 ? 1 : -1;
}

interface Run {
  direction: 1 | -1;
  first: number;
  last: number;
  flagged: number;
}

/** Consecutive same-direction anomalous points, bridging short gaps, kept when long enough. */
function runsOf(flags: readonly (-1 | 0 | 1)[], from: number, options: DetectionOptions): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  let gap = 0;
  const close = () => {
    if (current && current.flagged >= options.minRunPoints) runs.push(current);
    current = undefined;
  };
  for (let i = from; i < flags.length; i++) {
    const flag = flags[i]!;
    if (flag === 0) {
      if (current && ++gap > options.maxGapPoints) close();
      continue;
    }
    if (current && flag !== current.direction) close();
    if (!current) current = { direction: flag, first: i, last: i, flagged: 0 };
    current.last = i;
    current.flagged++;
    gap = 0;
  }
  close();
  return runs;
}

/**
 * Joins same-direction runs when the level between them never really went back: a noisy drift hovering around
 * the threshold is one change, not several.
 */
function mergeHeldRuns(runs: readonly Run[], z: readonly number[]): Run[] {
  const merged: Run[] = [];
  for (const run of runs) {
    const previous = merged[merged.length - 1];
    if (previous && previous.direction === run.direction) {
      const between = z.slice(previous.last + 1, run.first).map((v) => v * run.direction);
      if (median(between) >= ONSET_Z) {
        previous.last = run.last;
        previous.flagged += run.flagged;
        continue;
      }
    }
    merged.push({ ...run });
  }
  return merged;
}

function describeRun(
  points: readonly MetricPoint[],
  z: readonly number[],
  run: Run,
  segmentStart: number,
  baseline: Baseline,
): Change {
  const dir = run.direction;
  // Trace a step back to where it left the noise, not where it crossed the % threshold.
  let onset = run.first;
  while (onset - 1 >= segmentStart && z[onset - 1]! * dir >= ONSET_Z) onset--;

  let shape: Change['shape'] = 'step';
  let slopePerHour: number | undefined;
  const fit = fitStepAndHinge(points.slice(segmentStart, run.last + 1), run.first - segmentStart);
  if (
    fit &&
    fit.hingeSse < DRIFT_FIT_RATIO * fit.stepSse &&
    Math.sign(fit.hingeSlopePerHour) === dir &&
    run.first - (segmentStart + fit.hingeIndex) >= DRIFT_MIN_RISE_POINTS
  ) {
    shape = 'drift';
    slopePerHour = fit.hingeSlopePerHour;
    onset = Math.min(onset, segmentStart + fit.hingeIndex);
  }

  let peak = onset;
  for (let i = onset; i <= run.last; i++) if ((points[i]!.value - points[peak]!.value) * dir > 0) peak = i;
  const peakPoint = points[peak]!;
  const pct = percentChange(peakPoint.value, baseline.median);
  return {
    direction: dir > 0 ? 'up' : 'down',
    shape,
    onset: points[onset]!.time,
    thresholdCrossed: points[run.first]!.time,
    end: points[run.last]!.time,
    peakTime: peakPoint.time,
    peakValue: peakPoint.value,
    changePct: Number.isFinite(pct) ? pct : null,
    robustZ: z[peak]!,
    anomalousPoints: run.flagged,
    ongoing: run.last === points.length - 1,
    ...(slopePerHour !== undefined && { slopePerHour }),
  };
}
