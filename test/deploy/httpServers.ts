// The three bundled servers in service mode (`--http 127.0.0.1:0`) as real processes on the checkout-500 fixture,
// an SDK client over Streamable HTTP, the /metrics text parsed into samples, and the calls the deploy tests make.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const deployDir = path.join(repoRoot, 'deploy');
const fixture = path.join(repoRoot, 'fixtures', 'checkout-500');

export type ServerName = 'logs' | 'git' | 'metrics';
export const SERVER_NAMES: readonly ServerName[] = ['logs', 'git', 'metrics'];

/** The data each server reads: the checkout-500 fixture (its git repo is built by `npm run fixtures`). */
export function dataArgs(name: ServerName): string[] {
  switch (name) {
    case 'logs':
      return ['--logs', path.join(fixture, 'logs')];
    case 'git':
      return ['--repo', path.join(fixture, 'repo')];
    case 'metrics':
      return ['--metrics', path.join(fixture, 'metrics.json')];
  }
}

/** The tool calls each deploy test makes on each server: cheap, real, and one that fails (an unknown commit). */
export const CALLS: Record<ServerName, Array<{ tool: string; args: Record<string, unknown>; fails?: boolean }>> = {
  logs: [
    { tool: 'list_log_files', args: {} },
    { tool: 'search_logs', args: { pattern: 'timeout', max_results: 5 } },
    { tool: 'search_logs', args: { pattern: 'ERROR', max_results: 5, count: false } },
  ],
  git: [
    { tool: 'get_recent_commits', args: { limit: 5 } },
    { tool: 'get_recent_commits', args: { limit: 2 } },
    { tool: 'search_commits', args: { query: 'checkout', limit: 3 } },
    { tool: 'get_commit', args: { hash: 'deadbeefdeadbeef' }, fails: true },
  ],
  metrics: [
    { tool: 'list_metrics', args: {} },
    { tool: 'list_metrics', args: { limit: 5 } },
    { tool: 'get_error_rates', args: {} },
  ],
};

/** Expected `server/tool` → [calls, errors] after every call in CALLS was made `times` times. */
export function expectedCounts(times = 1): Map<string, { calls: number; errors: number }> {
  const counts = new Map<string, { calls: number; errors: number }>();
  for (const name of SERVER_NAMES) {
    for (const call of CALLS[name]) {
      const key = `${name}/${call.tool}`;
      const c = counts.get(key) ?? { calls: 0, errors: 0 };
      c.calls += times;
      if (call.fails) c.errors += times;
      counts.set(key, c);
    }
  }
  return counts;
}

export interface HttpServer {
  name: ServerName;
  /** `http://127.0.0.1:PORT`, from the server's own `listening on` line. */
  url: string;
  port: number;
  pid: number;
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

const LISTENING = /listening on http:\/\/(\[[^\]]+\]|[^\s/:]+):(\d+)/;

/** Starts `dist/servers/NAME.js DATA --http 127.0.0.1:PORT` (0 = any) and waits for its `listening on` line. */
export async function startHttpServer(
  name: ServerName,
  options: { token?: string; port?: number; extraArgs?: string[]; timeoutMs?: number } = {},
): Promise<HttpServer> {
  const bundle = path.join(repoRoot, 'dist', 'servers', `${name}.js`);
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.INCIDENT_MCP_TOKEN;
  if (options.token) env.INCIDENT_MCP_TOKEN = options.token;
  const child: ChildProcess = spawn(
    process.execPath,
    [bundle, ...dataArgs(name), ...(options.extraArgs ?? []), '--http', `127.0.0.1:${options.port ?? 0}`],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const listening = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${name} server printed no "listening on http://…" line in ${options.timeoutMs ?? 15_000} ms; stderr:\n${stderr.slice(-2000)}`));
    }, options.timeoutMs ?? 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-50_000);
      const m = LISTENING.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} server exited (${code ?? signal}) before listening; stderr:\n${stderr.slice(-2000)}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  const port = Number(listening[2]);
  return { name, url: `http://127.0.0.1:${port}`, port, pid: child.pid!, stderr: () => stderr, stop };
}

export interface HttpClient {
  client: Client;
  call(tool: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Ends the session (DELETE /mcp) and closes the client. */
  close(): Promise<void>;
}

export function bearer(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** An SDK client session on `url`/mcp, with the bearer token when there is one. */
export async function connectHttp(url: string, token?: string, clientName = 'incident-analyzer-deploy-tests'): Promise<HttpClient> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: bearer(token) } });
  const client = new Client({ name: clientName, version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(tool, args = {}) {
      return (await client.callTool({ name: tool, arguments: args }, CallToolResultSchema)) as CallToolResult;
    },
    async close() {
      try {
        await transport.terminateSession();
      } finally {
        await client.close();
      }
    },
  };
}

/** Makes every call of CALLS[server.name] in one session; throws when a call's outcome is not the one expected. */
export async function makeCalls(server: HttpServer, token?: string): Promise<void> {
  const session = await connectHttp(server.url, token);
  try {
    for (const { tool, args, fails } of CALLS[server.name]) {
      const result = await session.call(tool, args);
      if (Boolean(result.isError) !== Boolean(fails)) {
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
        throw new Error(`${server.name} ${tool}: expected ${fails ? 'an error' : 'success'}, got ${result.isError ? 'an error' : 'success'}: ${text.slice(0, 300)}`);
      }
    }
  } finally {
    await session.close();
  }
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition (format 0.0.4) into samples; comments and blank lines are skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    for (const l of (m[2] ?? '').matchAll(labelRe)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** GET url/metrics with the token; throws on a status other than 200. */
export async function scrape(url: string, token?: string): Promise<Sample[]> {
  const res = await fetch(new URL('/metrics', url), { headers: bearer(token), signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}/metrics: ${res.status} ${text.slice(0, 200)}`);
  return parseExposition(text);
}

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, keywords, label names (inside
 * `{…}` or a `by`/`without`/`on`/`ignoring`/`group_*` list), durations, numbers or strings. Grafana variables
 * (`$server`, `$__rate_interval`) only occur inside those and go with them.
 */
export function metricNamesIn(expr: string): string[] {
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings
    .replace(/#[^\n]*/g, ' ') // comments
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  s = s.replace(/\boffset\s+-?[0-9a-z]+/g, ' ');
  const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
  const names = new Set<string>();
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = s.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith('(')) continue; // a function or aggregation
    if (keywords.has(m[0].toLowerCase())) continue;
    if (m.index! > 0 && /[0-9.]/.test(s[m.index! - 1]!)) continue; // 1e3, 5m
    names.add(m[0]);
  }
  return [...names].sort();
}
