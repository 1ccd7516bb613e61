// deploy/grafana/incident-analyzer-mcp.json: a well-formed dashboard (variables, datasources, layout, PromQL that
// promtool parses), and every metric it or the alert rules read is one the servers really export — read from
// /metrics of the four bundled servers started in service mode after one round of tool calls. That last test is
// the one that catches drift between the servers and deploy/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scrape, type HttpServerProcess, type Sample } from '../support/httpServers';
import { prometheusOrSkip } from '../support/prometheus';
import { CALLS, SERVER_NAMES, deployDir, expectedCounts, makeCalls, metricNamesIn, startFixtureServer, type ServerName } from './fixtureServers';

interface Target {
  expr?: unknown;
  refId?: unknown;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: unknown;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
}

const dashboardFile = path.join(deployDir, 'grafana', 'incident-analyzer-mcp.json');
const alertsFile = path.join(deployDir, 'prometheus', 'alerts.yml');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const dashboard: any = JSON.parse(fs.readFileSync(dashboardFile, 'utf8'));
const allPanels: Panel[] = (dashboard.panels as Panel[]).flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = allPanels.filter((p) => p.type !== 'row');
const dashboardExprs = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title ?? '?', expr: String(t.expr) })));

/** The `expr:` of every rule in alerts.yml (single-line or a `|` block). */
function alertExprs(): Array<{ alert: string; expr: string }> {
  const lines = fs.readFileSync(alertsFile, 'utf8').split('\n');
  const out: Array<{ alert: string; expr: string }> = [];
  let alert = '?';
  for (let i = 0; i < lines.length; i++) {
    const a = /- alert: (\S+)/.exec(lines[i]!);
    if (a) alert = a[1]!;
    const e = /^(\s*)expr:\s*(.*)$/.exec(lines[i]!);
    if (!e) continue;
    if (e[2] !== '|' && e[2] !== '>') {
      out.push({ alert, expr: e[2]! });
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || lines[i + 1]!.search(/\S/) > e[1]!.length)) block.push(lines[++i]!);
    out.push({ alert, expr: block.join('\n').trim() });
  }
  return out;
}

describe('deploy/grafana dashboard', function () {
  it('is a Grafana dashboard of schemaVersion ~39 with a uid, a title and the datasource and server variables', () => {
    assert.ok(dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41, `schemaVersion ${dashboard.schemaVersion}`);
    assert.equal(typeof dashboard.uid, 'string');
    assert.equal(typeof dashboard.title, 'string');
    const vars = dashboard.templating.list as Array<Record<string, unknown>>;
    const ds = vars.find((v) => v.name === 'datasource');
    assert.ok(ds, 'a datasource variable');
    assert.equal(ds.type, 'datasource');
    assert.equal(ds.query, 'prometheus');
    const server = vars.find((v) => v.name === 'server');
    assert.ok(server, 'a server variable');
    assert.equal(server.type, 'query');
    assert.deepEqual(server.datasource, { type: 'prometheus', uid: '${datasource}' });
    assert.equal(server.definition, 'label_values(mcp_tool_calls_total, server)');
    assert.equal((server.query as { query: string }).query, 'label_values(mcp_tool_calls_total, server)');
    assert.equal(server.multi, true);
    assert.equal(server.includeAll, true);
  });

  it('every panel has a unique id, a gridPos inside 24 columns, the $datasource, and targets with an expr', () => {
    const ids = allPanels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate panel ids: ${ids.join(',')}`);
    for (const p of allPanels) {
      assert.ok(Number.isInteger(p.id), `${p.title}: id`);
      const g = p.gridPos;
      assert.ok(g && [g.h, g.w, g.x, g.y].every((n) => Number.isInteger(n) && n >= 0), `${p.title}: gridPos ${JSON.stringify(g)}`);
      assert.ok(g.w > 0 && g.h > 0 && g.x + g.w <= 24, `${p.title}: gridPos ${JSON.stringify(g)} outside 24 columns`);
      if (p.type === 'row') continue;
      assert.ok(typeof p.title === 'string' && p.title.length > 0, `panel ${p.id} has no title`);
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, `${p.title}: datasource`);
      assert.ok(Array.isArray(p.targets) && p.targets.length > 0, `${p.title}: no targets`);
      const refIds = p.targets.map((t) => t.refId);
      assert.equal(new Set(refIds).size, refIds.length, `${p.title}: duplicate refIds`);
      for (const t of p.targets) {
        assert.ok(typeof t.expr === 'string' && t.expr.trim().length > 0, `${p.title}: a target without expr`);
        assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' }, `${p.title}: target datasource`);
      }
    }
  });

  it('no two panels overlap', () => {
    for (let i = 0; i < allPanels.length; i++) {
      for (let j = i + 1; j < allPanels.length; j++) {
        const a = allPanels[i]!.gridPos!;
        const b = allPanels[j]!.gridPos!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `"${allPanels[i]!.title}" ${JSON.stringify(a)} overlaps "${allPanels[j]!.title}" ${JSON.stringify(b)}`);
      }
    }
  });

  it('every query is narrowed by $server and uses only defined variables', () => {
    const defined = new Set([...(dashboard.templating.list as Array<{ name: string }>).map((v) => v.name), '__rate_interval', '__interval', '__range']);
    for (const { panel, expr } of dashboardExprs) {
      assert.match(expr, /server=~"\$server"/, `${panel}: ${expr}`);
      for (const m of expr.matchAll(/\$\{?(\w+)/g)) assert.ok(defined.has(m[1]!), `${panel}: $${m[1]} is not a variable`);
    }
  });

  it('has the panels asked for: calls/s, errors/s, error ratio, p95 per server and tool, in-flight, sessions, memory', () => {
    const has = (re: RegExp) => dashboardExprs.some(({ expr }) => re.test(expr.replace(/\s+/g, ' ')));
    assert.ok(has(/sum by \(server, tool\) \(rate\(mcp_tool_calls_total\{/), 'calls/s by server and tool');
    assert.ok(has(/^sum by \(server, tool\) \(rate\(mcp_tool_errors_total\{[^}]*\}\[\$__rate_interval\]\)\)$/), 'errors/s by server and tool');
    assert.ok(has(/mcp_tool_errors_total.*\/.*mcp_tool_calls_total/), 'error ratio');
    assert.ok(has(/histogram_quantile\(0\.95, sum by \(server, tool, le\) \(rate\(mcp_tool_call_duration_seconds_bucket/), 'p95 by server and tool');
    assert.ok(has(/mcp_tool_calls_in_flight/), 'in-flight calls');
    assert.ok(has(/mcp_sessions\{/), 'sessions');
    assert.ok(has(/process_resident_memory_bytes/), 'process memory');
  });

  it('every query is PromQL that promtool parses (as recording rules, variables filled in)', function () {
    const binaries = prometheusOrSkip(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-dashboard-'));
    try {
      const rules = dashboardExprs.map(({ expr }, i) => {
        const filled = expr.replace(/\$__rate_interval/g, '1m').replace(/\$server/g, '.*');
        return `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(filled)}`;
      });
      fs.writeFileSync(path.join(dir, 'rules.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      const run = spawnSync(binaries.promtool, ['check', 'rules', 'rules.yml'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
      assert.match(run.stdout, new RegExp(`SUCCESS: ${dashboardExprs.length} rules found`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('metricNamesIn finds metric names and skips functions, labels, ranges and keywords', () => {
    assert.deepEqual(
      metricNamesIn('histogram_quantile(0.95, sum by (server, tool, le) (rate(a_bucket{server=~"$server", x="up"}[$__rate_interval]))) > 5 and on (server) sum without (le) (b_total offset 5m) > 1e3'),
      ['a_bucket', 'b_total'],
    );
    assert.deepEqual(metricNamesIn('up{job="x"} == 0'), ['up']);
  });
});

describe('deploy/ metric names against what the servers export (service mode)', function () {
  this.timeout(60_000);
  const servers: Partial<Record<ServerName, HttpServerProcess>> = {};
  const exported = new Map<ServerName, { samples: Sample[]; names: Set<string> }>();

  before(async function () {
    const started = await Promise.allSettled(SERVER_NAMES.map((name) => startFixtureServer(name)));
    started.forEach((s, i) => {
      if (s.status === 'fulfilled') servers[SERVER_NAMES[i]!] = s.value;
    });
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const name of SERVER_NAMES) {
      const server = servers[name]!;
      await makeCalls(server);
      // one request refused by the DNS-rebinding check, so that the rejection counter has a series
      const refused = await fetch(new URL('/mcp', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'http://evil.example' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      await refused.body?.cancel();
      assert.equal(refused.status, 403, `${name}: a foreign Origin should get 403`);
      const res = await fetch(new URL('/metrics', server.url));
      const text = await res.text();
      assert.equal(res.status, 200, `${name} /metrics: ${res.status}`);
      // names from the samples and from # TYPE lines (a labelled counter has no sample before its first inc)
      const names = new Set<string>();
      for (const m of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
        if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m[1]! + s);
        else if (m[2] === 'summary') for (const s of ['', '_sum', '_count']) names.add(m[1]! + s);
        else names.add(m[1]!);
      }
      const samples = await scrape(server.url);
      for (const s of samples) names.add(s.name);
      exported.set(name, { samples, names });
    }
  });

  after(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });

  it('each server exports the metrics of the contract, every series labelled with its server', () => {
    const contract = [
      'mcp_tool_calls_total',
      'mcp_tool_errors_total',
      'mcp_tool_call_duration_seconds_bucket',
      'mcp_tool_call_duration_seconds_sum',
      'mcp_tool_call_duration_seconds_count',
      'mcp_tool_calls_in_flight',
      'mcp_sessions',
      'mcp_sessions_opened_total',
      'mcp_http_requests_rejected_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ];
    for (const name of SERVER_NAMES) {
      const { samples, names } = exported.get(name)!;
      const missing = contract.filter((m) => !names.has(m));
      assert.deepEqual(missing, [], `${name} does not export ${missing.join(', ')}`);
      assert.ok([...names].some((n) => n.startsWith('nodejs_')), `${name}: no nodejs_* default metrics`);
      const unlabelled = samples.filter((s) => s.labels.server !== name).map((s) => s.name);
      assert.deepEqual([...new Set(unlabelled)], [], `${name}: series without server="${name}"`);
      const rejected = samples.find((s) => s.name === 'mcp_http_requests_rejected_total' && s.labels.reason === 'forbidden_origin');
      assert.equal(rejected?.value, 1, `${name}: mcp_http_requests_rejected_total{reason="forbidden_origin"}`);
    }
  });

  it('the per-tool call and error counters on /metrics match the calls made', () => {
    const expected = expectedCounts(1);
    for (const name of SERVER_NAMES) {
      const { samples } = exported.get(name)!;
      for (const { tool } of CALLS[name]) {
        const want = expected.get(`${name}/${tool}`)!;
        const calls = samples.find((s) => s.name === 'mcp_tool_calls_total' && s.labels.tool === tool)?.value;
        const errors = samples.find((s) => s.name === 'mcp_tool_errors_total' && s.labels.tool === tool)?.value ?? 0;
        assert.equal(calls, want.calls, `${name} mcp_tool_calls_total{tool="${tool}"}`);
        assert.equal(errors, want.errors, `${name} mcp_tool_errors_total{tool="${tool}"}`);
        const count = samples.find((s) => s.name === 'mcp_tool_call_duration_seconds_count' && s.labels.tool === tool)?.value;
        assert.equal(count, want.calls, `${name} mcp_tool_call_duration_seconds_count{tool="${tool}"}`);
      }
      const inFlight = samples.find((s) => s.name === 'mcp_tool_calls_in_flight');
      assert.equal(inFlight?.value, 0, `${name}: calls in flight after all calls returned`);
      const opened = samples.find((s) => s.name === 'mcp_sessions_opened_total');
      assert.equal(opened?.value, 1, `${name}: sessions opened`);
      const open = samples.find((s) => s.name === 'mcp_sessions');
      assert.equal(open?.value, 0, `${name}: sessions open after the client ended its session`);
    }
  });

  it('every metric the dashboard and the alert rules read is exported by the servers (or is Prometheus\' own up)', () => {
    const all = new Set<string>(['up']);
    for (const { names } of exported.values()) for (const n of names) all.add(n);
    const used = [
      ...dashboardExprs.map(({ panel, expr }) => ({ where: `dashboard "${panel}"`, expr })),
      ...alertExprs().map(({ alert, expr }) => ({ where: `alert ${alert}`, expr })),
    ];
    assert.ok(alertExprs().length === 3, 'three alert expressions read from alerts.yml');
    const unknown: string[] = [];
    for (const { where, expr } of used) {
      const names = metricNamesIn(expr);
      assert.ok(names.length > 0, `${where}: no metric found in ${expr}`);
      for (const n of names) if (!all.has(n)) unknown.push(`${where}: ${n}`);
    }
    assert.deepEqual(unknown, [], 'metrics no server exports');
  });
});
