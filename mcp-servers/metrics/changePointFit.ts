// Least-squares fits that tell a jump from a ramp and locate where a ramp began (the onset of a gradual drift).
import type { MetricPoint } from './source.js';

export interface StepHingeFit {
  /** Residual sum of squares of the best single level shift anywhere in the segment. */
  stepSse: number;
  /** Residual sum of squares of the best "flat, then a straight line" (hinge) model. */
  hingeSse: number;
  /** Index (in the segment) of the last flat point of the best hinge: where the ramp starts. */
  hingeIndex: number;
  hingeSlopePerHour: number;
}

const HOUR = 3_600_000;

/**
 * Fits both models to `segment` with prefix sums (linear time). The hinge may start no later than `latestHinge`,
 * the point where the threshold was crossed. Returns undefined for segments too short to tell.
 */
export function fitStepAndHinge(segment: readonly MetricPoint[], latestHinge: number): StepHingeFit | undefined {
  const n = segment.length;
  if (n < 6 || latestHinge < 1) return undefined;
  // Work in hours from the segment start and in units of the segment's range, so sums of squares stay well scaled.
  const t0 = segment[0]!.time;
  const values = segment.map((p) => p.value);
  // Loops, not Math.min(...values): spreading a long series overflows the call stack.
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const range = high - low || 1;
  const t = segment.map((p) => (p.time - t0) / HOUR);
  const y = values.map((v) => (v - low) / range);

  const sum = (f: (i: number) => number) => {
    const out = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) out[i + 1] = out[i]! + f(i);
    return out;
  };
  const Sy = sum((i) => y[i]!);
  const Syy = sum((i) => y[i]! * y[i]!);
  const St = sum((i) => t[i]!);
  const Stt = sum((i) => t[i]! * t[i]!);
  const Sty = sum((i) => t[i]! * y[i]!);
  const between = (s: Float64Array, from: number, to: number) => s[to]! - s[from]!;
  const levelSse = (from: number, to: number) => {
    const count = to - from;
    const total = between(Sy, from, to);
    return between(Syy, from, to) - (total * total) / count;
  };

  let stepSse = Infinity;
  for (let k = 1; k < n; k++) stepSse = Math.min(stepSse, levelSse(0, k) + levelSse(k, n));

  // Hinge at k: y = a + b·max(0, t - t_k), fitted by ordinary least squares on all n points.
  const sumY = Sy[n]!;
  const sumYY = Syy[n]!;
  let hingeSse = Infinity;
  let hingeIndex = 0;
  let hingeSlope = 0;
  for (let k = 1; k <= Math.min(latestHinge, n - 2); k++) {
    const tk = t[k]!;
    const count = n - k;
    const sx = between(St, k, n) - count * tk;
    const sxx = between(Stt, k, n) - 2 * tk * between(St, k, n) + count * tk * tk;
    const sxy = between(Sty, k, n) - tk * between(Sy, k, n);
    const denominator = n * sxx - sx * sx;
    if (denominator <= 1e-12) continue;
    const b = (n * sxy - sx * sumY) / denominator;
    const a = (sumY - b * sx) / n;
    const sse = sumYY - a * sumY - b * sxy;
    if (sse < hingeSse) {
      hingeSse = sse;
      hingeIndex = k;
      hingeSlope = b;
    }
  }
  if (!Number.isFinite(hingeSse)) return undefined;
  return { stepSse, hingeSse, hingeIndex, hingeSlopePerHour: hingeSlope * range };
}
