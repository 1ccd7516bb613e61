import assert from 'node:assert/strict';
import { DEFAULT_DETECTION, detectChanges } from '../../mcp-servers/metrics/changeDetection';
import type { MetricPoint } from '../../mcp-servers/metrics/source';
import { planSeriesView, windowsOf } from '../../mcp-servers/metrics/summarize';
import { percentileNearestRank } from '../../mcp-servers/metrics/stats';
import { noiseSource } from '../support/noise';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 1, 17, 12, 0);
const minuteOf = (time: number) => (time - T0) / MINUTE;

function series(length: number, value: (minute: number) => number): MetricPoint[] {
  return Array.from({ length }, (_, i) => ({ time: T0 + i * MINUTE, value: value(i) }));
}

describe('metrics change detection', function () {
  it('dates a step to within a minute over many noise draws (mostly exactly)', function () {
    let exact = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const g = noiseSource(seed);
      const stepAt = 100 + seed * 3;
      const { changes } = detectChanges(series(240, (i) => 1 + 0.1 * g() + (i >= stepAt ? 2 : 0)));
      assert.equal(changes.length, 1, `seed ${seed}`);
      const [change] = changes;
      const error = minuteOf(change!.onset) - stepAt;
      assert.ok(error <= 0 && error >= -1, `seed ${seed}: off by ${error} min`); // a 3-sigma noise point just before may join
      if (error === 0) exact++;
      assert.equal(change!.shape, 'step');
      assert.equal(change!.direction, 'up');
      assert.ok(change!.changePct! > 150 && change!.changePct! < 260);
      assert.equal(change!.ongoing, true);
    }
    assert.ok(exact >= 27, `${exact} of 30 exact`);
  });

  it('dates a gradual drift to where the climb began (within 6 min), long before the threshold crossing', function () {
    for (let seed = 1; seed <= 30; seed++) {
      const g = noiseSource(seed + 100);
      const driftAt = 60 + seed;
      const { changes } = detectChanges(series(400, (i) => 40 + 2 * g() + (i >= driftAt ? 0.2 * (i - driftAt) : 0)));
      assert.equal(changes.length, 1, `seed ${seed}`);
      const [drift] = changes;
      assert.equal(drift!.shape, 'drift', `seed ${seed}`);
      assert.ok(Math.abs(minuteOf(drift!.onset) - driftAt) <= 6, `seed ${seed}: ${minuteOf(drift!.onset)} vs ${driftAt}`);
      assert.ok(minuteOf(drift!.thresholdCrossed) - driftAt > 60);
      assert.ok(Math.abs(drift!.slopePerHour! - 12) < 2, `slope ${drift!.slopePerHour}`);
    }
  });

  it('finds nothing in pure noise, even with no % threshold', function () {
    for (let seed = 1; seed <= 30; seed++) {
      const g = noiseSource(seed + 500);
      const { changes } = detectChanges(series(300, () => 50 + 5 * g()), [], { ...DEFAULT_DETECTION, thresholdPct: 0 });
      assert.deepEqual(changes, [], `seed ${seed}`);
    }
  });

  it('does not explode on a flat series (MAD = 0) with tiny wiggles', function () {
    const flat = series(120, (i) => (i % 17 === 0 ? 100.01 : 100));
    assert.deepEqual(detectChanges(flat).changes, []);
    assert.deepEqual(detectChanges(flat, [], { ...DEFAULT_DETECTION, thresholdPct: 0 }).changes, []);
    assert.deepEqual(detectChanges(series(120, () => 7)).changes, []);
  });

  it('reports a rise from an all-zero baseline with no % change', function () {
    const { changes, baseline } = detectChanges(series(120, (i) => (i >= 90 ? 5 : 0)));
    assert.equal(baseline?.mad, 0);
    assert.equal(changes.length, 1);
    assert.equal(minuteOf(changes[0]!.onset), 90);
    assert.equal(changes[0]!.changePct, null);
  });

  it('needs a run: two high points are noise, three are an anomaly; one ordinary point does not split it', function () {
    const blip = (from: number, to: number) => series(120, (i) => (i >= from && i < to ? 300 : 100 + (i % 3)));
    assert.deepEqual(detectChanges(blip(60, 62)).changes, []);
    assert.equal(detectChanges(blip(60, 63)).changes.length, 1);
    const gapped = series(120, (i) => (i >= 60 && i < 70 && i !== 64 ? 300 : 100 + (i % 3)));
    const { changes } = detectChanges(gapped);
    assert.equal(changes.length, 1);
    assert.equal(minuteOf(changes[0]!.end), 69);
    assert.equal(changes[0]!.anomalousPoints, 9);
    assert.equal(changes[0]!.ongoing, false);
  });

  it('sustained means minutes, not points: at per-second resolution a one-minute blip is noise, three minutes are not', function () {
    const perSecond = (from: number, to: number) =>
      Array.from({ length: 7200 }, (_, i) => ({ time: T0 + i * 1000, value: i >= from && i < to ? 300 : 100 + (i % 3) }));
    assert.deepEqual(detectChanges(perSecond(3600, 3660)).changes, [], '60 high points in one minute');
    const held = detectChanges(perSecond(3600, 3780)).changes;
    assert.equal(held.length, 1, 'three minutes');
    assert.equal(held[0]!.onset, T0 + 3600 * 1000);
    const gapped = detectChanges(Array.from({ length: 7200 }, (_, i) => ({ time: T0 + i * 1000, value: i >= 3600 && i < 3900 && (i < 3700 || i >= 3730) ? 300 : 100 + (i % 3) })));
    assert.equal(gapped.changes.length, 1, 'a 30-second dip inside a five-minute rise does not split it');
  });

  it('reports a drop as direction down with a negative change', function () {
    const g = noiseSource(9);
    const { changes } = detectChanges(series(200, (i) => 500 + 10 * g() - (i >= 150 ? 400 : 0)));
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.direction, 'down');
    assert.equal(minuteOf(changes[0]!.onset), 150);
    assert.ok(changes[0]!.changePct! < -70);
  });

  it('uses history before the window as the baseline when there is enough', function () {
    const all = series(120, (i) => (i >= 100 ? 50 : 10 + (i % 2)));
    const { baseline, changes } = detectChanges(all.slice(90), all.slice(30, 90));
    assert.equal(baseline?.basis, 'before-window');
    assert.equal(baseline?.count, 60);
    assert.equal(minuteOf(changes[0]!.onset), 100);
  });

  it('skips series too short to judge', function () {
    const result = detectChanges(series(6, (i) => i));
    assert.deepEqual(result.changes, []);
    assert.match(result.skipped ?? '', /only 6 points/);
  });
});

describe('metrics window summaries', function () {
  it('nearest-rank p95 is one of the values', function () {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(percentileNearestRank(sorted, 95), 19);
    assert.equal(percentileNearestRank([4], 95), 4);
    assert.equal(percentileNearestRank(Array.from({ length: 100 }, (_, i) => i + 1), 95), 95);
  });

  it('aligns windows to the clock and summarises each', function () {
    const points = series(7, (i) => [5, 1, 9, 3, 7, 2, 8][i]!).map((p) => ({ ...p, time: p.time + 3 * MINUTE })); // 12:03..12:09
    const windows = windowsOf(points, 5 * MINUTE);
    assert.deepEqual(
      windows.map((w) => [minuteOf(w.start), w.count, w.min, w.max, w.mean, w.p95, minuteOf(w.maxTime)]),
      [
        [0, 2, 1, 5, 3, 5, 3],
        [5, 5, 2, 9, 5.8, 9, 5],
      ],
    );
  });

  it('chooses raw points, a readable window, or widens a requested one', function () {
    const points = series(600, () => 1);
    assert.deepEqual(planSeriesView(points.slice(0, 60), 60), { kind: 'points' });
    assert.deepEqual(planSeriesView(points, 60), { kind: 'windows', windowMs: 10 * MINUTE });
    assert.deepEqual(planSeriesView(points, 60, 30), { kind: 'windows', windowMs: 30 * MINUTE });
    assert.deepEqual(planSeriesView(points, 60, 3), { kind: 'windows', windowMs: 10 * MINUTE, widenedFrom: 3 * MINUTE });
  });
});
