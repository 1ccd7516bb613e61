// Data where teams keep it, at scale: checkout-500's scaled copy (bench/generate/scaledCheckout.mjs: a week of logs,
// 1 GB; a week of per-second metrics) pushed into a real Grafana Loki and backfilled into a real Prometheus, both
// started here on loopback. Figures:
// - Loki ingest rate (lines/s, MB/s) and the Prometheus backfill (promtool) time;
// - per-tool latency, warm median of 5, against files, Prometheus and Loki alike, with the incident's window;
// - the built-in analysis through Prometheus + Loki (repository on disk), without a window and with the incident's
//   window: wall time, peak memory of the CLI's process tree (CLI and servers), and the backends' own memory.
// Prometheus gets the metrics at a 15 s scrape interval (what a Prometheus scrapes; per-second series would be
// 40 M samples with the latency histogram), so the files' per-second series and Prometheus' differ in resolution.
// The ingested data is kept in bench/data/backends/ (Loki's and Prometheus' own folders) and reused while its stamp
// matches; --fresh ingests again.
// Usage: npm run build && npx tsx bench/backends.ts [--runs N] [--fresh]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { findLokiBinary, startLoki, type RunningLoki } from '../test/support/loki.js';
import { openMetricsFromFixture, readFixtureRows } from '../test/support/openMetricsFromFixture.js';
import { startPrometheus, type RunningPrometheus } from '../test/support/prometheus.js';
import { entriesOf, pushEntries } from '../test/support/pushFixtureToLoki.js';
import { BENCH_ROOT, median, treeRssKb, writeResult } from './support.js';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 1;
const CLI = path.join(BENCH_ROOT, 'dist', 'cli.js');
const SCRAPE_S = 15;
const SLICE_LINES = 100_000;
const DATA = path.join(BENCH_ROOT, 'bench', 'data', 'backends');
const STAMP = `v1 scrape=${SCRAPE_S}`;

interface Scenario {
  incident: string;
  window: { since: string; until: string };
  expected: { culpritCommitSubject: string | null; category: string; onset: string };
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Pushes every log file as its own stream, in slices, keeping each stream's times strictly ascending. */
async function pushLogs(loki: RunningLoki, logsDir: string): Promise<{ lines: number; megabytes: number; seconds: number }> {
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  const files = fs.readdirSync(logsDir).sort();
  const year = 2026;
  for (const file of files) {
    const text = fs.readFileSync(path.join(logsDir, file), 'utf8');
    bytes += Buffer.byteLength(text);
    const all = text.split('\n');
    if (all.at(-1) === '') all.pop();
    const labels = { job: 'bench', service: file.split('.')[0]!, filename: file };
    let after: bigint | undefined;
    for (let i = 0; i < all.length; i += SLICE_LINES) {
      const entries = entriesOf(all.slice(i, i + SLICE_LINES), year, after).map((e) => ({ ...e, text: e.text || ' ' }));
      await pushEntries(loki.url, labels, entries);
      after = BigInt(entries.at(-1)!.timeNs);
    }
    lines += all.length;
    process.stdout.write(`  pushed ${file}: ${all.length} lines\n`);
  }
  return { lines, megabytes: Math.round(bytes / 1048576), seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** Rows at the scrape interval: what Prometheus would have scraped of the per-second series. */
function scrapedRows(metricsFile: string) {
  return readFixtureRows(metricsFile).filter((row) => Math.round(Date.parse(row.timestamp) / 1000) % SCRAPE_S === 0);
}

async function connect(server: string, args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [path.join(BENCH_ROOT, 'dist', 'servers', `${server}.js`), ...args], env: { ...getDefaultEnvironment(), ...env }, stderr: 'ignore' }),
  );
  return client;
}

/** Warm median and the first (cold) call of each tool, in ms. */
async function toolLatencies(client: Client, calls: Array<[string, Record<string, unknown>]>): Promise<Record<string, { coldMs: number; warmMedianMs: number; error?: string }>> {
  const out: Record<string, { coldMs: number; warmMedianMs: number; error?: string }> = {};
  for (const [tool, args] of calls) {
    const times: number[] = [];
    let error: string | undefined;
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const result = await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, { timeout: 300_000 });
      times.push(performance.now() - started);
      if (result.isError) error = String((result.content as Array<{ text?: string }>)[0]?.text ?? '').split('\n')[0];
    }
    out[tool] = { coldMs: Math.round(times[0]!), warmMedianMs: Math.round(median(times.slice(1))), ...(error && { error }) };
    console.log(`  ${tool}: ${JSON.stringify(out[tool])}`);
  }
  return out;
}

interface AnalysisFigures {
  wallMs: number;
  /** Each tool call of the run with its duration, as the CLI printed them. */
  calls: string[];
  peakTreeMb: number;
  backendsPeakMb: number;
  culprit: string | null;
  category: string;
  onset: string | null;
  asExpected: boolean;
  verified: string;
}

async function analyse(args: string[], env: Record<string, string>, backendPids: number[], scenario: Scenario): Promise<AnalysisFigures> {
  const out = path.join(os.tmpdir(), `ia-backends-${process.pid}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'analyze', scenario.incident, '--analyst', 'builtin', '--json', out, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakKb = 0;
  let backendsKb = 0;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, treeRssKb(child.pid!));
    backendsKb = Math.max(backendsKb, backendPids.reduce((n, pid) => n + treeRssKb(pid), 0));
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const wallMs = Math.round(performance.now() - started);
  if (code !== 0) throw new Error(`analysis failed (exit ${code}):\n${stderr.slice(-4000)}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    rootCause: { category: string; onset: string | null; suspectCommit: string | null };
    evidence: Array<{ kind: string; hash?: string; text?: string; verified: boolean }>;
  };
  fs.rmSync(out, { force: true });
  const { rootCause, evidence } = report;
  const culprit = evidence.find((e) => e.kind === 'commit' && e.hash === rootCause.suspectCommit)?.text?.split(':')[0] ?? null;
  return {
    wallMs,
    calls: [...stderr.matchAll(/^ +[→✗] (\S+ \(\d+ ms\).*)$/gm)].map((m) => m[1]!.slice(0, 160)),
    peakTreeMb: Math.round(peakKb / 1024),
    backendsPeakMb: Math.round(backendsKb / 1024),
    culprit,
    category: rootCause.category,
    onset: rootCause.onset,
    asExpected: culprit === scenario.expected.culpritCommitSubject && rootCause.category === scenario.expected.category,
    verified: `${evidence.filter((e) => e.verified).length}/${evidence.length}`,
  };
}

/** Per-tool latency with the incident's window: files, Prometheus and Loki alike. */
async function measureLatencies(workspace: string, prometheusUrl: string, lokiUrl: string, window: Scenario['window']): Promise<Record<string, unknown>> {
  console.log('Per-tool latency (incident window)…');
  const metricCalls: Array<[string, Record<string, unknown>]> = [
    ['list_metrics', {}],
    ['get_error_rates', { ...window }],
    ['get_anomalies', { ...window }],
    ['get_metrics', { metric_type: 'errors', ...window }],
    ['get_metric_at', { metric: 'error_rate', timestamp: '2026-02-17T14:50:00Z' }],
  ];
  const logCalls = (readArgs: Record<string, unknown>): Array<[string, Record<string, unknown>]> => [
    ['search_logs', { pattern: 'timeout acquiring connection', ...window, max_results: 50 }],
    ['log_histogram', { level: 'error', bucket_minutes: 1, ...window }],
    ['log_patterns', { level: 'warn', ...window }],
    ['read_logs', readArgs],
  ];
  const latency: Record<string, unknown> = {};
  const measure = async (server: string, args: string[], calls: (client: Client) => Promise<Array<[string, Record<string, unknown>]>>) => {
    const client = await connect(server, args);
    try {
      return await toolLatencies(client, await calls(client));
    } finally {
      await client.close();
    }
  };
  latency.metricsFromFile = await measure('metrics', ['--metrics', path.join(workspace, 'metrics.json')], async () => metricCalls);
  latency.metricsFromPrometheus = await measure('metrics', ['--prometheus', prometheusUrl], async () => metricCalls);
  latency.logsFromFiles = await measure('logs', ['--logs', path.join(workspace, 'logs')], async () => logCalls({ file: 'api.log', offset: 1446, limit: 20 }));
  latency.logsFromLoki = await measure('logs', ['--loki', lokiUrl], async (client) => {
    const search = { pattern: 'timeout acquiring connection', ...window, max_results: 1 };
    const found = (await client.callTool({ name: 'search_logs', arguments: search }, CallToolResultSchema)).structuredContent as {
      matches: Array<{ file: string; time_ns: string }>;
    };
    return logCalls({ file: found.matches[0]!.file, time_ns: found.matches[0]!.time_ns, before: 10, after: 10 });
  });
  return latency;
}

async function main(): Promise<void> {
  const prometheusBin = which('prometheus');
  const promtool = which('promtool');
  const lokiBin = findLokiBinary();
  if (!prometheusBin || !promtool || !lokiBin.path) throw new Error(`needs prometheus, promtool and Loki (${lokiBin.reason}); run scripts/install-backends.sh`);

  const generator = './generate/scaledCheckout.mjs';
  const { ensureScaledCheckout } = (await import(generator)) as {
    ensureScaledCheckout(dir: string): { workspace: string; repo: string; scenario: Scenario };
  };
  const scaled = ensureScaledCheckout(path.join(BENCH_ROOT, 'bench', 'data', 'checkout-500-scaled'));
  const { scenario } = scaled;

  const stampFile = path.join(DATA, 'stamp.json');
  const fresh = process.argv.includes('--fresh') || !fs.existsSync(stampFile) || JSON.parse(fs.readFileSync(stampFile, 'utf8')).stamp !== STAMP;
  if (fresh) fs.rmSync(DATA, { recursive: true, force: true });
  const loki = await startLoki(lokiBin.path, 600_000, { keepDir: path.join(DATA, 'loki'), splitQueriesBy: '30m' }); // Loki's default
  let prometheus: RunningPrometheus | undefined;
  try {
    let ingest: { lines: number; megabytes: number; seconds: number };
    let backfill: { rows: number; samples: number; secondsWithStart: number };
    if (fresh) {
      console.log('Loki: pushing the scaled logs…');
      ingest = await pushLogs(loki, path.join(scaled.workspace, 'logs'));
      console.log(`  ${ingest.lines} lines, ${ingest.megabytes} MB in ${ingest.seconds} s`);
      console.log(`Prometheus: backfilling the metrics at a ${SCRAPE_S} s scrape interval…`);
      const rows = scrapedRows(path.join(scaled.workspace, 'metrics.json'));
      const openMetrics = openMetricsFromFixture(rows);
      const backfillStarted = performance.now();
      prometheus = await startPrometheus({ prometheus: prometheusBin, promtool }, openMetrics, path.join(DATA, 'prometheus'));
      backfill = { rows: rows.length, samples: openMetrics.split('\n').length - 2, secondsWithStart: Math.round((performance.now() - backfillStarted) / 100) / 10 };
      fs.writeFileSync(stampFile, JSON.stringify({ stamp: STAMP, ingest, backfill }));
    } else {
      ({ ingest, backfill } = JSON.parse(fs.readFileSync(stampFile, 'utf8')));
      console.log('Reusing the ingested logs and backfilled metrics of an earlier run (--fresh to ingest again)');
      prometheus = await startPrometheus({ prometheus: prometheusBin, promtool }, undefined, path.join(DATA, 'prometheus'));
    }
    console.log(`  ${JSON.stringify(backfill)}`);

    const lokiPid = loki.pid;
    const prometheusPid = Number(fs.readdirSync('/proc').find((p) => /^\d+$/.test(p) && readCmdline(p).includes(`127.0.0.1:${prometheus!.port}`)));

    const window = scenario.window;
    const analysisOnly = process.argv.includes('--analysis-only'); // for a quick look at the analysis alone
    const latency = analysisOnly ? {} : await measureLatencies(scaled.workspace, prometheus.url, loki.url, window);

    console.log('Built-in analysis through Prometheus + Loki…');
    const backendArgs = ['--workspace', scaled.workspace, '--repo', scaled.repo, '--prometheus', prometheus.url, '--loki', loki.url];
    // Without a window the servers look this far back for data: the bench's incident is in February 2026.
    const lookback = { INCIDENT_LOKI_LOOKBACK: '400d', INCIDENT_PROMETHEUS_LOOKBACK: '400d' };
    const pids = [lokiPid, prometheusPid].filter((p) => Number.isFinite(p) && p > 0);
    const analyses: Record<string, AnalysisFigures[]> = { noWindow: [], withScenarioWindow: [] };
    for (let i = 0; i < RUNS; i++) {
      analyses.noWindow!.push(await analyse(backendArgs, lookback, pids, scenario));
      console.log(`  no window: ${JSON.stringify(analyses.noWindow!.at(-1))}`);
      analyses.withScenarioWindow!.push(await analyse([...backendArgs, '--since', window.since, '--until', window.until], lookback, pids, scenario));
      console.log(`  window: ${JSON.stringify(analyses.withScenarioWindow!.at(-1))}`);
    }
    const summary = (runs: AnalysisFigures[]) => ({ ...runs.at(-1)!, wallMs: Math.round(median(runs.map((r) => r.wallMs))), peakTreeMb: Math.max(...runs.map((r) => r.peakTreeMb)) });
    if (analysisOnly) {
      writeResult('backends-analysis', { analysisThroughBackends: { noWindow: summary(analyses.noWindow!), withScenarioWindow: summary(analyses.withScenarioWindow!) } });
      return;
    }

    writeResult('backends', {
      runs: RUNS,
      data: { logLines: ingest.lines, logMegabytes: ingest.megabytes, prometheusScrapeSeconds: SCRAPE_S, prometheusRows: backfill.rows, prometheusSamples: backfill.samples },
      lokiIngest: { ...ingest, linesPerSecond: Math.round(ingest.lines / ingest.seconds), megabytesPerSecond: Math.round((ingest.megabytes / ingest.seconds) * 10) / 10 },
      prometheusBackfill: backfill,
      toolLatencyMs: latency,
      analysisThroughBackends: { noWindow: summary(analyses.noWindow!), withScenarioWindow: summary(analyses.withScenarioWindow!) },
    });
  } finally {
    await loki.stop();
    await prometheus?.stop();
  }
}

function readCmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
