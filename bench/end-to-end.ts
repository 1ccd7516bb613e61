// End to end: the CLI's built-in analysis (`dist/cli.js analyze`, servers and all) on every fixture, then on
// checkout-500 at scale (bench/generate/scaledCheckout.mjs: 1 GB of logs, 50,000 more commits, a week of
// per-second metrics), without a time window and with the scenario's window. Wall time and the peak memory of
// the whole process tree (the CLI and its three servers, sampled from /proc every 100 ms); the scaled runs are
// also given as ratios to the same analysis of the unscaled fixture in this run.
// Usage: npm run build && npm run fixtures && npx tsx bench/end-to-end.ts [--runs N] [--scaled-runs N]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_ROOT, median, treeRssKb, writeResult } from './support.js';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = flag('--runs', 3);
const SCALED_RUNS = flag('--scaled-runs', 1);
const CLI = path.join(BENCH_ROOT, 'dist', 'cli.js');

interface Scenario {
  incident: string;
  window: { since: string; until: string };
  expected: { culpritCommitSubject: string | null; category: string; onset: string };
}

interface Run {
  ms: number;
  peakTreeMb: number;
  report: { rootCause: { category: string; confidence: string; onset?: string; suspectCommit?: string }; evidence: Array<{ kind: string; hash?: string; text?: string; verified: boolean }> };
}

async function analyze(workspace: string, repo: string, scenario: Scenario, withWindow: boolean): Promise<Run> {
  const out = path.join(os.tmpdir(), `ia-e2e-${process.pid}.json`);
  const args = [CLI, 'analyze', scenario.incident, '--workspace', workspace, '--repo', repo, '--analyst', 'builtin', '--json', out];
  if (withWindow) args.push('--since', scenario.window.since, '--until', scenario.window.until);
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakKb = 0;
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(child.pid!))), 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`analysis of ${workspace} failed (exit ${code}):\n${stderr}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Run['report'];
  fs.rmSync(out, { force: true });
  return { ms, peakTreeMb: Math.round(peakKb / 1024), report };
}

/** Median figures of `runs` analyses, and whether the last one found what the scenario expects. */
async function measure(workspace: string, repo: string, scenario: Scenario, withWindow: boolean, runs: number) {
  const done: Run[] = [];
  for (let i = 0; i < runs; i++) done.push(await analyze(workspace, repo, scenario, withWindow));
  const { rootCause, evidence } = done.at(-1)!.report;
  const culprit = evidence.find((e) => e.kind === 'commit' && e.hash === rootCause.suspectCommit)?.text?.split(':')[0];
  return {
    wallMs: Math.round(median(done.map((r) => r.ms))),
    peakTreeMb: Math.max(...done.map((r) => r.peakTreeMb)),
    category: rootCause.category,
    confidence: rootCause.confidence,
    onset: rootCause.onset,
    culprit: culprit ?? null,
    asExpected: (culprit ?? null) === (scenario.expected.culpritCommitSubject ?? null) && rootCause.category === scenario.expected.category,
    onsetAsExpected: rootCause.onset === scenario.expected.onset,
    verified: `${evidence.filter((e) => e.verified).length}/${evidence.length}`,
  };
}

async function main(): Promise<void> {
  const fixturesDir = path.join(BENCH_ROOT, 'fixtures');
  const fixtures: Record<string, unknown> = {};
  for (const name of fs.readdirSync(fixturesDir).filter((n) => fs.existsSync(path.join(fixturesDir, n, 'scenario.json')))) {
    const dir = path.join(fixturesDir, name);
    const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as Scenario;
    fixtures[name] = await measure(dir, path.join(dir, 'repo'), scenario, false, RUNS);
    console.log(name, JSON.stringify(fixtures[name]));
  }

  const generator = './generate/scaledCheckout.mjs';
  const { ensureScaledCheckout } = (await import(generator)) as {
    ensureScaledCheckout(dir: string): { workspace: string; repo: string; scenario: Scenario; built: boolean };
  };
  const scaled = ensureScaledCheckout(path.join(BENCH_ROOT, 'bench', 'data', 'checkout-500-scaled'));
  const unscaledDir = path.join(fixturesDir, 'checkout-500');
  const figures: Record<string, unknown> = {};
  for (const withWindow of [false, true]) {
    const key = withWindow ? 'withScenarioWindow' : 'noWindow';
    const base = await measure(unscaledDir, path.join(unscaledDir, 'repo'), scaled.scenario, withWindow, RUNS);
    const big = await measure(scaled.workspace, scaled.repo, scaled.scenario, withWindow, SCALED_RUNS);
    figures[key] = { ...big, unscaledWallMs: base.wallMs, ratioToUnscaled: Math.round((big.wallMs / base.wallMs) * 10) / 10, unscaledPeakTreeMb: base.peakTreeMb };
    console.log(key, JSON.stringify(figures[key]));
  }
  const logBytes = fs.readdirSync(path.join(scaled.workspace, 'logs')).reduce((n, f) => n + fs.statSync(path.join(scaled.workspace, 'logs', f)).size, 0);
  writeResult('end-to-end', {
    runs: { fixtures: RUNS, scaled: SCALED_RUNS },
    fixtures,
    scaledCheckout500: {
      data: {
        logMegabytes: Math.round(logBytes / 1048576),
        metricsMegabytes: Math.round(fs.statSync(path.join(scaled.workspace, 'metrics.json')).size / 1048576),
        commits: Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: scaled.repo, encoding: 'utf8' }).trim()),
      },
      ...figures,
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
