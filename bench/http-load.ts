// Service mode under load: the three bundled servers over Streamable HTTP (one process each, bearer token on), N
// engineers at once — each opens one MCP session on each server (N sessions per server) and makes C tool calls,
// one after another, rotating through a mix of cheap real calls on the checkout-500 fixture — against the same load
// over stdio, in the same run, two ways:
//   stdio-shared:     one stdio process per server, all N engineers' calls multiplexed through its one client
//                     (the same server processes as HTTP, so latency and CPU compare like for like);
//   stdio-per-client: every engineer spawns its own three stdio servers (3 × N processes): what N engineers each
//                     running the extension cost today, in memory, if their servers all ran on one machine.
// Plus the cold start of each server from spawn to GET /health 200 (median of --cold-runs; over stdio, spawn to
// tools/list answered), and what the transport alone costs a call: one session, the cheapest tool, one call after
// another, over HTTP and stdio, with the CPU per call spent in the server and in the client.
// The clients run in this process on the same machine as the servers, so they share its cores in every mode.
// Usage: npm run bench:http  (or: npx tsx bench/http-load.ts [--sessions 50] [--calls 200] [--cold-runs 5]
//        [--no-per-client]), after npm run build && npm run fixtures. Writes bench/results/http-load.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startServer, type RunningServer } from '../test/support/servers.js';
import { connectHttp, type HttpClient, type HttpServerProcess } from '../test/support/httpServers.js';
import { dataArgs, startFixtureServer } from '../test/deploy/fixtureServers.js';
import { median, msSince, writeResult } from './support.js';

// The three servers an analysis calls, as measured in bench/results/http-load.json (the incidents server is not benched).
const SERVER_NAMES = ['logs', 'git', 'metrics'] as const;
type ServerName = (typeof SERVER_NAMES)[number];

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SESSIONS = flag('--sessions', 50);
const CALLS = flag('--calls', 200);
const COLD_RUNS = flag('--cold-runs', 5);
const PER_CLIENT = !process.argv.includes('--no-per-client');

/** The rotation every engineer walks through, starting at its own offset so the servers see an even mix. */
const MIX: Array<{ server: ServerName; tool: string; args: Record<string, unknown> }> = [
  { server: 'logs', tool: 'search_logs', args: { pattern: 'timeout', max_results: 5, count: false } },
  { server: 'git', tool: 'get_recent_commits', args: { limit: 5 } },
  { server: 'metrics', tool: 'list_metrics', args: { limit: 10 } },
  { server: 'logs', tool: 'list_log_files', args: {} },
  { server: 'git', tool: 'get_deployments', args: { limit: 5 } },
  { server: 'metrics', tool: 'get_error_rates', args: {} },
];

type Caller = (tool: string, args: Record<string, unknown>) => Promise<CallToolResult>;

interface Outcome {
  latencies: Record<ServerName, number[]>;
  errors: Record<ServerName, number>;
  firstErrors: string[];
  wallMs: number;
  /** CPU seconds this process (the clients) used during the load. */
  clientCpuSeconds: number;
  /** The machine's 1-minute load average before and after: other work on the machine shows here. */
  loadAverage: [number, number];
}

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** /proc/PID/status fields in kB (VmRSS now, VmHWM the peak). */
function memKb(pid: number): { rss: number; hwm: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0), hwm: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
  } catch {
    return 0;
  }
}

/** N engineers, each with a caller per server, make C calls each, all at once. */
async function runLoad(callers: Array<Record<ServerName, Caller>>): Promise<Outcome> {
  const latencies = { logs: [] as number[], git: [] as number[], metrics: [] as number[] };
  const errors = { logs: 0, git: 0, metrics: 0 };
  const firstErrors: string[] = [];
  const noteError = (server: ServerName, what: string) => {
    errors[server]++;
    if (firstErrors.length < 5) firstErrors.push(`${server}: ${what.slice(0, 200)}`);
  };
  const load0 = os.loadavg()[0]!;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    callers.map(async (engineer, e) => {
      for (let i = 0; i < CALLS; i++) {
        const { server, tool, args } = MIX[(e + i) % MIX.length]!;
        const t = process.hrtime.bigint();
        try {
          const result = await engineer[server](tool, args);
          latencies[server].push(msSince(t));
          if (result.isError) noteError(server, `${tool} isError: ${JSON.stringify(result.content).slice(0, 200)}`);
        } catch (err) {
          latencies[server].push(msSince(t));
          noteError(server, `${tool} threw: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { latencies, errors, firstErrors, wallMs: msSince(t0), clientCpuSeconds: (cpu.user + cpu.system) / 1e6, loadAverage: [r1(load0), r1(os.loadavg()[0]!)] };
}

function summarize(outcome: Outcome, memory: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const all = SERVER_NAMES.flatMap((s) => outcome.latencies[s]).sort((a, b) => a - b);
  const perServer = Object.fromEntries(
    SERVER_NAMES.map((s) => {
      const sorted = [...outcome.latencies[s]].sort((a, b) => a - b);
      return [s, { calls: sorted.length, errors: outcome.errors[s], p50Ms: r3(quantile(sorted, 0.5)), p99Ms: r3(quantile(sorted, 0.99)) }];
    }),
  );
  const errors = SERVER_NAMES.reduce((n, s) => n + outcome.errors[s], 0);
  return {
    ...extra,
    calls: all.length,
    errors,
    p50Ms: r3(quantile(all, 0.5)),
    p99Ms: r3(quantile(all, 0.99)),
    maxMs: r3(all[all.length - 1] ?? NaN),
    wallMs: Math.round(outcome.wallMs),
    callsPerSecond: Math.round(all.length / (outcome.wallMs / 1000)),
    clientCpuSeconds: r3(outcome.clientCpuSeconds),
    loadAverageBeforeAfter: outcome.loadAverage,
    perServer,
    ...memory,
    ...(outcome.firstErrors.length ? { firstErrors: outcome.firstErrors } : {}),
  };
}

async function coldStarts(token: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of SERVER_NAMES) {
    const runs: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const t = process.hrtime.bigint();
      const server = await startFixtureServer(name, { token });
      try {
        for (;;) {
          const res = await fetch(new URL('/health', server.url)).catch(() => undefined);
          await res?.body?.cancel();
          if (res?.status === 200) break;
          if (msSince(t) > 30_000) throw new Error(`${name}: /health not 200 after 30 s`);
          await new Promise((r) => setTimeout(r, 5));
        }
        runs.push(msSince(t));
      } finally {
        await server.stop();
      }
    }
    out[name] = { medianMs: Math.round(median(runs)), runsMs: runs.map(Math.round) };
  }
  return out;
}

/** Spawn → initialize + tools/list answered over stdio, for comparison with the HTTP cold start. */
async function stdioColdStarts(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of SERVER_NAMES) {
    const runs: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const t = process.hrtime.bigint();
      const server = await startServer(name, dataArgs(name));
      try {
        await server.client.listTools();
        runs.push(msSince(t));
      } finally {
        await server.close();
      }
    }
    out[name] = { medianMs: Math.round(median(runs)), runsMs: runs.map(Math.round) };
  }
  return out;
}

/**
 * What the transport alone costs a call: one session, the cheapest tool (metrics list_metrics, limit 1) called
 * one after another, over HTTP and over stdio; latency, and CPU per call in the server and in the client.
 */
async function perCallOverhead(token: string, calls = 500): Promise<Record<string, unknown>> {
  const http = await startFixtureServer('metrics', { token });
  const session = await connectHttp(http.url, token, 'bench-overhead');
  const stdio = await startServer('metrics', dataArgs('metrics'));
  const out: Record<string, unknown> = {};
  try {
    const modes: Array<[string, Caller, number]> = [
      ['http', (tool, args) => session.call(tool, args), http.pid],
      ['stdio', stdioCaller(stdio), stdio.pid!],
    ];
    for (const [mode, call, pid] of modes) {
      for (let i = 0; i < 100; i++) await call('list_metrics', { limit: 1 }); // warm up
      const times: number[] = [];
      const server0 = cpuSeconds(pid);
      const client0 = process.cpuUsage();
      for (let i = 0; i < calls; i++) {
        const t = process.hrtime.bigint();
        await call('list_metrics', { limit: 1 });
        times.push(msSince(t));
      }
      const client = process.cpuUsage(client0);
      times.sort((a, b) => a - b);
      out[mode] = {
        calls,
        p50Ms: r3(quantile(times, 0.5)),
        p99Ms: r3(quantile(times, 0.99)),
        serverCpuMsPerCall: r3(((cpuSeconds(pid) - server0) * 1000) / calls),
        clientCpuMsPerCall: r3((client.user + client.system) / 1000 / calls),
      };
    }
  } finally {
    await session.close().catch(() => undefined);
    await http.stop();
    await stdio.close();
  }
  return out;
}

async function httpMode(token: string): Promise<Record<string, unknown>> {
  const servers = {} as Record<ServerName, HttpServerProcess>;
  for (const name of SERVER_NAMES) servers[name] = await startFixtureServer(name, { token });
  const idle = Object.fromEntries(SERVER_NAMES.map((s) => [s, r1(memKb(servers[s].pid).rss / 1024)]));
  const cpu0 = Object.fromEntries(SERVER_NAMES.map((s) => [s, cpuSeconds(servers[s].pid)]));
  const sessions: Array<Record<ServerName, HttpClient>> = [];
  const connectMs: number[] = [];
  try {
    await Promise.all(
      Array.from({ length: SESSIONS }, async (_, e) => {
        const engineer = {} as Record<ServerName, HttpClient>;
        for (const s of SERVER_NAMES) {
          const t = process.hrtime.bigint();
          engineer[s] = await connectHttp(servers[s].url, token, `bench-engineer-${e}`);
          connectMs.push(msSince(t));
        }
        sessions[e] = engineer;
      }),
    );
    const outcome = await runLoad(
      sessions.map((engineer) => Object.fromEntries(SERVER_NAMES.map((s) => [s, (tool: string, args: Record<string, unknown>) => engineer[s].call(tool, args)])) as Record<ServerName, Caller>),
    );
    // the servers' own view, from their /metrics: sessions open now and calls counted
    const fromMetrics: Record<string, unknown> = {};
    for (const s of SERVER_NAMES) {
      const text = await (await fetch(new URL('/metrics', servers[s].url), { headers: { Authorization: `Bearer ${token}` } })).text();
      const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
      fromMetrics[s] = {
        sessions: sum(/^mcp_sessions\{[^}]*\} (\S+)$/gm),
        toolCalls: sum(/^mcp_tool_calls_total\{[^}]*\} (\S+)$/gm),
        toolErrors: sum(/^mcp_tool_errors_total\{[^}]*\} (\S+)$/gm),
        residentMb: r1(sum(/^process_resident_memory_bytes\{[^}]*\} (\S+)$/gm) / 1048576),
      };
    }
    const mem = Object.fromEntries(SERVER_NAMES.map((s) => [s, memKb(servers[s].pid)]));
    return summarize(
      outcome,
      {
        processes: 3,
        serverRssIdleMb: idle,
        serverRssPeakMb: Object.fromEntries(SERVER_NAMES.map((s) => [s, r1(mem[s]!.hwm / 1024)])),
        serverRssPeakTotalMb: r1(SERVER_NAMES.reduce((n, s) => n + mem[s]!.hwm, 0) / 1024),
        serverCpuSeconds: Object.fromEntries(SERVER_NAMES.map((s) => [s, r3(cpuSeconds(servers[s].pid) - cpu0[s]!)])),
        fromMetrics,
      },
      { sessionsPerServer: SESSIONS, connectP50Ms: r3(quantile(connectMs.sort((a, b) => a - b), 0.5)) },
    );
  } finally {
    await Promise.all(sessions.flatMap((engineer) => SERVER_NAMES.map((s) => engineer?.[s]?.close().catch(() => undefined))));
    await Promise.all(SERVER_NAMES.map((s) => servers[s].stop()));
  }
}

const stdioCaller = (server: RunningServer): Caller => async (tool, args) =>
  (await server.client.callTool({ name: tool, arguments: args }, CallToolResultSchema)) as CallToolResult;

async function stdioShared(): Promise<Record<string, unknown>> {
  const servers = {} as Record<ServerName, RunningServer>;
  try {
    for (const s of SERVER_NAMES) servers[s] = await startServer(s, dataArgs(s));
    const pids = Object.fromEntries(SERVER_NAMES.map((s) => [s, servers[s].pid!]));
    const idle = Object.fromEntries(SERVER_NAMES.map((s) => [s, r1(memKb(pids[s]!).rss / 1024)]));
    const cpu0 = Object.fromEntries(SERVER_NAMES.map((s) => [s, cpuSeconds(pids[s]!)]));
    const shared = Object.fromEntries(SERVER_NAMES.map((s) => [s, stdioCaller(servers[s])])) as Record<ServerName, Caller>;
    const outcome = await runLoad(Array.from({ length: SESSIONS }, () => shared));
    const mem = Object.fromEntries(SERVER_NAMES.map((s) => [s, memKb(pids[s]!)]));
    return summarize(outcome, {
      processes: 3,
      serverRssIdleMb: idle,
      serverRssPeakMb: Object.fromEntries(SERVER_NAMES.map((s) => [s, r1(mem[s]!.hwm / 1024)])),
      serverRssPeakTotalMb: r1(SERVER_NAMES.reduce((n, s) => n + mem[s]!.hwm, 0) / 1024),
      serverCpuSeconds: Object.fromEntries(SERVER_NAMES.map((s) => [s, r3(cpuSeconds(pids[s]!) - cpu0[s]!)])),
    }, { clientsPerServer: 1, concurrentCallers: SESSIONS });
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.close().catch(() => undefined)));
  }
}

async function stdioPerClient(): Promise<Record<string, unknown>> {
  const engineers: Array<Record<ServerName, RunningServer>> = [];
  const t = process.hrtime.bigint();
  try {
    // spawn in waves of 10 engineers (30 processes) so start-up does not time out on a small machine
    for (let wave = 0; wave < SESSIONS; wave += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, SESSIONS - wave) }, async (_, k) => {
          const engineer = {} as Record<ServerName, RunningServer>;
          for (const s of SERVER_NAMES) engineer[s] = await startServer(s, dataArgs(s));
          engineers[wave + k] = engineer;
        }),
      );
    }
    const startAllMs = msSince(t);
    const pids = engineers.flatMap((e) => SERVER_NAMES.map((s) => e[s].pid!));
    const idleKb = pids.reduce((n, p) => n + memKb(p).rss, 0);
    const cpu0 = pids.reduce((n, p) => n + cpuSeconds(p), 0);
    const outcome = await runLoad(engineers.map((e) => Object.fromEntries(SERVER_NAMES.map((s) => [s, stdioCaller(e[s])])) as Record<ServerName, Caller>));
    const hwmKb = pids.reduce((n, p) => n + memKb(p).hwm, 0);
    const perServerHwm = Object.fromEntries(
      SERVER_NAMES.map((s) => [s, r1(median(engineers.map((e) => memKb(e[s].pid!).hwm)) / 1024)]),
    );
    return summarize(outcome, {
      processes: pids.length,
      serverRssIdleTotalMb: r1(idleKb / 1024),
      serverRssPeakTotalMb: r1(hwmKb / 1024),
      serverRssPeakMedianPerProcessMb: perServerHwm,
      serverCpuSeconds: r3(pids.reduce((n, p) => n + cpuSeconds(p), 0) - cpu0),
    }, { sessionsPerServer: SESSIONS, startAllProcessesMs: Math.round(startAllMs) });
  } finally {
    await Promise.all(engineers.flatMap((e) => SERVER_NAMES.map((s) => e?.[s]?.close().catch(() => undefined))));
  }
}

async function main(): Promise<void> {
  const token = crypto.randomBytes(32).toString('hex');
  console.error(`cold start (${COLD_RUNS} runs per server)…`);
  const coldStart = await coldStarts(token);
  const stdioColdStart = await stdioColdStarts();
  console.error('per-call overhead, one session, sequential…');
  const overhead = await perCallOverhead(token);
  console.error(`http: ${SESSIONS} engineers × ${CALLS} calls…`);
  const http = await httpMode(token);
  console.error('stdio, one process per server shared by all…');
  const shared = await stdioShared();
  let perClient: Record<string, unknown> | undefined;
  if (PER_CLIENT) {
    console.error(`stdio, ${SESSIONS} × 3 processes…`);
    perClient = await stdioPerClient();
  }
  const result = writeResult('http-load', {
    load: {
      engineers: SESSIONS,
      callsPerEngineer: CALLS,
      totalCalls: SESSIONS * CALLS,
      how:
        'each engineer holds one MCP session per server (N sessions per server) and makes its calls one after another, ' +
        'rotating through the mix from its own offset; all engineers at once; clients in the bench process on the same machine',
      mix: MIX.map((m) => `${m.server}.${m.tool} ${JSON.stringify(m.args)}`),
    },
    coldStartToHealth200: coldStart,
    stdioColdStartToToolsList: stdioColdStart,
    perCallOverhead: overhead,
    http,
    stdioShared: shared,
    ...(perClient ? { stdioPerClient: perClient } : {}),
  });
  const rows: Array<[string, Record<string, unknown> | undefined]> = [
    ['http (3 processes)', http],
    ['stdio shared (3 processes)', shared],
    [`stdio per client (${SESSIONS * 3} processes)`, perClient],
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(`\n${SESSIONS} engineers × ${CALLS} calls, ${SESSIONS * CALLS} calls per mode (${result.machine})\n`);
  const cpuTotal = (r: Record<string, unknown>) => {
    const c = r.serverCpuSeconds as number | Record<string, number>;
    return typeof c === 'number' ? c : Object.values(c).reduce((a, b) => a + b, 0);
  };
  console.log(line(['mode', 'calls', 'errors', 'p50 ms', 'p99 ms', 'calls/s', 'server CPU s', 'client CPU s', 'server RSS peak, sum MB']));
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const [name, r] of rows) {
    if (!r) continue;
    console.log(
      line([name, String(r.calls), String(r.errors), String(r.p50Ms), String(r.p99Ms), String(r.callsPerSecond), String(r3(cpuTotal(r))), String(r.clientCpuSeconds), String(r.serverRssPeakTotalMb)]),
    );
  }
  const ms = (o: Record<string, unknown>) => SERVER_NAMES.map((s) => `${s} ${(o[s] as { medianMs: number }).medianMs} ms`).join(', ');
  console.log(`\ncold start (median of ${COLD_RUNS}): spawn → /health 200: ${ms(coldStart)}; over stdio, spawn → tools/list: ${ms(stdioColdStart)}`);
  const o = overhead as Record<'http' | 'stdio', Record<string, number>>;
  console.log(
    `one session, sequential list_metrics: http p50 ${o.http.p50Ms} ms (server ${o.http.serverCpuMsPerCall} + client ${o.http.clientCpuMsPerCall} ms CPU/call), ` +
      `stdio p50 ${o.stdio.p50Ms} ms (server ${o.stdio.serverCpuMsPerCall} + client ${o.stdio.clientCpuMsPerCall} ms CPU/call)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
