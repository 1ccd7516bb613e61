// The model path, measured: every fixture (each folder of fixtures/ with a scenario.json) through the Ollama
// analyst and/or the built-in analyst, with the real bundled MCP servers over stdio, through the engine's own
// run (runAnalysis: the same investigation, verification and report as the CLI and the extension). For each
// fixture and in total: culprit, category and onset right (onset within 2 minutes), false citations (evidence
// the verifier could not verify), model turns, tokens (Ollama's prompt_eval_count / eval_count) and time.
// Writes bench/results/eval-<model>.json and bench/results/eval-builtin.json.
//
// Usage: npm run eval -- --model NAME [--ollama-host URL] [--fixtures a,b] [--analyst ollama|builtin|both]
//          [--no-predigest] [--no-window] [--max-turns N] [--num-ctx N] [--out DIR] [--transcripts DIR] [--verbose]
// (npm run eval builds first; `npx tsx bench/eval.ts …` runs it against the current dist/.)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Analyst } from '../src/engine/analysis/analyst.js';
import type { AnalysisEvent } from '../src/engine/analysis/events.js';
import { runAnalysis, type RunResult } from '../src/engine/analysis/run.js';
import { BuiltinAnalyst } from '../src/engine/analysts/builtin/index.js';
import { OllamaAnalyst } from '../src/engine/analysts/ollama/index.js';
import { displayHost, DEFAULT_OLLAMA_HOST } from '../src/engine/analysts/ollama/options.js';
import { buildServerList } from '../src/engine/config/serverList.js';
import { McpClientManager } from '../src/engine/mcp/clientManager.js';
import { createProgressPrinter } from '../src/cli/printer.js';
import { formatTable, scoreRun, totalsOf, type Expected, type FixtureScore, type ModelCounts } from './evalScore.js';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'fixtures');

const USAGE = `usage: npm run eval -- --model NAME [options]      (or: npx tsx bench/eval.ts …)

  --model NAME          Ollama model to evaluate (e.g. qwen2.5:7b); not needed with --analyst builtin
  --ollama-host URL     default ${DEFAULT_OLLAMA_HOST} (API key: OLLAMA_API_KEY)
  --analyst WHICH       both (default with --model) | ollama | builtin
  --fixtures a,b        only these fixtures (default: every folder of fixtures/ with a scenario.json)
  --no-predigest        the model starts without the built-in analyst's first pass
  --no-window           do not give the scenario's time window (default: give it, as a user would)
  --max-turns N         model turns (default 12)     --num-ctx N   context window (default 16384)
  --out DIR             where eval-<name>.json go (default bench/results)
  --transcripts DIR     also keep each run's events as DIR/<name>/<fixture>.jsonl
  --verbose             print every run's progress as the CLI does
`;

class UsageError extends Error {}

interface EvalArgs {
  model?: string;
  host: string;
  analysts: Array<'ollama' | 'builtin'>;
  fixtures?: string[];
  predigest: boolean;
  window: boolean;
  maxTurns?: number;
  numCtx?: number;
  out: string;
  transcripts?: string;
  verbose: boolean;
}

interface Scenario {
  name: string;
  dir: string;
  /** fixtures/<name>/repo, or a copy built from its history.json when that is missing. */
  repo: string;
  incident: string;
  window?: { since?: string; until?: string };
  expected: Expected;
}

function parseArgs(argv: string[]): EvalArgs {
  const args: EvalArgs = { host: DEFAULT_OLLAMA_HOST, analysts: [], predigest: true, window: true, out: path.join(ROOT, 'bench', 'results'), verbose: false };
  let analyst: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const count = () => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number, not "${raw}"`);
      return n;
    };
    if (flag === '--model') args.model = value().trim();
    else if (flag === '--ollama-host') args.host = value();
    else if (flag === '--analyst') analyst = value();
    else if (flag === '--fixtures') args.fixtures = value().split(',').map((f) => f.trim()).filter(Boolean);
    else if (flag === '--no-predigest') args.predigest = false;
    else if (flag === '--no-window') args.window = false;
    else if (flag === '--max-turns') args.maxTurns = count();
    else if (flag === '--num-ctx') args.numCtx = count();
    else if (flag === '--out') args.out = path.resolve(value());
    else if (flag === '--transcripts') args.transcripts = path.resolve(value());
    else if (flag === '--verbose') args.verbose = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown option ${arg}`);
  }
  analyst ??= args.model ? 'both' : undefined;
  if (analyst === undefined) throw new UsageError('give --model NAME (or --analyst builtin)');
  if (!['both', 'ollama', 'builtin'].includes(analyst)) throw new UsageError(`--analyst must be both, ollama or builtin, not "${analyst}"`);
  // The model first: a host that cannot be used is found before the built-in analyst's runs.
  args.analysts = analyst === 'both' ? ['ollama', 'builtin'] : [analyst as 'ollama' | 'builtin'];
  if (args.analysts.includes('ollama') && !args.model) throw new UsageError(`--analyst ${analyst} needs --model NAME`);
  return args;
}

function loadScenarios(only?: string[]): Scenario[] {
  const all = fs
    .readdirSync(FIXTURES)
    .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'scenario.json')))
    .sort();
  const unknown = (only ?? []).filter((name) => !all.includes(name));
  if (unknown.length) throw new UsageError(`no fixture ${unknown.join(', ')} (fixtures: ${all.join(', ')})`);
  return (only ?? all).map((name) => {
    const dir = path.join(FIXTURES, name);
    const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as Omit<Scenario, 'name' | 'dir' | 'repo'>;
    return { ...scenario, name, dir, repo: path.join(dir, 'repo') };
  });
}

/** A model name as a file name: qwen2.5:7b → qwen2.5_7b. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'model';
}

/** Problems no other fixture will get past: stop the evaluation instead of failing every fixture the same way. */
const FATAL_REMEDIES = new Set(['start-ollama', 'choose-model', 'set-api-key']);

class FatalRunError extends Error {}

async function evaluate(scenario: Scenario, analyst: Analyst, args: EvalArgs, label: string, signal: AbortSignal): Promise<FixtureScore> {
  // The bundled servers over the fixture, as the CLI starts them for `--workspace DIR --repo DIR/repo`.
  const { servers, skipped } = buildServerList({
    sources: { workspace: scenario.dir, repo: scenario.repo },
    serversDir: path.join(ROOT, 'dist', 'servers'),
  });
  const manager = new McpClientManager(servers);
  const print = args.verbose ? createProgressPrinter((text) => process.stderr.write(text)) : undefined;
  const transcriptPath = args.transcripts ? path.join(args.transcripts, label, `${scenario.name}.jsonl`) : undefined;
  if (transcriptPath) fs.rmSync(transcriptPath, { force: true });
  const started = performance.now();
  let result: RunResult;
  try {
    result = await runAnalysis({
      incident: scenario.incident,
      window: args.window ? scenario.window : undefined,
      analyst,
      manager,
      skippedServers: skipped,
      transcriptPath,
      signal,
      onEvent: (event: AnalysisEvent) => print?.(event),
    });
    const timeMs = performance.now() - started;
    if (result.outcome === 'error' && result.error?.remedy && FATAL_REMEDIES.has(result.error.remedy)) {
      throw new FatalRunError(`${result.error.message}${result.error.fix ? `\n  fix: ${result.error.fix}` : ''}`);
    }
    const suspect = result.report?.rootCause.suspectCommit ?? null;
    return scoreRun({
      fixture: scenario.name,
      expected: scenario.expected,
      outcome: result.outcome,
      error: result.error?.message,
      report: result.report,
      culpritSubject: suspect ? await commitSubject(manager, suspect) : null,
      model: analyst instanceof OllamaAnalyst ? modelCounts(analyst) : undefined,
      timeMs,
    });
  } finally {
    await manager.stop();
  }
}

/** The subject of a commit as the git server gives it (the verifier has already resolved the hash). */
async function commitSubject(manager: McpClientManager, hash: string): Promise<string | null> {
  const tool = manager.catalog().find((t) => t.tool === 'get_commit');
  if (!tool) return null;
  const outcome = await manager.callTool(tool.name, { hash, max_patch_lines: 1 });
  const subject = outcome.isError ? undefined : outcome.structured?.subject;
  return typeof subject === 'string' ? subject : null;
}

function modelCounts(analyst: OllamaAnalyst): ModelCounts {
  const usage = analyst.lastUsage;
  return {
    turns: usage?.toolTurns ?? 0,
    requests: usage?.requests ?? 0,
    promptTokens: usage?.promptTokens ?? 0,
    evalTokens: usage?.evalTokens ?? 0,
    firstPassToolCalls: usage?.firstPass ? usage.firstPass.toolCalls : null,
    firstPassMs: usage?.firstPass ? usage.firstPass.durationMs : null,
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const scenarios = loadScenarios(args.fixtures);
  if (scenarios.length === 0) throw new UsageError(`no fixture with a scenario.json under ${FIXTURES}`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'servers', 'logs.js'))) throw new UsageError('dist/servers is missing: run `npm run build` (npm run eval does)');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted (Ctrl-C)')));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-eval-'));
  try {
    return await evaluateAll(args, scenarios, scratch, controller);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A fixture whose repo/ has not been built yet (`npm run fixtures` builds them; npm run eval runs it) gets one
 * built from its history.json into the scratch folder, leaving fixtures/ as it is. Returns a problem, if any.
 */
function ensureRepo(scenario: Scenario, scratch: string): string | undefined {
  if (fs.existsSync(scenario.repo)) return undefined;
  if (!fs.existsSync(path.join(scenario.dir, 'history.json'))) return 'no repo/ and no history.json to build it from';
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-fixture-repos.mjs'), scenario.name, '--out', scratch], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    return `its repo could not be built: ${String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n').slice(-1)[0]}`;
  }
  scenario.repo = path.join(scratch, scenario.name);
  return undefined;
}

async function evaluateAll(args: EvalArgs, scenarios: Scenario[], scratch: string, controller: AbortController): Promise<number> {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

  for (const which of args.analysts) {
    const name = which === 'builtin' ? 'builtin' : `${fileSafe(args.model!)}${args.predigest ? '' : '-no-predigest'}`;
    const title =
      which === 'builtin'
        ? 'built-in analyst'
        : `ollama ${args.model} at ${displayHost(args.host)}, ${args.predigest ? 'with' : 'without'} the pre-digest`;
    process.stderr.write(`\n${title}: ${scenarios.length} fixture(s)${args.window ? ', with their time windows' : ', no time window'}\n`);
    const scores: FixtureScore[] = [];
    for (const scenario of scenarios) {
      if (controller.signal.aborted) break;
      const problem = ensureRepo(scenario, scratch);
      if (problem) {
        scores.push(scoreRun({ fixture: scenario.name, expected: scenario.expected, outcome: 'error', error: problem, culpritSubject: null, timeMs: 0 }));
        continue;
      }
      const analyst: Analyst =
        which === 'builtin'
          ? new BuiltinAnalyst()
          : new OllamaAnalyst({
              host: args.host,
              model: args.model,
              apiKey: process.env.OLLAMA_API_KEY,
              allowKeyOverHttp: process.env.OLLAMA_ALLOW_KEY_OVER_HTTP === '1',
              numCtx: args.numCtx,
              maxTurns: args.maxTurns,
              predigest: args.predigest,
            });
      process.stderr.write(`  ${scenario.name} … `);
      let score: FixtureScore;
      try {
        score = await evaluate(scenario, analyst, args, name, controller.signal);
      } catch (err) {
        if (err instanceof FatalRunError) {
          process.stderr.write(`stopped\n\n${title}: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
      scores.push(score);
      process.stderr.write(`${score.outcome}${score.outcome === 'report' ? `, culprit ${score.culpritRight ? '✓' : '✗'} category ${score.categoryRight ? '✓' : '✗'} onset ${score.onsetRight ? '✓' : '✗'}` : ''} (${(score.timeMs / 1000).toFixed(1)} s)\n`);
    }
    if (controller.signal.aborted) {
      process.stderr.write('interrupted: nothing written\n');
      return 1;
    }
    const totals = totalsOf(scores);
    const file = path.join(args.out, `eval-${name}.json`);
    const result = {
      analyst: which,
      ...(which === 'ollama' && { model: args.model, host: displayHost(args.host), predigest: args.predigest, maxTurns: args.maxTurns ?? 12, numCtx: args.numCtx ?? 16384 }),
      window: args.window ? 'scenario' : 'none',
      onsetToleranceSeconds: 120,
      machine,
      at: new Date().toISOString(),
      totals,
      fixtures: scores,
    };
    fs.mkdirSync(args.out, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\n${formatTable(title, scores, totals)}\n`);
    const shown = path.relative(process.cwd(), file);
    process.stderr.write(`Wrote ${shown.startsWith('..') ? file : shown}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`eval: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`eval failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
