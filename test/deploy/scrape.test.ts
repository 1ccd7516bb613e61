// The scrape test: the four bundled servers in service mode with a bearer token (INCIDENT_MCP_TOKEN), a few tool
// calls each through the SDK's Streamable HTTP client, then a real Prometheus (Debian's, on a free loopback port)
// started on deploy/prometheus/prometheus.yml itself — only the ports and intervals changed, the token in a
// credentials file beside it — and PromQL must return per-tool counters equal to the calls made, `up` 1 for all
// four, and a job without the token must be refused. Skipped, saying why, without prometheus
// (REQUIRE_BACKENDS=1: a failure).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prometheusOrSkip } from '../support/prometheus';
import { scrape, type HttpServerProcess } from '../support/httpServers';
import { freePort } from '../support/ports';
import { SERVER_NAMES, TOOL_COUNTS, deployDir, expectedCounts, makeCalls, startFixtureServer, type ServerName } from './fixtureServers';

const SUGGESTED_PORT: Record<ServerName, number> = { git: 9001, metrics: 9002, logs: 9003, incidents: 9004 };

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** deploy/prometheus/prometheus.yml with the real ports, 1 s intervals, and a second job that has no token. */
function testConfig(ports: Record<ServerName, number>): string {
  let text = fs.readFileSync(path.join(deployDir, 'prometheus', 'prometheus.yml'), 'utf8');
  const replace = (from: string | RegExp, to: string, times: number) => {
    const hits = text.split(from).length - 1;
    assert.equal(hits, times, `prometheus.yml: expected ${times} × ${from}, found ${hits} (update scrape.test.ts)`);
    text = text.split(from).join(to);
  };
  for (const name of SERVER_NAMES) replace(`'127.0.0.1:${SUGGESTED_PORT[name]}'`, `'127.0.0.1:${ports[name]}'`, 1);
  replace('scrape_interval: 15s', 'scrape_interval: 1s', 2);
  replace('evaluation_interval: 15s', 'evaluation_interval: 1s', 1);
  replace('scrape_timeout: 10s', 'scrape_timeout: 1s', 1);
  const targets = SERVER_NAMES.map((n) => `      - targets: ['127.0.0.1:${ports[n]}']\n        labels: { server: ${n} }`).join('\n');
  return `${text}\n  - job_name: without-token\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    honor_labels: true\n    static_configs:\n${targets}\n`;
}

describe('deploy/: a real Prometheus scrapes the four servers', function () {
  this.timeout(60_000);
  const token = crypto.randomBytes(24).toString('base64url');
  const servers: Partial<Record<ServerName, HttpServerProcess>> = {};
  let dir: string | undefined;
  let prometheus: ChildProcess | undefined;
  let promLog = '';
  let promUrl = '';

  async function query(expr: string): Promise<VectorSample[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { status: string; data?: { resultType: string; result: VectorSample[] }; error?: string };
    assert.equal(body.status, 'success', `${expr}: ${body.error}`);
    return body.data!.result;
  }

  /** Polls `expr` until `done` holds for its result (or 20 s pass), and returns the last result. */
  async function until(expr: string, done: (r: VectorSample[]) => boolean): Promise<VectorSample[]> {
    const deadline = Date.now() + 20_000;
    let last: VectorSample[] = [];
    while (Date.now() < deadline) {
      last = await query(expr);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    return last;
  }

  before(async function () {
    const binaries = prometheusOrSkip(this);
    const started = await Promise.allSettled(SERVER_NAMES.map((name) => startFixtureServer(name, { token })));
    started.forEach((s, i) => {
      if (s.status === 'fulfilled') servers[SERVER_NAMES[i]!] = s.value;
    });
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(SERVER_NAMES.map((name) => makeCalls(servers[name]!, token)));

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-scrape-'));
    const ports = Object.fromEntries(SERVER_NAMES.map((n) => [n, servers[n]!.port])) as Record<ServerName, number>;
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), testConfig(ports));
    fs.copyFileSync(path.join(deployDir, 'prometheus', 'alerts.yml'), path.join(dir, 'alerts.yml'));
    fs.writeFileSync(path.join(dir, 'incident-mcp.token'), `${token}\n`, { mode: 0o600 });
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      binaries.prometheus,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr!.on('data', (chunk: Buffer) => {
      promLog = (promLog + chunk.toString()).slice(-20_000);
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (prometheus.exitCode !== null) throw new Error(`prometheus exited during start-up:\n${promLog.slice(-2000)}`);
      try {
        const res = await fetch(`${promUrl}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`prometheus not ready after 20 s:\n${promLog.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    const running = prometheus;
    if (running && running.exitCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the servers refuse /metrics without the token (401) and serve /health without it', async () => {
    for (const name of SERVER_NAMES) {
      const res = await fetch(new URL('/metrics', servers[name]!.url));
      await res.body?.cancel();
      assert.equal(res.status, 401, `${name} /metrics without a token`);
      const wrong = await fetch(new URL('/metrics', servers[name]!.url), { headers: { Authorization: 'Bearer not-the-token' } });
      await wrong.body?.cancel();
      assert.equal(wrong.status, 401, `${name} /metrics with a wrong token`);
      const health = await fetch(new URL('/health', servers[name]!.url));
      assert.equal(health.status, 200, `${name} /health`);
      const body = (await health.json()) as { status: string; server: string; tools: number; source: { ok: boolean } };
      assert.equal(body.status, 'ok');
      assert.equal(body.server, name);
      assert.equal(body.tools, TOOL_COUNTS[name], `${name} /health tools`);
      assert.equal(body.source.ok, true);
    }
  });

  it('up is 1 for all four servers, each with its server label', async () => {
    const up = await until('up{job="incident-analyzer-mcp"}', (r) => r.length === SERVER_NAMES.length && r.every((s) => s.value[1] === '1'));
    assert.deepEqual(
      up.map((s) => [s.metric.server, s.metric.instance, s.value[1]]).sort(),
      SERVER_NAMES.map((n) => [n, `127.0.0.1:${servers[n]!.port}`, '1']).sort(),
      promLog.slice(-2000),
    );
  });

  it('sum by (server, tool) (mcp_tool_calls_total) returns the calls made, and the errors their one failure', async () => {
    const expected = expectedCounts(1);
    const want = [...expected].map(([key, c]) => [key, String(c.calls)]).sort();
    // Every known tool exports a series from the start (at zero): those called are the ones above zero.
    const calls = await until('sum by (server, tool) (mcp_tool_calls_total{job="incident-analyzer-mcp"}) > 0', (r) => r.length >= want.length);
    assert.deepEqual(calls.map((s) => [`${s.metric.server}/${s.metric.tool}`, s.value[1]]).sort(), want);
    const errors = await query('sum by (server, tool) (mcp_tool_errors_total{job="incident-analyzer-mcp"}) > 0');
    const wantErrors = [...expected].filter(([, c]) => c.errors > 0).map(([key, c]) => [key, String(c.errors)]);
    assert.deepEqual(errors.map((s) => [`${s.metric.server}/${s.metric.tool}`, s.value[1]]).sort(), wantErrors.sort());
    // the labels are the servers' own, not renamed to exported_server (honor_labels in prometheus.yml)
    const renamed = await query('count({job="incident-analyzer-mcp", exported_server!=""})');
    assert.deepEqual(renamed, []);
  });

  it('more calls show up in the next scrapes, and the dashboard\'s p95 query answers per server and tool', async () => {
    await Promise.all(SERVER_NAMES.map((name) => makeCalls(servers[name]!, token)));
    const want = [...expectedCounts(2)].map(([key, c]) => [key, String(c.calls)]).sort();
    const calls = await until('sum by (server, tool) (mcp_tool_calls_total{job="incident-analyzer-mcp"}) > 0', (r) =>
      r.length === want.length && r.every((s) => s.value[1] === String(expectedCounts(2).get(`${s.metric.server}/${s.metric.tool}`)?.calls)),
    );
    assert.deepEqual(calls.map((s) => [`${s.metric.server}/${s.metric.tool}`, s.value[1]]).sort(), want);
    const p95 = await query(
      'histogram_quantile(0.95, sum by (server, tool, le) (rate(mcp_tool_call_duration_seconds_bucket{job="incident-analyzer-mcp"}[1m])))',
    );
    const withValue = p95.filter((s) => Number.isFinite(Number(s.value[1])));
    assert.ok(withValue.length > 0, `no p95 series: ${JSON.stringify(p95)}`);
    for (const s of withValue) assert.ok(Number(s.value[1]) >= 0 && Number(s.value[1]) < 5, `${s.metric.server}/${s.metric.tool} p95 ${s.value[1]}`);
    // sanity of the direct read: the token works on /metrics
    const direct = await scrape(servers.logs!.url, token);
    assert.ok(direct.some((s) => s.name === 'mcp_sessions_opened_total' && s.value === 2));
  });

  it('a scrape job without the token is refused: up 0, counted as unauthorized by each server', async () => {
    const up = await until('up{job="without-token"}', (r) => r.length === SERVER_NAMES.length);
    assert.deepEqual(up.map((s) => [s.metric.server, s.value[1]]).sort(), SERVER_NAMES.map((n) => [n, '0']).sort());
    const rejected = await until(
      'sum by (server) (mcp_http_requests_rejected_total{job="incident-analyzer-mcp", reason="unauthorized"})',
      (r) => r.length === SERVER_NAMES.length && r.every((s) => Number(s.value[1]) >= 1),
    );
    assert.deepEqual(rejected.map((s) => s.metric.server).sort(), [...SERVER_NAMES].sort());
  });
});
