// `incident-analyzer analyze`: the engine from a terminal. Progress goes to stderr, the report to stdout.
import fs from 'node:fs';
import path from 'node:path';
import { LOKI_ENV, PROMETHEUS_ENV, credentialsFrom } from '../engine/config/backendSources.js';
import { buildServerList, readMcpJsonFile } from '../engine/config/serverList.js';
import { McpClientManager } from '../engine/mcp/clientManager.js';
import { loopbackOpener } from '../engine/mcp/oauth/authorizationOpener.js';
import { runAnalysis, type RunResult } from '../engine/analysis/run.js';
import type { Analyst } from '../engine/analysis/analyst.js';
import { BuiltinAnalyst } from '../engine/analysts/builtin/index.js';
import { OllamaAnalyst } from '../engine/analysts/ollama/index.js';
import { UsageError, type AnalyzeArgs } from './args.js';
import { createProgressPrinter, formatServerTotals } from './printer.js';
import { FileTokenStore } from './oauthFileStore.js';
import { openBrowser } from './openBrowser.js';

/** Runs one analysis; resolves with the exit code: 0 a report was produced, 1 the analysis failed. */
export async function runAnalyze(given: AnalyzeArgs): Promise<number> {
  const args = absolutePaths(given);
  checkPaths(args);

  const extra = args.config ? readMcpJsonFile(args.config) : undefined;
  const { servers, skipped } = buildServerList({
    sources: {
      workspace: args.workspace,
      repo: args.repo,
      logs: args.logs,
      metrics: args.metrics,
      deployments: args.deployments,
      prometheus: args.prometheus ? { url: args.prometheus, signals: args.signals, env: credentialsFrom(process.env, PROMETHEUS_ENV) } : undefined,
      loki: args.loki ? { url: args.loki, selector: args.lokiSelector, env: credentialsFrom(process.env, LOKI_ENV) } : undefined,
    },
    serversDir: path.join(__dirname, 'servers'),
    extra,
  });
  const tokens = new FileTokenStore();
  const manager = new McpClientManager(servers, {
    callTimeoutMs: args.toolTimeoutMs,
    // A person ran this: a remote server that wants a sign-in opens the browser (bounded wait).
    oauth: {
      store: tokens,
      opener: loopbackOpener(openBrowser),
      signInOnStart: true,
      signInHint: `Run the command again and finish the sign-in in the browser within 3 minutes; to start over, delete the server's entry in ${tokens.file}.`,
    },
  });
  const controller = new AbortController();
  // Each of these ends the run cleanly: the transcript gets its `cancelled` event and the servers are stopped.
  process.once('SIGINT', () => controller.abort(new Error('interrupted (Ctrl-C)')));
  process.once('SIGTERM', () => controller.abort(new Error('terminated (SIGTERM)')));
  process.once('SIGHUP', () => controller.abort(new Error('the terminal closed (SIGHUP)')));
  const print = createProgressPrinter((text) => process.stderr.write(text));
  const run = (analyst: Analyst) =>
    runAnalysis({
      incident: args.incident,
      window: { since: args.since, until: args.until },
      analyst,
      manager,
      skippedServers: skipped,
      transcriptPath: args.transcript,
      signal: controller.signal,
      onEvent: print,
    });

  try {
    let result: RunResult = await run(chooseAnalyst(args));
    if (result.outcome === 'error' && result.error?.builtinFallback && args.analyst === 'auto') {
      process.stderr.write('Running the built-in analyst instead (use --analyst ollama to insist on the model).\n');
      result = await run(new BuiltinAnalyst());
    }
    const totals = formatServerTotals(manager.statuses());
    if (totals) process.stderr.write(`Tool calls: ${totals}\n`);
    if (result.outcome !== 'report' || !result.report || !result.markdown) return 1;
    process.stdout.write(`\n${result.markdown}`);
    if (args.json) writeOut(args.json, `${JSON.stringify(result.report, null, 2)}\n`);
    if (args.markdown) writeOut(args.markdown, result.markdown);
    return 0;
  } finally {
    await manager.stop();
  }
}

function chooseAnalyst(args: AnalyzeArgs): Analyst {
  if (args.analyst === 'builtin' || (args.analyst === 'auto' && !args.model)) return new BuiltinAnalyst();
  return new OllamaAnalyst({
    host: args.ollamaHost,
    model: args.model,
    apiKey: process.env.OLLAMA_API_KEY,
    allowKeyOverHttp: process.env.OLLAMA_ALLOW_KEY_OVER_HTTP === '1',
    numCtx: args.numCtx,
    maxTurns: args.maxTurns,
    predigest: args.predigest,
  });
}

/** Paths on the command line are relative to the current folder, as in any CLI. */
function absolutePaths(args: AnalyzeArgs): AnalyzeArgs {
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(p));
  return {
    ...args,
    workspace: path.resolve(args.workspace),
    repo: abs(args.repo),
    logs: args.logs.map((l) => path.resolve(l)),
    metrics: abs(args.metrics),
    deployments: abs(args.deployments),
    signals: abs(args.signals),
    config: abs(args.config),
    json: abs(args.json),
    markdown: abs(args.markdown),
    transcript: abs(args.transcript),
  };
}

/** Catches wrong paths before any server starts, with the flag to fix. */
function checkPaths(args: AnalyzeArgs): void {
  const ws = args.workspace;
  if (!fs.existsSync(ws) || !fs.statSync(ws).isDirectory()) throw new UsageError(`--workspace ${ws} is not a folder`);
  const mustExist: Array<[string, string | undefined]> = [
    ['--repo', args.repo],
    ['--metrics', args.metrics],
    ['--deployments', args.deployments],
    ['--signals', args.signals],
    ['--config', args.config],
  ];
  for (const [flag, value] of mustExist) {
    if (value && !fs.existsSync(value)) throw new UsageError(`${flag} ${value} does not exist`);
  }
}

function writeOut(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
  process.stderr.write(`Wrote ${file}\n`);
}
