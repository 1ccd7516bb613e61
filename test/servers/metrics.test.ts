import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, repoRoot, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';
import { noiseSource } from '../support/noise';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 1, 17, 12, 0); // 2026-02-17T12:00:00Z
const at = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();
const minutesFrom = (iso: string, reference: string) => (Date.parse(iso) - Date.parse(reference)) / MINUTE;

function shuffled<T>(items: T[], seed: number): T[] {
  const next = noiseSource(seed);
  return items
    .map((item, i) => ({ item, key: next() + i * 1e-9 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

const STEP_MINUTE = 165; // checkout error_rate jumps at 14:45
const DRIFT_MINUTE = 60; // search memory starts climbing at 13:00

/**
 * Three services, one point a minute from 12:00 to 15:59, entries shuffled:
 * checkout error_rate 0.5 -> 12 at 14:45, search memory_usage climbing 0.25/min from 13:00,
 * checkout memory_usage flat, everything else noise.
 */
function incidentMetrics() {
  const g = noiseSource(7);
  const entries: Record<string, unknown>[] = [];
  for (let i = 0; i < 240; i++) {
    entries.push({
      timestamp: at(i),
      service: 'checkout',
      cpu_usage: 45 + 3 * g(),
      memory_usage: 512,
      request_rate: 200 + 5 * g(),
      response_time_ms: 120 + 8 * g(),
      error_rate: i >= STEP_MINUTE ? 12 + 0.5 * g() : 0.5 + 0.05 * g(),
    });
    entries.push({
      timestamp: at(i),
      service: 'search',
      cpu_usage: 30 + 2 * g(),
      memory_usage: 40 + g() + (i >= DRIFT_MINUTE ? 0.25 * (i - DRIFT_MINUTE) : 0),
      error_rate: 0.3 + 0.03 * g(),
    });
    entries.push({
      timestamp: at(i),
      service: 'payments',
      cpu_usage: 25 + 2 * g(),
      heap_used_mb: 300 + 10 * g(),
      db_latency_ms: 15 + g(),
      error_rate: 0.2 + 0.02 * g(),
    });
  }
  return { metrics: shuffled(entries, 3) };
}

/** A permutation of 1..20, one a minute from 12:00, no service. */
const TINY_VALUES = [3, 17, 8, 1, 12, 20, 5, 14, 9, 2, 19, 6, 11, 16, 4, 13, 7, 18, 10, 15];

function writeJson(file: string, value: unknown): string {
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

interface Anomaly {
  name: string;
  service?: string;
  timestamp: string;
  start: string;
  end: string;
  threshold_crossed_at: string;
  direction: 'up' | 'down';
  shape: 'step' | 'drift';
  change_pct: number | null;
  robust_z: number;
  baseline_median: number;
  baseline_from: string;
}

describe('metrics server (real process over stdio)', function () {
  let tmp: string;
  let server: RunningServer;

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-test-'));
    server = await startServer('metrics', ['--metrics', writeJson(path.join(tmp, 'incident.json'), incidentMetrics())]);
  });

  after(async function () {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('registers read-only tools with output schemas', async function () {
    const { tools } = await server.client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['get_anomalies', 'get_error_rates', 'get_metric_at', 'get_metrics', 'list_metrics']);
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.equal(tool.annotations?.openWorldHint, false, tool.name);
      assert.equal(tool.annotations?.idempotentHint, true, tool.name);
      assert.ok(tool.outputSchema, `${tool.name} has an output schema`);
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        assert.ok((schema as { description?: string }).description, `${tool.name}.${field} is described`);
      }
    }
  });

  it('list_metrics: names, services, span, points, interval and groups', async function () {
    const out = structuredOf(await server.call('list_metrics'));
    assert.deepEqual(out.services, ['checkout', 'payments', 'search']);
    assert.deepEqual(
      out.metrics.map((m: { name: string }) => m.name),
      ['cpu_usage', 'db_latency_ms', 'error_rate', 'heap_used_mb', 'memory_usage', 'request_rate', 'response_time_ms'],
    );
    assert.equal(out.start, '2026-02-17T12:00:00Z');
    assert.equal(out.end, '2026-02-17T15:59:00Z');
    assert.equal(out.samples, 720);
    assert.equal(out.interval_seconds, 60);
    assert.deepEqual(out.aliases.memory, ['heap_used_mb', 'memory_usage']);
    assert.deepEqual(out.aliases.latency, ['db_latency_ms', 'response_time_ms']);
    assert.deepEqual(out.notes, []);
  });

  describe('get_anomalies', function () {
    let anomalies: Anomaly[];
    let result: Awaited<ReturnType<RunningServer['call']>>;

    before(async function () {
      result = await server.call('get_anomalies');
      anomalies = structuredOf(result).anomalies;
    });

    it('finds the step change within 2 minutes of the true minute, upward and large', function () {
      const step = anomalies.find((a) => a.name === 'error_rate' && a.service === 'checkout');
      assert.ok(step, textOf(result));
      assert.ok(Math.abs(minutesFrom(step.start, at(STEP_MINUTE))) <= 2, `start ${step.start}`);
      assert.equal(step.timestamp, step.start);
      assert.equal(step.direction, 'up');
      assert.equal(step.shape, 'step');
      assert.ok(step.change_pct !== null && step.change_pct > 1500 && step.change_pct < 3500, `change ${step.change_pct}%`);
      assert.ok(step.robust_z > 10);
      assert.ok(Math.abs(step.baseline_median - 0.5) < 0.05);
    });

    it('dates the gradual drift from where the climb began, not from the threshold crossing', function () {
      const drift = anomalies.find((a) => a.name === 'memory_usage' && a.service === 'search');
      assert.ok(drift, textOf(result));
      assert.equal(drift.shape, 'drift');
      assert.equal(drift.direction, 'up');
      assert.ok(Math.abs(minutesFrom(drift.start, at(DRIFT_MINUTE))) <= 10, `drift start ${drift.start}`);
      // 50% above 40 needs +20, i.e. about 80 minutes of climbing.
      assert.ok(minutesFrom(drift.threshold_crossed_at, at(DRIFT_MINUTE)) > 60, `crossed ${drift.threshold_crossed_at}`);
    });

    it('reports nothing on noise or on a flat series, and sorts by start with the earliest named', function () {
      const names = anomalies.map((a) => `${a.name}/${a.service}`).sort();
      assert.deepEqual(names, ['error_rate/checkout', 'memory_usage/search'], textOf(result));
      const out = structuredOf(result);
      assert.equal(out.earliest.name, 'memory_usage');
      assert.equal(out.earliest.service, 'search');
      assert.match(textOf(result), /Started first: memory_usage \[search\]/);
    });

    it('pure noise stays quiet even with a low threshold (robust z floor and run length)', async function () {
      const out = structuredOf(await server.call('get_anomalies', { metric: 'cpu', threshold: 5 }));
      assert.equal(out.series_examined, 3);
      assert.deepEqual(out.anomalies, []);
      const flat = structuredOf(await server.call('get_anomalies', { metric: 'memory_usage', service: 'checkout', threshold: 0 }));
      assert.deepEqual(flat.anomalies, []);
    });

    it('filters by service and metric group', async function () {
      const out = structuredOf(await server.call('get_anomalies', { metric: 'errors', service: 'checkout' }));
      assert.equal(out.series_examined, 1);
      assert.equal(out.anomalies.length, 1);
      assert.equal(out.anomalies[0].name, 'error_rate');
    });

    it('uses the period before since as the baseline', async function () {
      const out = structuredOf(
        await server.call('get_anomalies', { since: '2026-02-17T14:30:00Z', until: '2026-02-17 15:30', service: 'checkout' }),
      );
      const step = out.anomalies.find((a: Anomaly) => a.name === 'error_rate');
      assert.ok(step);
      assert.ok(Math.abs(minutesFrom(step.start, at(STEP_MINUTE))) <= 2);
      assert.equal(step.baseline_from, '2026-02-17T13:30:00Z');
    });
  });

  it('get_error_rates: baseline, peak and the first rise per service', async function () {
    const result = await server.call('get_error_rates');
    const out = structuredOf(result);
    const byService = Object.fromEntries(out.series.map((s: { service: string }) => [s.service, s]));
    const checkout = byService.checkout;
    assert.equal(checkout.rose_above_baseline, true);
    assert.ok(Math.abs(minutesFrom(checkout.change_point.timestamp, at(STEP_MINUTE))) <= 2);
    assert.ok(Math.abs(checkout.baseline_median - 0.5) < 0.05);
    assert.ok(checkout.peak_value > 12 && minutesFrom(checkout.peak_timestamp, at(STEP_MINUTE)) >= 0);
    assert.equal(byService.search.rose_above_baseline, false);
    assert.equal(byService.payments.rose_above_baseline, false);
    assert.equal(out.earliest_rise.service, 'checkout');
    assert.match(textOf(result), /First rise: error_rate \[checkout\] at 2026-02-17T14:4\d:00Z/);
  });

  describe('get_metrics', function () {
    it('resolves aliases, exact names and the service filter', async function () {
      const memory = structuredOf(await server.call('get_metrics', { metric_type: 'memory', service: 'payments' }));
      assert.deepEqual(memory.metrics, ['heap_used_mb', 'memory_usage']);
      assert.deepEqual(memory.series.map((s: { name: string }) => s.name), ['heap_used_mb']);
      assert.equal(memory.series[0].service, 'payments');
      const cases: Record<string, string[]> = {
        cpu: ['cpu_usage'],
        errors: ['error_rate'],
        latency: ['db_latency_ms', 'response_time_ms'],
        traffic: ['request_rate'],
        requests: ['request_rate'],
        ERROR_RATE: ['error_rate'],
        db_latency_ms: ['db_latency_ms'],
      };
      for (const [metricType, expected] of Object.entries(cases)) {
        const any = await server.call('get_metrics', { metric_type: metricType, until: at(5) });
        assert.deepEqual(structuredOf(any).metrics, expected, metricType);
      }
    });

    it('keeps the answer bounded and says what was summarised and how to zoom in', async function () {
      const result = await server.call('get_metrics');
      const out = structuredOf(result);
      assert.equal(out.series_total, 12);
      assert.equal(out.summarised, true);
      const rows = out.series.reduce((n: number, s: { windows?: unknown[] }) => n + (s.windows?.length ?? 0), 0);
      assert.ok(rows <= 240, `${rows} rows`);
      for (const s of out.series) {
        assert.equal(s.view, 'windows');
        assert.ok(s.windows.length <= 60);
        assert.equal(s.points_in_range, 240);
        for (const w of s.windows) assert.ok(w.name && w.timestamp && w.service, 'evidence reference on every row');
      }
      assert.match(out.notes.join(' '), /narrow since\/until/);
      assert.match(textOf(result), /Summarised 240 points into \d+ windows of \d+ min/);
    });

    it('lists points, each with its evidence reference, when the range is short', async function () {
      const out = structuredOf(
        await server.call('get_metrics', { metric_type: 'error_rate', service: 'checkout', since: at(160), until: at(170) }),
      );
      const series = out.series[0];
      assert.equal(series.view, 'points');
      assert.equal(series.points.length, 11);
      assert.deepEqual(Object.keys(series.points[0]).sort(), ['name', 'service', 'timestamp', 'value']);
      assert.equal(series.points[5].timestamp, '2026-02-17T14:45:00Z');
      assert.ok(series.points[5].value > 10 && series.points[4].value < 1);
    });
  });

  it('get_metric_at: the nearest point and its neighbours', async function () {
    const out = structuredOf(
      await server.call('get_metric_at', { metric: 'error_rate', service: 'checkout', timestamp: '2026-02-17T14:45:20Z', neighbours: 1 }),
    );
    assert.equal(out.series.length, 1);
    assert.equal(out.series[0].nearest.timestamp, '2026-02-17T14:45:00Z');
    assert.equal(out.series[0].offset_seconds, -20);
    assert.deepEqual(out.series[0].around.map((p: { timestamp: string }) => p.timestamp), [at(164), at(165), at(166)].map((t) => t.replace('.000Z', 'Z')));
  });

  describe('caller mistakes: a clear isError and the server keeps answering', function () {
    const cases: [string, string, Record<string, unknown>, RegExp][] = [
      ['unknown metric', 'get_metrics', { metric_type: 'disk_io' }, /Unknown metric "disk_io".*cpu_usage.*error_rate/],
      ['unknown service', 'get_anomalies', { service: 'billing' }, /Unknown service "billing".*checkout, payments, search/],
      ['since after until', 'get_metrics', { since: '2026-02-17T15:00:00Z', until: '2026-02-17T14:00:00Z' }, /since .* is after until/],
      ['unreadable since', 'get_error_rates', { since: 'yesterday' }, /since "yesterday" is not a time/],
      ['window outside the data', 'get_metrics', { since: '2026-03-01T00:00:00Z' }, /after the last point.*2026-02-17T15:59:00Z/],
      ['alias with no metric here', 'get_metric_at', { metric: 'memory', service: 'nope', timestamp: at(10) }, /Unknown service/],
    ];
    for (const [title, tool, args, pattern] of cases) {
      it(title, async function () {
        const result = await server.call(tool, args);
        assert.equal(result.isError, true);
        assert.match(textOf(result), pattern);
        assert.equal((await server.call('list_metrics')).isError, undefined);
      });
    }
  });
});

describe('metrics server: window summaries on a tiny known series', function () {
  let tmp: string;
  let server: RunningServer;

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-tiny-'));
    const entries = TINY_VALUES.map((v, i) => ({ timestamp: at(i), cpu_usage: v }));
    server = await startServer('metrics', ['--metrics', writeJson(path.join(tmp, 'tiny.json'), { metrics: shuffled(entries, 11) })]);
  });

  after(async function () {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('returns the points themselves when they fit, sorted by time', async function () {
    const out = structuredOf(await server.call('get_metrics', { metric_type: 'cpu' }));
    const series = out.series[0];
    assert.equal(series.view, 'points');
    assert.equal(series.service, undefined);
    assert.deepEqual(series.points.map((p: { value: number }) => p.value), TINY_VALUES);
    assert.deepEqual(series.overall, {
      count: 20, min: 1, max: 20, mean: 10.5, p95: 19,
      min_timestamp: '2026-02-17T12:03:00Z', max_timestamp: '2026-02-17T12:05:00Z',
    });
  });

  it('computes min/max/mean/p95 per window exactly', async function () {
    const out = structuredOf(await server.call('get_metrics', { metric_type: 'cpu_usage', window_minutes: 10 }));
    const [first, second] = out.series[0].windows;
    assert.deepEqual(first, {
      name: 'cpu_usage', timestamp: '2026-02-17T12:00:00Z', end: '2026-02-17T12:10:00Z',
      count: 10, min: 1, max: 20, mean: 9.1, p95: 20,
      min_timestamp: '2026-02-17T12:03:00Z', max_timestamp: '2026-02-17T12:05:00Z',
    });
    assert.deepEqual(
      [second.count, second.min, second.max, second.mean, second.p95, second.max_timestamp],
      [10, 4, 19, 11.9, 19, '2026-02-17T12:10:00Z'],
    );
    const whole = structuredOf(await server.call('get_metrics', { metric_type: 'cpu_usage', window_minutes: 20 }));
    assert.equal(whole.series[0].windows.length, 1);
    assert.equal(whole.series[0].windows[0].p95, 19); // nearest rank: the 19th of 20 sorted values
  });

  it('finds no anomaly in a shuffle of the same values, and says when there are too few points to judge', async function () {
    assert.deepEqual(structuredOf(await server.call('get_anomalies')).anomalies, []);
    const result = await server.call('get_anomalies', { until: at(5) });
    assert.deepEqual(structuredOf(result).notes, ['cpu_usage not examined: only 6 points; at least 8 are needed.']);
    assert.match(textOf(result), /cpu_usage not examined: only 6 points/);
  });
});

describe('metrics server: long series stay bounded', function () {
  let tmp: string;
  let server: RunningServer;

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-long-'));
    const g = noiseSource(5);
    const entries = Array.from({ length: 3000 }, (_, i) => ({ timestamp: at(i), request_rate: 100 + 5 * g() }));
    server = await startServer('metrics', ['--metrics', writeJson(path.join(tmp, 'long.json'), { metrics: entries })]);
  });

  after(async function () {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('summarises 3000 points into at most 60 windows', async function () {
    const result = await server.call('get_metrics', { metric_type: 'traffic' });
    const series = structuredOf(result).series[0];
    assert.equal(series.points_in_range, 3000);
    assert.equal(series.window_minutes, 60);
    assert.ok(series.windows.length <= 60 && series.windows.length >= 50);
    assert.ok(textOf(result).split('\n').length < 90);
  });

  it('widens a requested window that would give too many rows, and says so', async function () {
    const result = await server.call('get_metrics', { metric_type: 'traffic', window_minutes: 1 });
    const series = structuredOf(result).series[0];
    assert.ok(series.windows.length <= 60);
    assert.ok(series.window_minutes > 1);
    assert.match(textOf(result), /window_minutes 1 would give more than 60 rows, so widened/);
  });
});

describe('metrics server: problems with the metrics file', function () {
  let tmp: string;
  const servers: RunningServer[] = [];

  async function serverFor(file: string): Promise<RunningServer> {
    const server = await startServer('metrics', ['--metrics', file]);
    servers.push(server);
    return server;
  }

  async function expectFileError(file: string, pattern: RegExp): Promise<RunningServer> {
    const server = await serverFor(file);
    for (const tool of ['list_metrics', 'get_anomalies', 'get_metrics', 'get_error_rates']) {
      const result = await server.call(tool);
      assert.equal(result.isError, true, tool);
      assert.match(textOf(result), pattern, tool);
    }
    return server;
  }

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-bad-'));
  });

  after(async function () {
    await Promise.all(servers.map((s) => s.close()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('missing file: says so, and picks the file up once it appears', async function () {
    const file = path.join(tmp, 'later.json');
    const server = await expectFileError(file, /does not exist.*--metrics/);
    writeJson(file, { metrics: [{ timestamp: at(0), cpu_usage: 1 }, { timestamp: at(1), cpu_usage: 2 }] });
    const out = structuredOf(await server.call('list_metrics'));
    assert.deepEqual(out.metrics.map((m: { name: string }) => m.name), ['cpu_usage']);
  });

  it('not JSON: names the line', async function () {
    const file = path.join(tmp, 'broken.json');
    fs.writeFileSync(file, '{"metrics": [\n{"timestamp": "2026-02-17T12:00:00Z", "cpu_usage": 1,}\n]}');
    await expectFileError(file, /not valid JSON.*line 2/);
  });

  it('"metrics" not an array', async function () {
    await expectFileError(writeJson(path.join(tmp, 'object.json'), { metrics: { cpu_usage: 1 } }), /"metrics" is an object, not an array/);
    await expectFileError(writeJson(path.join(tmp, 'nokey.json'), { points: [] }), /no "metrics" key.*"points"/);
  });

  it('timestamps unreadable: names the entry and the value', async function () {
    const file = writeJson(path.join(tmp, 'times.json'), {
      metrics: [{ timestamp: 'yesterday', cpu_usage: 1 }, { timestamp: 'later', cpu_usage: 2 }, { cpu_usage: 3 }],
    });
    await expectFileError(file, /metrics\[0\]: timestamp "yesterday" is not an ISO-8601 time.*metrics\[2\]: no "timestamp"/);
  });

  it('no numeric fields: names the field and entry', async function () {
    const file = writeJson(path.join(tmp, 'strings.json'), { metrics: [{ timestamp: at(0), cpu_usage: '45%' }] });
    await expectFileError(file, /no numeric metric fields: cpu_usage in metrics\[0\] is "45%"/);
  });

  it('skips a little junk with a note saying which entry and field', async function () {
    const entries: Record<string, unknown>[] = Array.from({ length: 30 }, (_, i) => ({ timestamp: at(i), cpu_usage: 40 + (i % 3), host: 'web-1' }));
    entries[4]!.cpu_usage = 'N/A';
    entries[9]!.timestamp = 'garbage';
    const server = await serverFor(writeJson(path.join(tmp, 'junk.json'), { metrics: entries }));
    const result = await server.call('list_metrics');
    const out = structuredOf(result);
    assert.deepEqual(out.metrics, [{ name: 'cpu_usage', points: 28, services: [] }]);
    assert.match(out.notes.join('\n'), /metrics\[9\]: timestamp "garbage"/);
    assert.match(out.notes.join('\n'), /cpu_usage: 1 value not a number and skipped \(first metrics\[4\] = "N\/A"\)/);
    assert.match(textOf(await server.call('get_metrics')), /problems that were skipped/);
  });

  it('re-reads the file when it changes', async function () {
    const file = writeJson(path.join(tmp, 'changing.json'), { metrics: [{ timestamp: at(0), cpu_usage: 1 }] });
    const server = await serverFor(file);
    assert.equal(structuredOf(await server.call('list_metrics')).samples, 1);
    writeJson(file, { metrics: [{ timestamp: at(0), cpu_usage: 1, error_rate: 2 }, { timestamp: at(1), cpu_usage: 1, error_rate: 3 }] });
    const out = structuredOf(await server.call('list_metrics'));
    assert.equal(out.samples, 2);
    assert.deepEqual(out.metrics.map((m: { name: string }) => m.name), ['cpu_usage', 'error_rate']);
    fs.writeFileSync(file, 'oops');
    assert.match(textOf(await server.call('list_metrics')), /not valid JSON/);
  });

  it('service filter on data without services', async function () {
    const server = await serverFor(writeJson(path.join(tmp, 'plain.json'), { metrics: [{ timestamp: at(0), cpu_usage: 1 }] }));
    const result = await server.call('get_metrics', { service: 'checkout' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /no service labels/);
  });

  it('reads the file from INCIDENT_METRICS; bad usage exits 2 with usage on stderr', async function () {
    const file = writeJson(path.join(tmp, 'env.json'), { metrics: [{ timestamp: at(0), cpu_usage: 7 }] });
    const server = await startServer('metrics', [], { INCIDENT_METRICS: file });
    servers.push(server);
    assert.equal(structuredOf(await server.call('list_metrics')).samples, 1);
    const bundle = path.join(repoRoot, 'dist', 'servers', 'metrics.js');
    const env = { ...process.env, INCIDENT_METRICS: '' };
    for (const args of [[], ['--nope', 'x'], ['--metrics', file, 'extra']]) {
      const run = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', env, input: '' });
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /usage: node \S*metrics\.js \[options\]\n\s+--metrics VALUE/);
      assert.equal(run.stdout, '');
    }
  });
});

describe('metrics server on the generated fixtures', function () {
  function scenario(name: string): { metrics: string; scenario: { window?: { since?: string; until?: string }; expected: { onset?: string } } } | undefined {
    const dir = path.join(fixturesDir, name);
    const metrics = path.join(dir, 'metrics.json');
    const scenarioFile = path.join(dir, 'scenario.json');
    if (!fs.existsSync(metrics) || !fs.existsSync(scenarioFile)) return undefined;
    return { metrics, scenario: JSON.parse(fs.readFileSync(scenarioFile, 'utf8')) };
  }

  it('checkout-500: the error-rate anomaly starts within 2 minutes of the expected onset', async function () {
    const fixture = scenario('checkout-500');
    if (!fixture?.scenario.expected.onset) this.skip();
    const onset = fixture.scenario.expected.onset;
    const server = await startServer('metrics', ['--metrics', fixture.metrics]);
    try {
      const window = fixture.scenario.window ?? {};
      const anomalies = structuredOf(await server.call('get_anomalies', { ...window, metric: 'errors' })).anomalies as Anomaly[];
      const rise = anomalies.find((a) => a.direction === 'up');
      assert.ok(rise, 'an upward error anomaly');
      assert.ok(Math.abs(minutesFrom(rise.start, onset)) <= 2, `start ${rise.start} vs onset ${onset}`);
      const rates = structuredOf(await server.call('get_error_rates', window));
      assert.ok(Math.abs(minutesFrom(rates.earliest_rise.timestamp, onset)) <= 2, `change point ${rates.earliest_rise.timestamp}`);
    } finally {
      await server.close();
    }
  });

  it('search-memory-leak: memory drifts up from the deploy on, latency rises at the onset, errors after it', async function () {
    const fixture = scenario('search-memory-leak');
    if (!fixture?.scenario.expected.onset) this.skip();
    const onset = fixture.scenario.expected.onset;
    const deployments = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'search-memory-leak', 'deployments.json'), 'utf8'));
    const deploy = deployments.deployments.find((d: { version: string }) => d.version === 'v4.2.0').deployed_at as string;
    const server = await startServer('metrics', ['--metrics', fixture.metrics]);
    try {
      const anomalies = structuredOf(await server.call('get_anomalies', { metric: 'memory', threshold: 20 })).anomalies as Anomaly[];
      const leak = anomalies.find((a) => a.direction === 'up' && a.shape === 'drift');
      assert.ok(leak, 'an upward memory drift');
      const sinceDeploy = minutesFrom(leak.start, deploy);
      assert.ok(sinceDeploy >= 0 && sinceDeploy <= 60, `drift starts ${leak.start}, deploy ${deploy}`);
      const latency = (structuredOf(await server.call('get_anomalies', { metric: 'response_time_ms' })).anomalies as Anomaly[]).find((a) => a.direction === 'up' && minutesFrom(a.start, deploy) > 60);
      assert.ok(latency && Math.abs(minutesFrom(latency.start, onset)) <= 2, `latency rises ${latency?.start} vs onset ${onset}`);
      const errors = structuredOf(await server.call('get_error_rates', {}));
      const errorsAfter = minutesFrom(errors.earliest_rise.start, onset);
      assert.ok(errorsAfter > 2 && errorsAfter <= 60, `errors rise ${errors.earliest_rise.start}, after the onset ${onset}`);
    } finally {
      await server.close();
    }
  });

  // Any other generated scenario: some anomaly should start within 2 minutes of its onset.
  const others = fs.existsSync(fixturesDir)
    ? fs.readdirSync(fixturesDir).filter((name) => !['checkout-500', 'search-memory-leak', 'generate'].includes(name))
    : [];
  for (const name of others) {
    it(`${name}: an anomaly starts within 2 minutes of the expected onset`, async function () {
      const fixture = scenario(name);
      if (!fixture?.scenario.expected.onset) this.skip();
      const onset = fixture.scenario.expected.onset;
      const server = await startServer('metrics', ['--metrics', fixture.metrics]);
      try {
        const result = await server.call('get_anomalies', fixture.scenario.window ?? {});
        const starts = (structuredOf(result).anomalies as Anomaly[]).map((a) => a.start);
        assert.ok(starts.some((start) => Math.abs(minutesFrom(start, onset)) <= 2), `onset ${onset}, found:\n${textOf(result)}`);
      } finally {
        await server.close();
      }
    });
  }
});
