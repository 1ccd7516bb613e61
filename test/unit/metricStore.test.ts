import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROUND_STEPS_MS, bucketMeans, chooseBucketStep, readRange } from '../../mcp-servers/metrics/files/bucketing';
import { parseMetricsFile } from '../../mcp-servers/metrics/files/parseMetricsFile';
import { SeriesSet, type StoredSeries } from '../../mcp-servers/metrics/files/seriesSet';
import { scanMetricsText, streamMetricsDocument } from '../../mcp-servers/metrics/files/streamJsonDocument';

const LABEL = 'metrics file /x/metrics.json';
const T0 = Date.UTC(2026, 1, 17, 14, 0, 0);

function stored(times: number[], values: number[]): StoredSeries {
  const set = new SeriesSet();
  times.forEach((t, i) => set.add('m', undefined, t, values[i]!));
  return set.finish([]).series[0]!;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return '(no error)';
}

describe('compact metric store', function () {
  it('keeps times and values in typed arrays, sorted, the later of equal times winning', function () {
    const s = stored([T0 + 2000, T0, T0 + 1000, T0 + 1000], [3, 1, 2, 9]);
    assert.ok(s.times instanceof Float64Array && s.values instanceof Float64Array);
    assert.deepEqual([...s.times], [T0, T0 + 1000, T0 + 2000]);
    assert.deepEqual([...s.values], [1, 9, 3]);
    assert.deepEqual(s.points[1], { time: T0 + 1000, value: 9 });
    assert.equal(s.intervalMs, 1000);
  });

  it('grows past its initial capacity without losing points', function () {
    const n = 10_000;
    const s = stored(Array.from({ length: n }, (_, i) => T0 + i * 1000), Array.from({ length: n }, (_, i) => i));
    assert.equal(s.length, n);
    assert.equal(s.values[n - 1], n - 1);
  });
});

describe('reading a range at a coarser step', function () {
  const perSecond = (seconds: number, value: (i: number) => number) =>
    stored(Array.from({ length: seconds }, (_, i) => T0 + i * 1000), Array.from({ length: seconds }, (_, i) => value(i)));

  it('returns the stored points exactly when they fit', function () {
    const s = perSecond(600, (i) => i * 0.5);
    const read = readRange(s, T0 + 10_000, T0 + 19_000, 1500);
    assert.equal(read.stepMs, undefined);
    assert.equal(read.rawCount, 10);
    assert.deepEqual(read.points, s.points.slice(10, 20));
    // A per-minute day (1,440 points) is within 1,500: as stored.
    const day = stored(Array.from({ length: 1440 }, (_, i) => T0 + i * 60_000), Array.from({ length: 1440 }, (_, i) => i));
    assert.deepEqual(readRange(day, -Infinity, Infinity, 1500).points, day.points);
  });

  it('chooses the smallest round step that fits, aligned to multiples of it, each point the mean of its bucket', function () {
    const s = perSecond(3600, (i) => i);
    const read = readRange(s, -Infinity, Infinity, 100);
    assert.equal(read.stepMs, 60_000); // 30 s would give 120 buckets
    assert.equal(read.points.length, 60);
    assert.equal(read.rawCount, 3600);
    assert.equal(read.points[0]!.time, T0);
    assert.equal(read.points[0]!.value, 29.5); // mean of 0..59
    for (const p of read.points) assert.equal(p.time % 60_000, 0);
    // An unaligned start: the first bucket holds only the points from its start on.
    const off = readRange(s, T0 + 45_000, Infinity, 100);
    assert.equal(off.points[0]!.time, T0);
    assert.equal(off.points[0]!.value, (45 + 59) / 2);
    assert.ok(ROUND_STEPS_MS.includes(60_000) && ROUND_STEPS_MS.includes(5_000) && ROUND_STEPS_MS.includes(600_000));
  });

  it('counts buckets, not the span, so a series with gaps keeps a finer step, and empty buckets are left out', function () {
    // Two bursts of 200 s, 10 hours apart: 400 points; the span would need a 30-s step for 1,200 buckets.
    const times = [...Array.from({ length: 200 }, (_, i) => T0 + i * 1000), ...Array.from({ length: 200 }, (_, i) => T0 + 36_000_000 + i * 1000)];
    const s = stored(times, times.map((_, i) => (i < 200 ? 1 : 3)));
    const step = chooseBucketStep(s.times, 0, s.length, 100);
    assert.equal(step, 5_000);
    const points = bucketMeans(s.times, s.values, 0, s.length, step);
    assert.equal(points.length, 80);
    assert.deepEqual(new Set(points.map((p) => p.value)), new Set([1, 3]));
  });

  it('honours a minimum step even when the points would fit', function () {
    const s = perSecond(300, () => 2);
    const read = readRange(s, -Infinity, Infinity, 1500, 60_000);
    assert.equal(read.stepMs, 60_000);
    assert.equal(read.points.length, 5);
    // Data already as coarse as the minimum step comes back as stored.
    const minutes = stored([T0, T0 + 60_000, T0 + 120_000], [1, 2, 3]);
    assert.equal(readRange(minutes, -Infinity, Infinity, 1500, 60_000).stepMs, undefined);
  });
});

describe('streaming our JSON document', function () {
  const entries = [
    { timestamp: '2026-02-17T14:00:00Z', service: 'a{b}[c]"d', error_rate: 1, note: 'x\\"}], {"y": [' },
    { timestamp: '2026-02-17T14:01:00Z', service: 'a{b}[c]"d', error_rate: 2.5, note: '\u00e9\u4e2d' },
    { timestamp: 1771337000, error_rate: 3 },
  ];
  const doc = `\ufeff  {"other": {"k": ["]"]},\r\n "metrics" :\n [\n${entries.map((e) => `  ${JSON.stringify(e)}`).join(' ,\n')}\n ] , "x": 1}\n`;

  it('gives exactly what the whole-document parser gives, wherever the chunks split it', function () {
    const whole = parseMetricsFile(doc, LABEL);
    for (const size of [1, 2, 3, 7, 16, 64, 1 << 20]) {
      const streamed = scanMetricsText(doc, LABEL, size);
      assert.ok(streamed, `chunks of ${size}`);
      assert.deepEqual(streamed.catalog, whole.catalog, `chunks of ${size}`);
      assert.deepEqual(streamed.series.map((s) => [s.metric, s.service, s.points]), whole.series.map((s) => [s.metric, s.service, s.points]));
    }
  });

  it('streams a file from disk', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metric-stream-'));
    try {
      const file = path.join(dir, 'metrics.json');
      const rows = Array.from({ length: 50_000 }, (_, i) => ({ timestamp: T0 + i * 1000, service: 'caf\u00e9', error_rate: i % 7 }));
      fs.writeFileSync(file, JSON.stringify({ metrics: rows }));
      const streamed = await streamMetricsDocument(file, LABEL);
      assert.ok(streamed);
      assert.equal(streamed.series[0]!.service, 'caf\u00e9');
      assert.equal(streamed.series[0]!.length, 50_000);
      assert.equal(streamed.catalog.sampleCount, 50_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the notes and errors about entries', function () {
    const text = JSON.stringify({ metrics: [{ timestamp: 'x', a: 1 }, { timestamp: T0, a: 'nope' }, { timestamp: T0 + 1, a: 2 }, { timestamp: T0 + 2, a: 3 }] });
    assert.deepEqual(scanMetricsText(text, LABEL, 5)!.catalog.notes, parseMetricsFile(text, LABEL).catalog.notes);
    const empty = '{"metrics": []}';
    assert.equal(messageOf(() => scanMetricsText(empty, LABEL, 3)), messageOf(() => parseMetricsFile(empty, LABEL)));
    assert.match(messageOf(() => scanMetricsText(empty, LABEL, 3)), /empty "metrics" array/);
  });

  it('gives up on anything JSON.parse would refuse or that is another shape, so the whole-text parser says why', function () {
    const broken = [
      doc.slice(0, Math.floor(doc.length / 2)), // truncated
      '{"metrics": [{"timestamp": 1, "a": 1},]}', // trailing comma
      '{"metrics": [,{"timestamp": 1, "a": 1}]}',
      '{"metrics": [{"timestamp": 1, "a": 1} {"timestamp": 2, "a": 1}]}',
      '{"metrics": [{"timestamp": 1, "a": 1}], "x": tru}',
      '{"metrics": [{"timestamp": 1, "a": 1}]} trailing',
      '{"metrics": [], "metrics": [{"timestamp": 1, "a": 1}]}',
      '{"metrics": {"timestamp": 1}}',
      '[{"timestamp": 1, "a": 1}]',
      '{"status":"success","data":{"resultType":"matrix","result":[]}}',
    ];
    for (const text of broken) assert.equal(scanMetricsText(text, LABEL, 4), undefined, text);
    // ... and the message for a truncated file is today's.
    assert.match(messageOf(() => parseMetricsFile(broken[0]!, LABEL)), /is not valid JSON: .*Fix the JSON syntax/);
  });
});
