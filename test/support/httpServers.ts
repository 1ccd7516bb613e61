// A bundled MCP server in service mode (--http 127.0.0.1:0) as a real process: started, waited for until it names
// its port, stopped; an SDK client over Streamable HTTP; and its Prometheus /metrics text parsed into samples.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { repoRoot } from './servers';

export type ServerName = 'logs' | 'git' | 'metrics' | 'incidents';

export interface HttpServerProcess {
  name: ServerName;
  /** `http://127.0.0.1:PORT`, from the server's own `listening on` line. */
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  /** The last 50,000 characters of its stderr. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL if it is still there after its 10 s drain; resolves once it has exited. */
  stop(): Promise<void>;
}

const LISTENING = /listening on http:\/\/(\[[^\]]+\]|[^\s/:]+):(\d+)/;
const START_TIMEOUT_MS = 15_000;
const KILL_AFTER_MS = 12_000;

/**
 * Starts `dist/servers/NAME.js ARGS --http LISTEN` with only PATH, HOME and `env` in its environment (so nothing
 * from the caller's, such as a developer's INCIDENT_* variables, reaches it), and waits for its `listening on` line.
 * `runAs` (root only) starts it as another user, as systemd's User= does.
 */
export async function startHttpServer(
  name: ServerName,
  args: string[],
  env: Record<string, string> = {},
  listen = '127.0.0.1:0',
  runAs?: { uid: number; gid: number },
): Promise<HttpServerProcess> {
  const bundle = path.join(repoRoot, 'dist', 'servers', `${name}.js`);
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
  const child = spawn(process.execPath, [bundle, ...args, '--http', listen], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...runAs,
  });
  let stderr = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    await exited;
    clearTimeout(timer);
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} server did not start within ${START_TIMEOUT_MS / 1000} s:\n${stderr.slice(-2000)}`)), START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-50_000);
      const m = LISTENING.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[2]));
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} server exited (${code}) before listening:\n${stderr.slice(-2000)}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { name, url: `http://127.0.0.1:${port}`, port, pid: child.pid!, process: child, stderr: () => stderr, exited, stop };
}

export function bearer(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** An SDK client connected to `url`/mcp, with extra headers (e.g. the bearer token). */
export async function connectHttpClient(url: string, headers: Record<string, string> = {}, clientName = 'incident-analyzer-tests'): Promise<Client> {
  return (await openSession(url, headers, clientName)).client;
}

export interface HttpClient {
  client: Client;
  call(tool: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Ends the session (DELETE /mcp) and closes the client. */
  close(): Promise<void>;
}

/** A session on `url`/mcp with the bearer token when there is one, that ends itself on the server when closed. */
export async function connectHttp(url: string, token?: string, clientName = 'incident-analyzer-tests'): Promise<HttpClient> {
  const { client, transport } = await openSession(url, bearer(token), clientName);
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

async function openSession(url: string, headers: Record<string, string>, clientName: string) {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } });
  const client = new Client({ name: clientName, version: '0.0.0' });
  await client.connect(transport);
  return { client, transport };
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

/** The value of the first series called `name` whose labels include `labels`, or undefined. */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return parseExposition(exposition).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** GET url/metrics with the token; throws on a status other than 200. */
export async function scrape(url: string, token?: string): Promise<Sample[]> {
  const res = await fetch(new URL('/metrics', url), { headers: bearer(token), signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}/metrics: ${res.status} ${text.slice(0, 200)}`);
  return parseExposition(text);
}
