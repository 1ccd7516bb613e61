// The metrics server reading a real Prometheus (Debian's 2.42), backfilled with the checkout-500 and
// payments-upstream-outage fixtures converted to the shapes services really expose. One Prometheus serves the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MACHINE_BYTES, openMetricsFromFixture, readFixtureRows, type FixtureRow } from '../support/openMetricsFromFixture';
import { freePort } from '../support/ports';
import { prometheusOrSkip, removePrometheusData, startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { fixturesDir, repoRoot, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';
import { discoverSignals } from '../../mcp-servers/metrics/prometheus/signals';
import { chooseStep, intervalFromCount, rateWindow } from '../../mcp-servers/metrics/prometheus/step';

const MINUTE = 60_000;
const CHECKOUT = path.join(fixturesDir, 'checkout-500', 'metrics.json');
const PAYMENTS = path.join(fixturesDir, 'payments-upstream-outage', 'metrics.json');
const checkoutScenario = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'checkout-500', 'scenario.json'), 'utf8')) as {
  window: { since: string; until: string };
  expected: { onset: string };
};
const minutesBetween = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / MINUTE;

interface Anomaly {
  name: string;
  service?: string;
  start: string;
  direction: string;
}

/** A proxy in front of Prometheus that wants a bearer token (or basic auth), records headers, and can play a stricter backend. */
class GuardedProxy {
  readonly seenHeaders: http.IncomingHttpHeaders[] = [];
  /** When set, range queries with more points than this are refused like Prometheus refuses over 11,000. */
  maxPoints: number | undefined;
  private server: http.Server | undefined;
  url = '';

  constructor(
    private readonly target: string,
    private readonly accepted: string[],
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.seenHeaders.push(req.headers);
      const auth = req.headers.authorization;
      if (!auth) return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('unauthorized\n');
      if (!this.accepted.includes(auth)) return void res.writeHead(403).end('forbidden\n');
      const url = new URL(req.url ?? '/', this.target);
      if (this.maxPoints !== undefined && url.pathname === '/api/v1/query_range') {
        const points = (Number(url.searchParams.get('end')) - Number(url.searchParams.get('start'))) / Number(url.searchParams.get('step'));
        if (points > this.maxPoints) {
          return void res
            .writeHead(400, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: `exceeded maximum resolution of ${this.maxPoints} points per timeseries. Try decreasing the query resolution (?step=XX)` }));
        }
      }
      fetch(url, { headers: { Accept: 'application/json' } })
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => res.writeHead(502).end('bad gateway\n'));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('metrics server over a real Prometheus', function () {
  this.timeout(60_000);
  let prometheus: RunningPrometheus | undefined;
  let server: RunningServer;
  let fileServer: RunningServer;
  const servers: RunningServer[] = [];
  const checkoutRows = readFixtureRows(CHECKOUT);
  const rowAt = (iso: string): FixtureRow => {
    const row = checkoutRows.find((r) => Date.parse(r.timestamp) === Date.parse(iso));
    assert.ok(row, `fixture row at ${iso}`);
    return row;
  };
  const field = (iso: string, name: string) => rowAt(iso)[name] as number;

  async function serve(args: string[], env: Record<string, string> = {}): Promise<RunningServer> {
    const s = await startServer('metrics', args, env);
    servers.push(s);
    return s;
  }

  before(async function () {
    const binaries = prometheusOrSkip(this);
    // checkout-500 has no service column: its rows become service "checkout"; payments has two services of its own.
    const rows = [...checkoutRows.map((r) => ({ ...r, service: 'checkout' })), ...readFixtureRows(PAYMENTS)];
    prometheus = await startPrometheus(binaries, openMetricsFromFixture(rows));
    server = await serve(['--prometheus', prometheus.url]);
    fileServer = await serve(['--metrics', CHECKOUT]);
  });

  after(async function () {
    await Promise.all(servers.map((s) => s.close()));
    if (prometheus) {
      await prometheus.stop();
      removePrometheusData(prometheus);
    }
  });

  it('says on stderr which Prometheus it reads', function () {
    assert.match(server.stderr(), new RegExp(`reading Prometheus at ${prometheus!.url.replace(/\./g, '\\.')} \\(no credentials\\)`));
  });

  it('list_metrics: signals by convention, services, the exact span and interval, how each is computed', async function () {
    const out = structuredOf(await server.call('list_metrics'));
    assert.deepEqual(
      out.metrics.map((m: { name: string }) => m.name),
      ['cpu_usage', 'db_pool_active', 'db_pool_waiting', 'error_rate', 'event_loop_lag_ms', 'latency_p95_ms', 'memory_rss_mb', 'refunds_queued', 'request_rate'],
    );
    assert.deepEqual(out.services, ['checkout', 'payments-api', 'refund-worker']);
    assert.equal(out.start, '2026-02-17T02:00:00Z'); // the first fixture row, found by probing 400 days back
    assert.equal(out.end, '2026-03-05T10:29:00Z');
    assert.equal(out.interval_seconds, 60);
    assert.deepEqual(out.aliases.errors, ['error_rate']);
    assert.deepEqual(out.aliases.latency, ['event_loop_lag_ms', 'latency_p95_ms']); // _ms: as from the file
    assert.deepEqual(out.aliases.memory, ['memory_rss_mb']);
    assert.match(out.definitions.error_rate.query, /status=~"5\.\."\}\[\$__rate_interval\]/);
    assert.match(out.definitions.latency_p95_ms.query, /histogram_quantile\(0\.95, sum by \(service, le\)/);
    assert.deepEqual(out.notes, []);
  });

  it('list_metrics: raw metric names and label sets, filtered and paged', async function () {
    const first = structuredOf(await server.call('list_metrics', { match: 'HTTP_', limit: 2 }));
    assert.equal(first.raw_metrics.total, 4); // http_requests_total and the histogram's _bucket, _count, _sum
    assert.deepEqual(first.raw_metrics.metrics.map((m: { name: string }) => m.name), ['http_request_duration_seconds_bucket', 'http_request_duration_seconds_count']);
    assert.equal(first.raw_metrics.next_offset, 2);
    const second = structuredOf(await server.call('list_metrics', { match: 'http_', offset: 2, limit: 2 }));
    assert.equal(second.raw_metrics.next_offset, null);
    const requests = second.raw_metrics.metrics.find((m: { name: string }) => m.name === 'http_requests_total');
    assert.equal(requests.series, 6);
    assert.deepEqual(requests.labels, { service: ['checkout', 'payments-api', 'refund-worker'], status: ['200', '500'] });
    const inWindow = structuredOf(await server.call('list_metrics', { match: 'refunds', since: '2026-02-17T00:00:00Z', until: '2026-02-18T00:00:00Z' }));
    assert.equal(inWindow.raw_metrics.total, 0, 'refunds_queued has no samples on the checkout day');
  });

  it('get_metrics: real values from the conventional shapes', async function () {
    const since = '2026-02-17T14:40:00Z';
    const until = '2026-02-17T14:50:00Z';
    const read = async (metric: string) => {
      const out = structuredOf(await server.call('get_metrics', { metric_type: metric, service: 'checkout', since, until }));
      assert.equal(out.series.length, 1, metric);
      const s = out.series[0];
      assert.equal(s.view, 'points');
      assert.equal(s.interval_seconds, 60);
      assert.ok(s.query.includes('service="checkout"'), s.query);
      return new Map<string, number>(s.points.map((p: { timestamp: string; value: number }) => [p.timestamp, p.value]));
    };
    // rate() over [2m] at 14:46 spans the increments of 14:45 and 14:46: the request-weighted mean of the two rows.
    const [t45, t46] = ['2026-02-17T14:45:00Z', '2026-02-17T14:46:00Z'];
    const rr = (t: string) => field(t, 'request_rate');
    const errors = await read('error_rate');
    const expectedErrors = (rr(t45) * field(t45, 'error_rate') + rr(t46) * field(t46, 'error_rate')) / (rr(t45) + rr(t46));
    assert.ok(Math.abs(errors.get(t46)! - expectedErrors) < 0.01, `error_rate ${errors.get(t46)} vs ${expectedErrors}`);
    assert.equal(errors.size, 11);
    const requests = await read('request_rate');
    assert.ok(Math.abs(requests.get(t46)! - (rr(t45) + rr(t46)) / 2) < 0.01);
    const cpu = await read('cpu_usage');
    assert.ok(Math.abs(cpu.get(t46)! - (field(t45, 'cpu_usage') + field(t46, 'cpu_usage')) / 2) < 0.01);
    const memory = await read('memory_rss_mb');
    assert.ok(Math.abs(memory.get(t45)! - (field(t45, 'memory_usage') / 100) * (MACHINE_BYTES / 1048576)) < 0.01);
    const latency = await read('latency_p95_ms');
    const [low, high] = [field(t45, 'response_time_ms'), field(t46, 'response_time_ms')].sort((a, b) => a - b);
    assert.ok(latency.get(t46)! >= low! - 1 && latency.get(t46)! <= high! + 1, `p95 ${latency.get(t46)} between ${low} and ${high}`);
    const waiting = await read('db_pool_waiting');
    assert.equal(waiting.get(t46), field(t46, 'db_pool_waiting'));
  });

  it('get_anomalies and get_error_rates date the checkout error rise at the same minute as the file-based server', async function () {
    // Both read the incident window; Prometheus' error_rate is a rate() over two minutes, so it could lag the
    // file's per-minute rows by up to one minute. It does not here: the 14:45 row alone lifts the window's ratio
    // from 0.1% to 5.6%, far past the threshold, so both find 14:45 (the scenario's onset).
    const window = checkoutScenario.window;
    const fromFile = structuredOf(await fileServer.call('get_error_rates', window)).earliest_rise;
    const fromPrometheus = structuredOf(await server.call('get_error_rates', { ...window, service: 'checkout' })).earliest_rise;
    assert.equal(fromPrometheus.name, 'error_rate');
    assert.equal(fromPrometheus.service, 'checkout');
    assert.ok(Math.abs(minutesBetween(fromPrometheus.start, fromFile.start)) <= 1, `Prometheus ${fromPrometheus.start}, file ${fromFile.start}`);
    assert.ok(Math.abs(minutesBetween(fromPrometheus.start, checkoutScenario.expected.onset)) <= 1);

    const fileAnomalies = structuredOf(await fileServer.call('get_anomalies', { ...window, metric: 'errors' })).anomalies as Anomaly[];
    const promAnomalies = structuredOf(await server.call('get_anomalies', { ...window, metric: 'errors', service: 'checkout' })).anomalies as Anomaly[];
    const fileRise = fileAnomalies.find((a) => a.direction === 'up')!;
    const promRise = promAnomalies.find((a) => a.direction === 'up')!;
    assert.ok(promRise, 'an upward error anomaly from Prometheus');
    assert.ok(Math.abs(minutesBetween(promRise.start, fileRise.start)) <= 1, `Prometheus ${promRise.start}, file ${fileRise.start}`);

    // Without a service the whole data is read (two incidents, 16 days apart), and the checkout rise is still found.
    const all = structuredOf(await server.call('get_error_rates', window));
    assert.equal(all.earliest_rise.service, 'checkout');
  });

  it('get_metric_at: the value re-queried at that instant, with its PromQL, as evidence', async function () {
    const exact = structuredOf(await server.call('get_metric_at', { metric: 'error_rate', service: 'checkout', timestamp: '2026-02-17T14:47:00Z', neighbours: 1 }));
    const s = exact.series[0];
    assert.equal(s.nearest.timestamp, '2026-02-17T14:47:00Z');
    assert.equal(s.offset_seconds, 0);
    assert.equal(s.around.length, 3);
    assert.equal(s.instant.timestamp, '2026-02-17T14:47:00Z');
    assert.equal(s.instant.value, s.nearest.value, 'the instant query gives the same value as the range read at that time');
    assert.match(s.instant.query, /^100 \* \(sum by \(service\) \(rate\(http_requests_total\{service="checkout",status=~"5\.\."\}\[120s\]\)\)/);

    const between = structuredOf(await server.call('get_metric_at', { metric: 'errors', service: 'checkout', timestamp: '2026-02-17 14:47:20' }));
    assert.equal(between.series[0].nearest.timestamp, '2026-02-17T14:47:00Z');
    assert.equal(between.series[0].offset_seconds, -20);
    assert.equal(between.series[0].instant.timestamp, '2026-02-17T14:47:20Z');
    assert.match(textOf(await server.call('get_metric_at', { metric: 'error_rate', service: 'checkout', timestamp: '2026-02-17T14:47:00Z' })), /At exactly 2026-02-17T14:47:00Z: [\d.]+ from PromQL 100 \* /);
  });

  it('get_metrics with a PromQL query', async function () {
    const result = await server.call('get_metrics', {
      query: 'sum by (status) (rate(http_requests_total{service="checkout"}[$__rate_interval]))',
      since: '2026-02-17T14:40:00Z',
      until: '2026-02-17T14:50:00Z',
    });
    const out = structuredOf(result);
    assert.deepEqual(out.metrics, ['{status="200"}', '{status="500"}']);
    assert.equal(out.query, 'sum by (status) (rate(http_requests_total{service="checkout"}[120s]))');
    const fiveHundreds = out.series[1].points.find((p: { timestamp: string }) => p.timestamp === '2026-02-17T14:46:00Z').value;
    const t45 = '2026-02-17T14:45:00Z';
    const t46 = '2026-02-17T14:46:00Z';
    const expected = (field(t45, 'request_rate') * field(t45, 'error_rate') + field(t46, 'request_rate') * field(t46, 'error_rate')) / 200;
    assert.ok(Math.abs(fiveHundreds - expected) < 0.01, `${fiveHundreds} vs ${expected}`);
    const bad = await server.call('get_metrics', { query: 'sum(rate(http_requests_total[5m]', since: '2026-02-17T14:40:00Z' });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /refused \/api\/v1\/query_range: bad_data: .*parse error/);
  });

  it('get_metrics with label matchers on a raw metric and on a signal', async function () {
    const window = { since: '2026-02-17T14:40:00Z', until: '2026-02-17T14:50:00Z' };
    const raw = structuredOf(await server.call('get_metrics', { metric_type: 'http_requests_total', matchers: { status: '500' }, service: 'checkout', ...window }));
    assert.deepEqual(raw.metrics, ['http_requests_total{status="500"}']);
    assert.equal(raw.query, 'rate(http_requests_total{status="500"}[120s])');
    assert.match(raw.notes.join(' '), /is a counter: shown as its per-second rate/);
    const signal = structuredOf(await server.call('get_metrics', { metric_type: 'request_rate', matchers: { status: '~5..' }, service: 'checkout', ...window }));
    assert.equal(signal.series.length, 1);
    assert.match(signal.query, /http_requests_total\{status=~"5\.\.",service="checkout"\}/);
    const at = (out: { series: { points: { timestamp: string; value: number }[] }[] }) => out.series[0]!.points.find((p) => p.timestamp === '2026-02-17T14:48:00Z')!.value;
    assert.ok(Math.abs(at(raw) - at(signal)) < 1e-9, 'the same requests either way');
    const none = await server.call('get_metrics', { metric_type: 'http_requests_total', matchers: { status: '418' }, ...window });
    assert.equal(none.isError, true);
    assert.match(textOf(none), /gave no points between 2026-02-17T14:40:00Z and 2026-02-17T14:50:00Z/);
  });

  it('a window far over the point limit is read at a wider step, and stays within the budget', async function () {
    // 700 days at the 1-minute scrape interval would be a million points; Prometheus refuses more than 11,000.
    const out = structuredOf(await server.call('get_metrics', { metric_type: 'error_rate', service: 'checkout', since: '2025-03-01T00:00:00Z', until: '2027-01-30T00:00:00Z' }));
    const s = out.series[0];
    assert.ok(s.points_in_range <= 1500, `${s.points_in_range} points`);
    assert.match(s.query, /\[43200s\]/, 'a 12 h step and a rate window as wide');
  });

  it('a window with no data says what the data covers', async function () {
    const before = await server.call('get_metrics', { since: '2025-06-01T00:00:00Z', until: '2025-06-02T00:00:00Z' });
    assert.equal(before.isError, true);
    assert.match(textOf(before), /until 2025-06-02T00:00:00Z is before the first point: the data covers 2026-02-17T02:00:00Z \.\. 2026-03-05T10:29:00Z/);
    const gap = await server.call('get_metrics', { metric_type: 'errors', since: '2026-02-25T00:00:00Z', until: '2026-02-25T06:00:00Z' });
    assert.equal(gap.isError, true);
    assert.match(textOf(gap), /No points for error_rate between 2026-02-25T00:00:00Z and 2026-02-25T06:00:00Z; the data covers/);
  });

  it('a lookback that ends before the data says how to reach it; query on a file source says what it needs', async function () {
    const short = await serve(['--prometheus', prometheus!.url, '--prometheus-lookback', '30d']);
    const result = await short.call('get_error_rates');
    assert.equal(result.isError, true);
    assert.match(textOf(result), /has no metrics in the last 30 days\. If the incident is older, raise --prometheus-lookback/);
    const onFile = await fileServer.call('get_metrics', { query: 'up' });
    assert.equal(onFile.isError, true);
    assert.match(textOf(onFile), /query and matchers need a Prometheus source \(--prometheus URL\)/);
  });

  it('team signals from --signals: computed, listed with their services; a broken one is left out with a note', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signals-'));
    try {
      const file = path.join(dir, 'signals.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          signals: {
            failed_requests_per_s: 'sum by (service) (rate(http_requests_total{status=~"5.."}[$__rate_interval]))',
            broken: 'sum(rate(http_requests_total[5m]',
          },
        }),
      );
      const team = await serve(['--prometheus', prometheus!.url, '--signals', file]);
      const list = structuredOf(await team.call('list_metrics'));
      assert.ok(list.metrics.some((m: { name: string; services: string[] }) => m.name === 'failed_requests_per_s' && m.services.includes('checkout')));
      assert.ok(!list.metrics.some((m: { name: string }) => m.name === 'broken'));
      assert.match(list.notes.join('\n'), /team signal broken left out: .*parse error/);
      assert.match(list.definitions.failed_requests_per_s.origin, /team signal from .*signals\.json/);
      const rise = structuredOf(await team.call('get_anomalies', { ...checkoutScenario.window, metric: 'failed_requests_per_s', service: 'checkout' }));
      assert.ok(Math.abs(minutesBetween(rise.earliest.start, checkoutScenario.expected.onset)) <= 1, rise.earliest.start);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('behind a proxy that wants credentials', function () {
    let proxy: GuardedProxy;
    const token = 'tok-3f9a1c-secret';

    before(async function () {
      proxy = new GuardedProxy(prometheus!.url, [`Bearer ${token}`, `Basic ${Buffer.from('alice:pa55').toString('base64')}`]);
      await proxy.start();
    });

    after(async function () {
      await proxy?.stop();
    });

    it('401 without credentials, 403 with a wrong token: errors that say which variable to set', async function () {
      const none = await serve(['--prometheus', proxy.url]);
      const unauthorised = await none.call('list_metrics');
      assert.equal(unauthorised.isError, true);
      assert.match(textOf(unauthorised), /answered 401 Unauthorized\. No credentials were given\. Set INCIDENT_PROMETHEUS_TOKEN/);
      const wrong = await serve(['--prometheus', proxy.url], { INCIDENT_PROMETHEUS_TOKEN: 'nope' });
      const forbidden = await wrong.call('get_error_rates');
      assert.equal(forbidden.isError, true);
      assert.match(textOf(forbidden), /answered 403 Forbidden.*INCIDENT_PROMETHEUS_TOKEN/);
      assert.ok(!textOf(forbidden).includes('nope') && !wrong.stderr().includes('nope'), 'the token is never shown');
    });

    it('the token from the environment and a tenant header from the flag reach Prometheus; the token is never logged', async function () {
      const ok = await serve(['--prometheus', proxy.url, '--prometheus-header', 'X-Scope-OrgID: team-a'], { INCIDENT_PROMETHEUS_TOKEN: token });
      const out = structuredOf(await ok.call('get_error_rates', { ...checkoutScenario.window, service: 'checkout' }));
      assert.equal(out.earliest_rise.start, '2026-02-17T14:45:00Z');
      const fromServer = proxy.seenHeaders.filter((h) => h.authorization === `Bearer ${token}`);
      assert.ok(fromServer.length > 0 && fromServer.every((h) => h['x-scope-orgid'] === 'team-a'));
      assert.match(ok.stderr(), /bearer token from INCIDENT_PROMETHEUS_TOKEN, headers X-Scope-OrgID/);
      assert.ok(!ok.stderr().includes(token));
    });

    it('basic auth from INCIDENT_PROMETHEUS_USER/PASSWORD, headers from INCIDENT_PROMETHEUS_HEADERS (one per line)', async function () {
      const before = proxy.seenHeaders.length;
      const basic = await serve(['--prometheus', proxy.url], {
        INCIDENT_PROMETHEUS_USER: 'alice',
        INCIDENT_PROMETHEUS_PASSWORD: 'pa55',
        INCIDENT_PROMETHEUS_HEADERS: 'X-Scope-OrgID: team-b\nX-Extra: 1',
      });
      assert.equal((await basic.call('list_metrics')).isError, undefined);
      const seen = proxy.seenHeaders.slice(before);
      assert.ok(seen.every((h) => h['x-scope-orgid'] === 'team-b' && h['x-extra'] === '1'));
      assert.ok(!basic.stderr().includes('pa55'));
    });

    it('a backend with a lower point limit: the step is widened and the answer says so', async function () {
      proxy.maxPoints = 100;
      try {
        const strict = await serve(['--prometheus', proxy.url], { INCIDENT_PROMETHEUS_TOKEN: token });
        const result = await strict.call('get_metrics', { metric_type: 'error_rate', service: 'checkout', since: '2026-02-17T12:00:00Z', until: '2026-02-17T15:00:00Z' });
        const out = structuredOf(result);
        assert.match(out.notes.join(' '), /Prometheus refused 181 points per series at a 1 min step .*exceeded maximum resolution.*widened to 5 min/);
        assert.equal(out.series[0].interval_seconds, 300);
      } finally {
        proxy.maxPoints = undefined;
      }
    });
  });

  it('an unreachable URL gives a clear error naming it, within seconds', async function () {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const nowhere = await serve(['--prometheus', closed]);
    const started = Date.now();
    const result = await nowhere.call('list_metrics');
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    assert.equal(result.isError, true);
    assert.match(textOf(result), new RegExp(`Cannot reach Prometheus at ${closed.replace(/\./g, '\\.')}: connection refused.*--prometheus`));
  });

  it('an address that takes the connection but never answers (a firewall, a proxy) fails within seconds too', async function () {
    const silent = net.createServer(() => undefined); // accepts, never says a word
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const mute = await serve(['--prometheus', `http://127.0.0.1:${port}`]);
      const started = Date.now();
      const result = await mute.call('list_metrics');
      assert.ok(Date.now() - started < 7000, `${Date.now() - started} ms`);
      assert.equal(result.isError, true);
      assert.match(textOf(result), new RegExp(`Cannot reach Prometheus at http://127\\.0\\.0\\.1:${port}: no answer within 5 s`));
    } finally {
      silent.close();
    }
  });

  it('--help lists the flags; bad usage exits 2 and never takes credentials on argv', function () {
    const bundle = path.join(repoRoot, 'dist', 'servers', 'metrics.js');
    const help = spawnSync(process.execPath, [bundle, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    for (const flag of ['--metrics', '--prometheus', '--signals', '--prometheus-header', '--prometheus-lookback']) assert.match(help.stdout, new RegExp(`${flag} VALUE`));
    assert.match(help.stdout, /INCIDENT_PROMETHEUS_TOKEN/);
    const env = { ...process.env, INCIDENT_METRICS: '', INCIDENT_PROMETHEUS_URL: '' };
    const cases: [string[], RegExp][] = [
      [['--prometheus', 'not a url'], /is not a URL/],
      [['--prometheus', 'http://u:p@127.0.0.1:9090'], /must not carry credentials in the URL/],
      [['--metrics', CHECKOUT, '--prometheus', 'http://127.0.0.1:9090'], /not both/],
      [['--prometheus', 'http://127.0.0.1:9090', '--prometheus-header', 'Authorization: Bearer x'], /not on the command line/],
      [['--prometheus', 'http://127.0.0.1:9090', '--prometheus-lookback', 'soon'], /not a duration/],
      [['--prometheus', 'http://127.0.0.1:9090', '--signals', '/nonexistent/signals.json'], /cannot read the signals file/],
      [['--metrics', CHECKOUT, '--signals', '/tmp/signals.json'], /--signals needs --prometheus URL/],
    ];
    for (const [args, pattern] of cases) {
      const run = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', env, input: '' });
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, pattern);
    }
  });

  // Last: it stops the shared Prometheus.
  it('Prometheus stopped mid-session: a clear tool error, the server stays up, and answers again once it is back', async function () {
    const session = await serve(['--prometheus', prometheus!.url]);
    const args = { metric_type: 'error_rate', service: 'checkout', since: '2026-02-17T14:40:00Z', until: '2026-02-17T14:50:00Z' };
    assert.equal((await session.call('get_metrics', args)).isError, undefined);
    await prometheus!.stop();
    const down = await session.call('get_metrics', args);
    assert.equal(down.isError, true);
    assert.match(textOf(down), new RegExp(`Cannot reach Prometheus at ${prometheus!.url.replace(/\./g, '\\.')}: connection refused`));
    await prometheus!.restart();
    const back = structuredOf(await session.call('get_metrics', args));
    assert.equal(back.series[0].points.length, 11);
  });
});

// The conventions themselves, on label sets as /api/v1/series returns them (no server needed).
describe('Prometheus signal discovery and step choice', function () {
  const sets = (name: string, ...labels: Record<string, string>[]) => labels.map((l) => ({ __name__: name, ...l }));

  it('names services by service, else job, else app; container metrics by container before job', function () {
    const names = ['http_requests_total', 'process_cpu_seconds_total', 'container_memory_working_set_bytes', 'queue_depth_waiting'];
    const signals = discoverSignals(names, [
      ...sets('http_requests_total', { job: 'api', code: '200' }, { job: 'api', code: '503' }, { job: 'web', code: '200' }),
      ...sets('process_cpu_seconds_total', { app: 'api', instance: 'a' }),
      ...sets('container_memory_working_set_bytes', { job: 'kubelet', container: 'api' }, { job: 'kubelet', container: '' }),
      ...sets('queue_depth_waiting', {}),
    ]);
    const byName = new Map(signals.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ['cpu_usage', 'error_rate', 'memory_working_set_mb', 'queue_depth_waiting', 'request_rate']);
    assert.equal(byName.get('request_rate')!.serviceLabel, 'job');
    assert.deepEqual(byName.get('request_rate')!.services, ['api', 'web']);
    assert.equal(
      byName.get('error_rate')!.expression('120s', [{ label: 'job', op: '=', value: 'api' }]),
      '100 * (sum by (job) (rate(http_requests_total{job="api",code=~"5.."}[120s])) or 0 * sum by (job) (rate(http_requests_total{job="api"}[120s]))) / sum by (job) (rate(http_requests_total{job="api"}[120s]))',
    );
    assert.equal(byName.get('cpu_usage')!.serviceLabel, 'app');
    assert.equal(byName.get('memory_working_set_mb')!.serviceLabel, 'container');
    assert.match(byName.get('memory_working_set_mb')!.expression('60s', []), /container!~"\|POD"/);
    assert.equal(byName.get('queue_depth_waiting')!.serviceLabel, undefined);
    assert.equal(byName.get('queue_depth_waiting')!.expression('60s', []), 'sum (queue_depth_waiting)');
  });

  it('several request and latency families: http_* takes the plain name; no status label, no error_rate; counters, histogram parts and the monitoring stack’s own metrics are not signals', function () {
    const names = [
      'grpc_server_requests_total',
      'http_server_requests_seconds_bucket',
      'http_server_requests_seconds_count',
      'http_server_requests_seconds_sum',
      'rpc_duration_seconds_bucket',
      'db_pool_waiting_total',
      'worker_pool_utilization',
      'prometheus_http_requests_total',
      'prometheus_remote_storage_pending_samples',
    ];
    const signals = discoverSignals(names, [
      ...sets('grpc_server_requests_total', { service: 'a' }),
      ...sets('http_server_requests_seconds_count', { service: 'a', status: '500' }),
      ...sets('http_server_requests_seconds_bucket', { service: 'a', le: '0.1' }),
      ...sets('rpc_duration_seconds_bucket', { service: 'a', le: '0.1' }),
      ...sets('db_pool_waiting_total', { service: 'a' }),
      ...sets('worker_pool_utilization', { service: 'a' }),
      ...sets('prometheus_http_requests_total', { job: 'prometheus', code: '200' }),
      ...sets('prometheus_remote_storage_pending_samples', { job: 'prometheus' }),
    ]);
    assert.deepEqual(signals.map((s) => s.name).sort(), [
      'error_rate',
      'grpc_server_request_rate',
      'latency_p95_ms',
      'request_rate',
      'rpc_latency_p95_ms',
      'worker_pool_utilization',
    ]);
    assert.match(signals.find((s) => s.name === 'worker_pool_utilization')!.expression('60s', []), /^avg by \(service\)/);
  });

  it('steps: within 1,500 points, never finer than the scrape interval, on readable sizes; rate windows hold two samples', function () {
    const hour = 3_600_000;
    assert.equal(chooseStep(0, 2 * hour, 15_000), 15_000);
    assert.equal(chooseStep(0, 24 * hour, 15_000), 60_000);
    assert.equal(chooseStep(0, 7 * 24 * hour, 60_000), 600_000);
    assert.equal(rateWindow(15_000, 15_000), 30_000);
    assert.equal(rateWindow(600_000, 60_000), 600_000);
    assert.equal(intervalFromCount(30 * 60_000, 31), 60_000);
    assert.equal(intervalFromCount(30 * 60_000, 121), 15_000);
    assert.equal(intervalFromCount(30 * 60_000, 1), undefined);
  });
});
