// The bundled servers in service mode (--http): real processes, MCP over Streamable HTTP with the SDK client, and
// the HTTP edges a shared server meets: many sessions, tokens, Host/Origin, oversized bodies, a busy port,
// SIGTERM with a call in flight, and a client that leaves mid-call.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttpClient, metricValue, startHttpServer, type HttpServerProcess } from '../support/httpServers';
import { fixturesDir, textOf } from '../support/servers';

const scenario = path.join(fixturesDir, 'checkout-500');
const TOKEN = 'f3a9c2d17b8e4a60b5c1d2e3f4a5b6c7';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** A raw HTTP request, for headers fetch will not let a caller set (Host). */
function rawRequest(port: number, lines: string[], body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), text }));
    socket.on('error', reject);
  });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '0' } },
};

function postMcp(url: string, message: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
    signal,
  });
}

describe('service mode: the three servers over Streamable HTTP', function () {
  this.timeout(60_000);
  const servers: HttpServerProcess[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('logs, git and metrics each serve MCP at /mcp, /health and /metrics', async () => {
    const started = await Promise.all([
      startHttpServer('logs', ['--logs', path.join(scenario, 'logs')]),
      startHttpServer('git', ['--repo', path.join(scenario, 'repo'), '--deployments', path.join(scenario, 'deployments.json')]),
      startHttpServer('metrics', ['--metrics', path.join(scenario, 'metrics.json')]),
    ]);
    servers.push(...started);
    const [logs, git, metrics] = started;
    const calls: Array<[HttpServerProcess, string, string, Record<string, unknown>]> = [
      [logs!, 'logs', 'search_logs', { pattern: 'ERROR', max_results: 2 }],
      [git!, 'git', 'get_deployments', {}],
      [metrics!, 'metrics', 'list_metrics', {}],
    ];
    for (const [server, name, tool, args] of calls) {
      const health = await get(`${server.url}/health`);
      assert.equal(health.status, 200, health.body);
      const body = JSON.parse(health.body);
      assert.equal(body.status, 'ok');
      assert.equal(body.server, name);
      assert.equal(body.source.ok, true);
      assert.ok(body.tools >= 4, `${name} reports ${body.tools} tools`);
      assert.equal(typeof body.uptimeSeconds, 'number');

      const client = await connectHttpClient(server.url);
      const { tools } = await client.listTools();
      assert.equal(tools.length, body.tools);
      const result = (await client.callTool({ name: tool, arguments: args }, CallToolResultSchema)) as CallToolResult;
      assert.ok(!result.isError, textOf(result));
      const unknown = (await client.callTool({ name: 'no_such_tool', arguments: {} }, CallToolResultSchema)) as CallToolResult;
      assert.ok(unknown.isError);
      await client.close();

      const exposition = (await get(`${server.url}/metrics`)).body;
      assert.equal(metricValue(exposition, 'mcp_tool_calls_total', { server: name, tool }), 1, exposition.slice(0, 2000));
      assert.equal(metricValue(exposition, 'mcp_tool_errors_total', { server: name, tool }), 0, 'known tools start at zero');
      assert.equal(metricValue(exposition, 'mcp_tool_call_duration_seconds_count', { server: name, tool }), 1);
      // A name the server does not have is counted under "unknown", so callers cannot add series at will.
      assert.equal(metricValue(exposition, 'mcp_tool_errors_total', { server: name, tool: 'unknown' }), 1);
      assert.equal(metricValue(exposition, 'mcp_tool_calls_in_flight', { server: name }), 0);
      assert.equal(metricValue(exposition, 'mcp_sessions_opened_total', { server: name }), 1);
      assert.ok((metricValue(exposition, 'process_resident_memory_bytes', { server: name }) ?? 0) > 10_000_000, 'process metrics are exported');
    }
  });

  it('serves many clients at once, each in its own session, and counts them', async () => {
    const logs = servers[0]!;
    const sessionsBefore = JSON.parse((await get(`${logs.url}/health`)).body).sessions as number;
    const clients = await Promise.all(Array.from({ length: 8 }, () => connectHttpClient(logs.url)));
    const results = await Promise.all(
      clients.map((c, i) => c.callTool({ name: 'read_logs', arguments: { file: 'api.log', offset: i + 1, limit: 1 } }, CallToolResultSchema)),
    );
    const texts = results.map((r) => textOf(r as CallToolResult));
    assert.equal(new Set(texts).size, 8, 'each session got its own answer');
    const during = JSON.parse((await get(`${logs.url}/health`)).body);
    assert.equal(during.sessions, sessionsBefore + 8);
    await Promise.all(clients.map(async (c) => {
      await (c.transport as { terminateSession?: () => Promise<void> }).terminateSession?.();
      await c.close();
    }));
    const exposition = (await get(`${logs.url}/metrics`)).body;
    assert.equal(metricValue(exposition, 'mcp_sessions', { server: 'logs' }), sessionsBefore, 'ended sessions are gone');
  });

  it('refuses a Host or Origin that is not this machine (DNS rebinding) with 403, and accepts loopback ones', async () => {
    const { port } = servers[0]!;
    const evilHost = await rawRequest(port, ['GET /health HTTP/1.1', 'Host: evil.example.com']);
    assert.equal(evilHost.status, 403);
    const evilOrigin = await rawRequest(port, ['GET /health HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Origin: http://evil.example.com']);
    assert.equal(evilOrigin.status, 403);
    const local = await rawRequest(port, ['GET /health HTTP/1.1', `Host: localhost:${port}`, `Origin: http://localhost:${port}`]);
    assert.equal(local.status, 200);
  });

  it('a request body over the limit gets 413, a body that is not JSON 400, an unknown session 404', async () => {
    const { url } = servers[0]!;
    const big = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(1_100_000) } };
    assert.equal((await postMcp(url, big)).status, 413);
    const notJson = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: '{' });
    assert.equal(notJson.status, 400);
    const unknown = await postMcp(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': 'no-such-session' });
    assert.equal(unknown.status, 404);
    const exposition = (await get(`${url}/metrics`)).body;
    assert.equal(metricValue(exposition, 'mcp_http_requests_rejected_total', { reason: 'too_large' }), 1);
  });

  it('/health says 503 when its data is not there', async () => {
    const missing = await startHttpServer('git', ['--repo', path.join(os.tmpdir(), 'no-such-repository-here')]);
    servers.push(missing);
    const health = await get(`${missing.url}/health`);
    assert.equal(health.status, 503);
    const body = JSON.parse(health.body);
    assert.equal(body.status, 'unavailable');
    assert.equal(body.source.ok, false);
    assert.match(body.source.detail, /does not exist/);
  });
});

describe('service mode: tokens', function () {
  this.timeout(30_000);
  let server: HttpServerProcess;
  let tokenFile: string;
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-token-'));
    tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    server = await startHttpServer('metrics', ['--metrics', path.join(scenario, 'metrics.json'), '--token-file', tokenFile]);
  });
  after(() => server?.stop());

  it('without the token or with a wrong one: 401 and nothing else; with it: MCP and /metrics', async () => {
    const wrong: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong-token-of-some-length' }, { Authorization: `Basic ${TOKEN}` }];
    for (const headers of wrong) {
      const response = await postMcp(server.url, INITIALIZE, headers);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="incident-analyzer"');
      assert.equal(await response.text(), '{"error":"Unauthorized"}');
      assert.equal((await get(`${server.url}/metrics`, headers)).status, 401);
    }
    const client = await connectHttpClient(server.url, { Authorization: `Bearer ${TOKEN}` });
    assert.ok((await client.listTools()).tools.length > 0);
    await client.close();
    assert.equal((await get(`${server.url}/metrics`, { Authorization: `Bearer ${TOKEN}` })).status, 200);
    assert.doesNotMatch(server.stderr(), new RegExp(TOKEN), 'the token never reaches the log');
  });

  it('/health answers without the token, but names no paths', async () => {
    const open = JSON.parse((await get(`${server.url}/health`)).body);
    assert.equal(open.status, 'ok');
    assert.deepEqual(open.source, { kind: 'metrics file', ok: true });
    const authorized = JSON.parse((await get(`${server.url}/health`, { Authorization: `Bearer ${TOKEN}` })).body);
    assert.match(authorized.source.detail, /metrics\.json/);
  });
});

describe('service mode: starting and stopping', function () {
  this.timeout(60_000);

  it('refuses to listen beyond loopback without a token, and says how to give one', async () => {
    await assert.rejects(startHttpServer('logs', ['--logs', path.join(scenario, 'logs')], {}, '0.0.0.0:0'), (err: Error) => {
      assert.match(err.message, /exited \(2\)/);
      assert.match(err.message, /--token-file FILE or INCIDENT_MCP_TOKEN/);
      return true;
    });
    const withToken = await startHttpServer('logs', ['--logs', path.join(scenario, 'logs')], { INCIDENT_MCP_TOKEN: TOKEN }, '0.0.0.0:0');
    assert.match(withToken.stderr(), /bearer token required/);
    await withToken.stop();
    await assert.rejects(startHttpServer('logs', ['--logs', path.join(scenario, 'logs')], { INCIDENT_MCP_TOKEN: 'short' }), /at least 16/);
  });

  it('a port in use: a start-up error that names the port', async () => {
    const first = await startHttpServer('metrics', ['--metrics', path.join(scenario, 'metrics.json')]);
    try {
      await assert.rejects(startHttpServer('metrics', ['--metrics', path.join(scenario, 'metrics.json')], {}, `127.0.0.1:${first.port}`), (err: Error) => {
        assert.match(err.message, new RegExp(`port ${first.port} on 127\\.0\\.0\\.1 is already in use`));
        assert.match(err.message, /exited \(1\)/);
        return true;
      });
    } finally {
      await first.stop();
    }
  });

  describe('with calls that take a while', function () {
    let logDir: string;
    before(() => {
      // Lines that make a backtracking regex slow: enough work to still be running when the test acts.
      logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slow-logs-'));
      const lines: string[] = [];
      for (let i = 0; i < 400_000; i++) lines.push(`2026-12-01T10:00:00Z INFO request id=${i} user=u${i % 977} path=/api/items/${i % 313} took=${i % 97}ms`);
      fs.writeFileSync(path.join(logDir, 'app.log'), `${lines.join('\n')}\n`);
    });
    after(() => fs.rmSync(logDir, { recursive: true, force: true }));

    it('SIGTERM lets the call in flight finish and answer, then exits 0', async () => {
      const server = await startHttpServer('logs', ['--logs', logDir]);
      const client = await connectHttpClient(server.url);
      const call = client.callTool({ name: 'search_logs', arguments: { pattern: '(\\w+=\\w+ ?)+!', regex: true } }, CallToolResultSchema);
      await waitFor(async () => metricValue((await get(`${server.url}/metrics`)).body, 'mcp_tool_calls_in_flight') === 1);
      server.process.kill('SIGTERM');
      const result = (await call) as CallToolResult;
      assert.ok(!result.isError, textOf(result));
      assert.match(textOf(result), /No lines match/);
      assert.equal(await server.exited, 0);
      assert.match(server.stderr(), /SIGTERM: finishing the calls in flight/);
    });

    it('a client whose stream breaks mid-call resumes it with Last-Event-ID and gets the answer', async () => {
      const server = await startHttpServer('logs', ['--logs', logDir]);
      try {
        const version = '2025-11-25'; // priming events (what a client resumes from) need this protocol version
        const init = await postMcp(server.url, { ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: version } });
        const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': version };
        await init.text();
        await (await postMcp(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();
        const leave = new AbortController();
        const call = await postMcp(server.url, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'search_logs', arguments: { pattern: '(\\w+=\\w+ ?)+!', regex: true } } }, headers, leave.signal);
        const firstEvent = await readSse(call.body!, (event) => event.id !== undefined);
        leave.abort(); // the stream breaks before the answer
        assert.equal(firstEvent.retry, '1000', 'the server says how long to wait before resuming');
        await sleep(Number(firstEvent.retry)); // as a client does
        const resumed = await fetch(`${server.url}/mcp`, { headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': firstEvent.id! } });
        assert.equal(resumed.status, 200);
        const answer = await readSse(resumed.body!, (event) => event.data.includes('"id":9'));
        const message = JSON.parse(answer.data);
        assert.equal(message.result.isError, undefined, answer.data);
        assert.match(message.result.content[0].text, /No lines match/);
      } finally {
        await server.stop();
      }
    });

    it('a client that disconnects mid-call: the call is cancelled and the server stops working on it', async () => {
      const server = await startHttpServer('logs', ['--logs', logDir], { INCIDENT_MCP_RESUME_GRACE_MS: '100' });
      try {
        const init = await postMcp(server.url, INITIALIZE);
        const session = init.headers.get('mcp-session-id')!;
        await init.text();
        const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' };
        await (await postMcp(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();
        const leave = new AbortController();
        // A pattern that backtracks for seconds on every line: without cancellation it runs to its 5 s budget.
        const call = postMcp(server.url, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search_logs', arguments: { pattern: '(\\S+ ?)+XYZ', regex: true } } }, headers, leave.signal);
        await waitFor(async () => metricValue((await get(`${server.url}/metrics`)).body, 'mcp_tool_calls_in_flight') === 1);
        leave.abort();
        await call.catch(() => undefined);
        // Well before the search's own 5 s budget would end it.
        await waitFor(async () => metricValue((await get(`${server.url}/metrics`)).body, 'mcp_tool_calls_in_flight') === 0, 2_000);
        await sleep(300);
        const cpu = async () => metricValue((await get(`${server.url}/metrics`)).body, 'process_cpu_seconds_total')!;
        const before = await cpu();
        await sleep(1000);
        const used = (await cpu()) - before;
        assert.ok(used < 0.3, `the server kept working after the client left: ${used.toFixed(2)} s of CPU in 1 s`);
        const exposition = (await get(`${server.url}/metrics`)).body;
        assert.equal(metricValue(exposition, 'mcp_tool_errors_total', { tool: 'search_logs' }), 1, 'the cancelled call counts as failed');
      } finally {
        await server.stop();
      }
    });
  });
});

describe('service mode: a client that leaves while the server waits on Prometheus', function () {
  this.timeout(30_000);
  let prometheus: http.Server;
  let hung: { started: number; closedAt?: number } | undefined;
  before(async () => {
    // Answers discovery at once, and holds the test's own query open until the caller goes away.
    prometheus = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.setHeader('Content-Type', 'application/json');
      if (url.pathname === '/api/v1/query_range' && url.searchParams.get('query')?.startsWith('sum(rate(')) {
        const record: { started: number; closedAt?: number } = { started: Date.now() };
        hung = record;
        req.socket.once('close', () => (record.closedAt = Date.now()));
        return;
      }
      if (url.pathname === '/api/v1/query') return res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      // Discovery asks when the data is: one sample on 2026-12-01 10:00 UTC.
      if (url.pathname === '/api/v1/query_range') return res.end('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1764583200,"5"]]}]}}');
      if (url.pathname.startsWith('/api/v1/label/')) return res.end('{"status":"success","data":["http_requests_total"]}');
      res.end('{"status":"success","data":[]}');
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', () => resolve()));
  });
  after(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

  it('the query to Prometheus is abandoned, not left to run out its timeout', async () => {
    const port = (prometheus.address() as net.AddressInfo).port;
    const server = await startHttpServer('metrics', ['--prometheus', `http://127.0.0.1:${port}`], { INCIDENT_MCP_RESUME_GRACE_MS: '100' });
    try {
      const init = await postMcp(server.url, INITIALIZE);
      const headers = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-06-18' };
      await init.text();
      await (await postMcp(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).text();
      const leave = new AbortController();
      const args = { query: 'sum(rate(http_requests_total[5m]))', since: '2026-12-01T10:00:00Z', until: '2026-12-01T11:00:00Z' };
      const call = postMcp(server.url, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_metrics', arguments: args } }, headers, leave.signal);
      await waitFor(async () => hung !== undefined);
      leave.abort();
      await call.catch(() => undefined);
      await waitFor(async () => hung?.closedAt !== undefined, 3_000);
      assert.ok(hung!.closedAt! - hung!.started < 3_000);
    } finally {
      await server.stop();
    }
  });
});

/** Reads server-sent events until one satisfies `wanted`; that one is returned. */
type SseEvent = { id?: string; retry?: string; data: string };
async function readSse(body: ReadableStream<Uint8Array>, wanted: (event: SseEvent) => boolean): Promise<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before the event wanted; it held:\n${buffered}`);
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = { id: /^id: ?(.*)$/m.exec(block)?.[1], retry: /^retry: ?(.*)$/m.exec(block)?.[1], data: [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n') };
      if (wanted(event)) {
        void reader.cancel().catch(() => undefined);
        return event;
      }
    }
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

