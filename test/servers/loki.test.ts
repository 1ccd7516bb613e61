// The logs server reading a real Grafana Loki (started here, see test/support/loki.ts), against the same files
// served by the file-backed server: the same tools, the same lines, cited by stream + time_ns.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { lokiBinaryOrSkip, startLoki, type RunningLoki } from '../support/loki';
import { freePort } from '../support/ports';
import { pushEntries, pushFixtureToLoki, type PushedStream } from '../support/pushFixtureToLoki';
import { repoRoot, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

const logsDir = path.join(repoRoot, 'fixtures', 'checkout-500', 'logs');
const W = { since: '2026-02-17T10:00:00Z', until: '2026-02-17T16:00:00Z' };

describe('logs server over Grafana Loki (real Loki)', function () {
  this.timeout(60_000);
  let loki: RunningLoki;
  let pushed: PushedStream[];
  let server: RunningServer;
  let files: RunningServer;
  const api = () => pushed.find((p) => p.file === 'api.log')!;

  before(async function () {
    this.timeout(120_000);
    const binary = lokiBinaryOrSkip(this);
    loki = await startLoki(binary);
    pushed = await pushFixtureToLoki(loki.url, logsDir);
    server = await startServer('logs', ['--loki', loki.url]);
    files = await startServer('logs', ['--logs', logsDir, '--ripgrep', 'off']);
  });

  after(async () => {
    await server?.close();
    await files?.close();
    await loki?.stop();
  });

  it('says at start-up which source it reads, never a token', async () => {
    const withToken = await startServer('logs', ['--loki', loki.url], { INCIDENT_LOKI_TOKEN: 'sekrit-token' });
    await withToken.client.listTools();
    assert.match(withToken.stderr(), /serving logs from Loki http:\/\/127\.0\.0\.1:\d+, streams \{job=~"\.\+"\} \(default\)/);
    assert.match(withToken.stderr(), /bearer token/);
    assert.ok(!withToken.stderr().includes('sekrit-token'));
    await withToken.close();
  });

  it('lists streams with entries, format and time span; the default window (lookback from now) finds nothing for old data', async () => {
    const listed = structuredOf(await server.call('list_log_files', W));
    const byFile = Object.fromEntries(listed.files.map((f: { file: string }) => [f.file, f]));
    assert.deepEqual(Object.keys(byFile).sort(), pushed.map((p) => p.stream).sort());
    const a = byFile[api().stream];
    assert.equal(a.file, '{filename="api.log",job="fixture",service="api"}');
    assert.equal(a.format, 'timestamped');
    assert.equal(a.firstTime, '2026-02-17T10:00:02Z');
    assert.equal(a.first_time_ns, api().entries[0]!.timeNs);
    assert.equal(a.last_time_ns, api().entries.at(-1)!.timeNs);
    assert.equal(a.entries, api().entries.length);
    assert.ok(listed.dataSpan.firstTime.startsWith('2026-02-17T10:00:0'));
    const now = await server.call('list_log_files', {});
    assert.equal(now.isError, undefined);
    assert.equal(structuredOf(now).total, 0);
    assert.match(textOf(now), /give since\/until/);
  });

  it('finds the same lines as the file server for the same search, each as stream + time_ns', async () => {
    const ask = { ...W, pattern: 'CONNECTION POOL EXHAUSTED', max_results: 500 };
    const fromLoki = structuredOf(await server.call('search_logs', ask));
    const fromFiles = structuredOf(await files.call('search_logs', ask));
    assert.equal(fromLoki.engine, 'loki');
    assert.equal(fromLoki.total, fromFiles.total);
    assert.equal(fromLoki.totalIsExact, true);
    const streamOf = Object.fromEntries(pushed.map((p) => [p.file, p]));
    const expected = fromFiles.matches
      .map((m: { file: string; line: number; text: string }) => ({ file: streamOf[m.file]!.stream, time_ns: streamOf[m.file]!.entries[m.line - 1]!.timeNs, text: m.text }))
      .sort((x: { time_ns: string }, y: { time_ns: string }) => (BigInt(x.time_ns) < BigInt(y.time_ns) ? -1 : 1));
    assert.deepEqual(fromLoki.matches.map((m: { file: string; time_ns: string; text: string }) => ({ file: m.file, time_ns: m.time_ns, text: m.text })), expected);
    const first = fromLoki.matches[0];
    assert.equal(first.line, undefined, 'no line numbers from Loki');
    assert.equal(first.level, 'error');
    assert.equal(first.time, '2026-02-17T14:45:06Z');
    assert.match(fromLoki.query, /\|~ "\(\?i\)CONNECTION POOL EXHAUSTED"/);
  });

  it('pages a search and filters by level, and a regex runs as RE2', async () => {
    const page = structuredOf(await server.call('search_logs', { ...W, pattern: 'pool exhausted', max_results: 10, offset: 10 }));
    const all = structuredOf(await server.call('search_logs', { ...W, pattern: 'pool exhausted', max_results: 30 }));
    assert.deepEqual(page.matches.map((m: { time_ns: string }) => m.time_ns), all.matches.slice(10, 20).map((m: { time_ns: string }) => m.time_ns));
    assert.equal(page.nextOffset, 20);
    const quick = structuredOf(await server.call('search_logs', { ...W, pattern: 'pool exhausted', max_results: 10, count: false }));
    assert.equal(quick.totalIsExact, false);
    const errors = structuredOf(await server.call('search_logs', { ...W, pattern: 'checkout', level: 'error', max_results: 500 }));
    assert.ok(errors.matches.length > 0 && errors.matches.every((m: { level: string }) => m.level === 'error' || m.level === 'fatal'));
    const regex = structuredOf(await server.call('search_logs', { ...W, pattern: 'after \\d{4}ms', regex: true, file: api().stream, max_results: 1 }));
    const regexFiles = structuredOf(await files.call('search_logs', { ...W, pattern: 'after \\d{4}ms', regex: true, file: 'api.log', max_results: 1 }));
    assert.equal(regex.total, regexFiles.total);
    const bad = await server.call('search_logs', { ...W, pattern: '(?=x)', regex: true });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /RE2/);
    const tools = await server.client.listTools();
    assert.match(tools.tools.find((t) => t.name === 'search_logs')!.description!, /RE2.*no lookaround/);
  });

  it('shows context entries of the same stream around a match', async () => {
    const found = structuredOf(await server.call('search_logs', { ...W, pattern: 'Pool.acquire', file: api().stream, context: 2, max_results: 1 }));
    const filesFound = structuredOf(await files.call('search_logs', { ...W, pattern: 'Pool.acquire', file: 'api.log', context: 2, max_results: 1 }));
    const m = found.matches[0];
    if (!m) return; // the fixture may not hold that text
    assert.deepEqual(m.before.map((c: { text: string }) => c.text), filesFound.matches[0].before.map((c: { text: string }) => c.text));
    assert.deepEqual(m.after.map((c: { text: string }) => c.text), filesFound.matches[0].after.map((c: { text: string }) => c.text));
    assert.ok(m.before.every((c: { time_ns: string }) => BigInt(c.time_ns) < BigInt(m.time_ns)));
  });

  it('read_logs at a cited (file, time_ns) returns that exact entry with its neighbours; a wrong time_ns is an error', async () => {
    const hit = structuredOf(await server.call('search_logs', { ...W, pattern: 'pool exhausted', max_results: 1 })).matches[0];
    const page = structuredOf(await server.call('read_logs', { file: hit.file, time_ns: hit.time_ns, before: 3, after: 2 }));
    const cited = page.lines.filter((l: { cited?: boolean }) => l.cited);
    assert.equal(cited.length, 1);
    assert.equal(cited[0].time_ns, hit.time_ns);
    assert.equal(cited[0].text, hit.text);
    assert.equal(page.lines.length, 6);
    const index = api().entries.findIndex((e) => e.timeNs === hit.time_ns);
    assert.deepEqual(page.lines.map((l: { text: string }) => l.text), api().entries.slice(index - 3, index + 3).map((e) => e.text));
    const only = structuredOf(await server.call('read_logs', { file: hit.file, time_ns: hit.time_ns, before: 0, after: 0 }));
    assert.deepEqual(only.lines.map((l: { time_ns: string }) => l.time_ns), [hit.time_ns]);
    const missing = await server.call('read_logs', { file: hit.file, time_ns: (BigInt(hit.time_ns) + 999n).toString() });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /has no entry at time_ns/);
    const notAStream = await server.call('read_logs', { file: 'api.log', time_ns: hit.time_ns });
    assert.match(textOf(notAStream), /not a Loki stream/);
    const fileServer = await files.call('read_logs', { file: 'api.log', time_ns: hit.time_ns });
    assert.equal(fileServer.isError, true);
    assert.match(textOf(fileServer), /use offset/);
  });

  it('log_histogram counts by level agree with the file server (lines on a bucket boundary aside)', async () => {
    const ask = { ...W, level: 'error', bucket_minutes: 5 };
    const fromLoki = structuredOf(await server.call('log_histogram', ask));
    const fromFiles = structuredOf(await files.call('log_histogram', ask));
    // Loki counts (t - w, t]: a record exactly on a boundary moves to the bucket before; totals agree unless at since.
    assert.ok(Math.abs(fromLoki.total - fromFiles.total) <= 2, `${fromLoki.total} vs ${fromFiles.total}`);
    const filesBy = new Map(fromFiles.buckets.map((b: { start: string; count: number }) => [b.start, b.count]));
    let moved = 0;
    for (const b of fromLoki.buckets) moved += Math.abs(b.count - ((filesBy.get(b.start) as number) ?? 0));
    assert.ok(moved <= fromFiles.total * 0.1, `bucket differences ${moved}`);
    assert.ok(fromLoki.byLevel.error > 0);
    const peak = fromLoki.buckets.find((b: { start: string }) => b.start === fromLoki.peak.start);
    assert.ok(peak.first.time_ns && peak.first.file.startsWith('{'));
    const cited = structuredOf(await server.call('read_logs', { file: peak.first.file, time_ns: peak.first.time_ns, before: 0, after: 0 }));
    assert.match(cited.lines[0].text, /ERROR|" 5\d\d /);
  });

  it('log_patterns finds the same new error templates as the file server, with examples as file + time_ns', async () => {
    const ask = { since: '2026-02-17T14:45:00Z', until: W.until, baseline_since: W.since, level: 'error', max_templates: 10 };
    const fromLoki = structuredOf(await server.call('log_patterns', ask));
    const fromFiles = structuredOf(await files.call('log_patterns', ask));
    const fresh = (r: { templates: Array<{ trend: string; template: string }> }) =>
      r.templates.filter((t) => t.trend === 'new').map((t) => t.template).sort();
    assert.deepEqual(fresh(fromLoki), fresh(fromFiles));
    assert.ok(fresh(fromLoki).some((t) => /pool/.test(t)));
    assert.equal(fromLoki.linesInWindow, fromFiles.linesInWindow);
    assert.equal(fromLoki.windowCut, false);
    assert.ok(fromLoki.linesRead >= fromLoki.linesInWindow);
    const example = fromLoki.templates[0].examples[0];
    assert.match(example.time_ns, /^\d+$/);
    const cut = structuredOf(await server.call('log_patterns', { ...ask, level: undefined, max_lines: 1000 }));
    assert.equal(cut.linesRead, 1000);
    assert.ok(cut.windowCut || cut.baselineCut);
    assert.match(textOf(await server.call('log_patterns', { ...ask, level: undefined, max_lines: 1000 })), /line budget/);
  });

  it('pages across the 5,000-entry limit without losing or repeating an entry', async () => {
    const labels = { job: 'fixture', service: 'bulk', filename: 'bulk.log' };
    const base = BigInt(Date.UTC(2026, 0, 5, 12)) * 1_000_000n;
    const entries = Array.from({ length: 12_345 }, (_, i) => ({
      // Several entries share each millisecond, and runs share a nanosecond across pages.
      timeNs: (base + BigInt(Math.floor(i / 3)) * 1_000_000n).toString(),
      text: `2026-01-05 12:00:00 INFO bulk line ${i}`,
    }));
    await pushEntries(loki.url, labels, entries);
    const all = structuredOf(
      await server.call('search_logs', { pattern: 'bulk line', since: '2026-01-05T11:00:00Z', until: '2026-01-05T13:00:00Z', max_results: 500, offset: 12_000 }),
    );
    assert.equal(all.total, 12_345);
    assert.equal(all.totalIsExact, true);
    assert.deepEqual(all.matches.map((m: { text: string }) => m.text), entries.slice(12_000, 12_345).map((e) => e.text));
    const patterns = structuredOf(await server.call('log_patterns', { file: '{filename="bulk.log",job="fixture",service="bulk"}', since: '2026-01-05T11:00:00Z', until: '2026-01-05T13:00:00Z' }));
    assert.equal(patterns.linesInWindow, 12_345);
  });

  it('splits a window longer than 30 days into several queries (Loki refuses more than 721 h in one)', async function () {
    this.timeout(120_000);
    // 2026-01-17 .. 2026-02-18: 32 days, so two queries; one line is in the first, the fixture's in the second.
    const long = { since: '2026-01-17T00:00:00Z', until: '2026-02-18T00:00:00Z' };
    await pushEntries(loki.url, { job: 'fixture', service: 'old', filename: 'old.log' }, [
      { timeNs: (BigInt(Date.UTC(2026, 0, 17, 8)) * 1_000_000n).toString(), text: '2026-01-17 08:00:00 WARN a very old line' },
    ]);
    const found = structuredOf(await server.call('search_logs', { ...long, pattern: 'a very old line|pool exhausted', regex: true, max_results: 2 }));
    const inFiles = structuredOf(await files.call('search_logs', { ...W, pattern: 'pool exhausted' }));
    assert.equal(found.total, 1 + inFiles.total);
    assert.equal(found.matches[0].time, '2026-01-17T08:00:00Z');
    assert.match(found.matches[1].text, /pool exhausted/);
  });

  it('a window with no data: an empty answer or a clear error', async () => {
    const none = structuredOf(await server.call('search_logs', { pattern: 'pool', since: '2025-06-01T00:00:00Z', until: '2025-06-02T00:00:00Z' }));
    assert.equal(none.total, 0);
    const histogram = await server.call('log_histogram', { since: '2025-06-01T00:00:00Z', until: '2025-06-02T00:00:00Z' });
    assert.equal(histogram.isError, true);
    assert.match(textOf(histogram), /no timestamped log records/);
    const patterns = await server.call('log_patterns', { since: '2025-06-01T00:00:00Z', until: '2025-06-02T00:00:00Z' });
    assert.match(textOf(patterns), /no log lines fall in/);
  });

  describe('auth, tenant, reachability', () => {
    let proxy: http.Server;
    let proxyUrl: string;
    const seen: Array<{ auth?: string; tenant?: string }> = [];

    before(async () => {
      const port = await freePort();
      proxy = http.createServer((req, res) => {
        seen.push({ auth: req.headers.authorization, tenant: req.headers['x-scope-orgid'] as string | undefined });
        if (!req.headers.authorization) return void res.writeHead(401).end('no token');
        if (req.headers.authorization !== 'Bearer right-token') return void res.writeHead(403).end('wrong token');
        const upstream = http.request(`${loki.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(loki.url).host } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${port}`;
    });
    after(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    const ask = { ...W, pattern: 'pool exhausted', max_results: 1 };
    it('401 without a token names the variable to set', async () => {
      const s = await startServer('logs', ['--loki', proxyUrl]);
      const r = await s.call('search_logs', ask);
      await s.close();
      assert.equal(r.isError, true);
      assert.match(textOf(r), /401.*INCIDENT_LOKI_TOKEN/);
    });
    it('403 with a wrong token', async () => {
      const s = await startServer('logs', ['--loki', proxyUrl], { INCIDENT_LOKI_TOKEN: 'wrong' });
      const r = await s.call('search_logs', ask);
      await s.close();
      assert.match(textOf(r), /403.*wrong token/);
      assert.ok(!textOf(r).includes('Bearer wrong'));
    });
    it('passes with the right token from the environment, sending the tenant header', async () => {
      const s = await startServer('logs', ['--loki', proxyUrl, '--loki-tenant', 'shop'], { INCIDENT_LOKI_TOKEN: 'right-token' });
      const r = structuredOf(await s.call('search_logs', ask));
      await s.close();
      assert.ok(r.total > 0);
      assert.equal(seen.at(-1)!.tenant, 'shop');
      assert.equal(seen.at(-1)!.auth, 'Bearer right-token');
    });
    it('an unreachable URL (closed port) gives a clear error naming it within seconds', async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const s = await startServer('logs', ['--loki', closed]);
      const started = Date.now();
      const r = await s.call('search_logs', ask);
      await s.close();
      assert.ok(Date.now() - started < 6_000);
      assert.equal(r.isError, true);
      assert.match(textOf(r), new RegExp(`cannot reach Loki at ${closed.replace(/\./g, '\\.')}`));
    });
  });

  it('Loki stopped mid-session: a clear tool error, and the server still answers', async function () {
    this.timeout(60_000);
    const binary = lokiBinaryOrSkip(this);
    const second = await startLoki(binary);
    await pushFixtureToLoki(second.url, logsDir, { files: ['db.log'] });
    const s = await startServer('logs', ['--loki', second.url]);
    try {
      assert.ok(structuredOf(await s.call('search_logs', { ...W, pattern: 'checkpoint' })).total > 0);
      await second.stop();
      const r = await s.call('search_logs', { ...W, pattern: 'checkpoint' });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /Loki at http:\/\/127\.0\.0\.1:\d+/);
      const tools = await s.client.listTools();
      assert.equal(tools.tools.length, 5);
    } finally {
      await s.close();
      await second.stop();
    }
  });
});
