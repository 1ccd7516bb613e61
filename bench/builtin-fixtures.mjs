// Runs the CLI's built-in analysis on every fixture and records what it concluded and how long it took
// (wall time of the whole command: server start, investigation, verification). Median of --runs N (default 3).
// Usage: npm run build && npm run fixtures && node bench/builtin-fixtures.mjs [--runs N] [--fixtures a,b] [--cli PATH] [--out FILE]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(flag('--runs') ?? 3);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// --cli another build's dist/cli.js (an older commit's, to compare); --fixtures a,b to run only those.
const cli = path.resolve(flag('--cli') ?? path.join(root, 'dist', 'cli.js'));
const only = flag('--fixtures')?.split(',');
const outFile = path.resolve(flag('--out') ?? path.join(root, 'bench', 'results', 'builtin-fixtures.json'));
const fixtures = path.join(root, 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-bench-'));
const results = [];

for (const name of fs.readdirSync(fixtures).filter((n) => fs.existsSync(path.join(fixtures, n, 'scenario.json')) && (!only || only.includes(n)))) {
  const dir = path.join(fixtures, name);
  const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
  const out = path.join(tmp, `${name}.json`);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [cli, 'analyze', scenario.incident, '--workspace', dir, '--repo', path.join(dir, 'repo'), '--json', out], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (run.status !== 0) throw new Error(`${name}: exit ${run.status}\n${run.stderr}`);
  }
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  const rc = report.rootCause;
  const subject = rc.suspectCommit ? spawnSync('git', ['-C', path.join(dir, 'repo'), 'log', '-1', '--format=%s', rc.suspectCommit], { encoding: 'utf8' }).stdout.trim() || rc.suspectCommit : null;
  results.push({
    fixture: name,
    medianMs: Math.round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]),
    culprit: subject,
    expectedCulprit: scenario.expected.culpritCommitSubject,
    category: rc.category,
    expectedCategory: scenario.expected.category,
    onset: rc.onset,
    expectedOnset: scenario.expected.onset,
    confidence: rc.confidence,
    toolCalls: report.toolCalls.length,
    evidence: report.evidence.length,
    verified: report.evidence.filter((e) => e.verified).length,
  });
}

fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(path.dirname(outFile), { recursive: true });
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
fs.writeFileSync(outFile, `${JSON.stringify({ machine, runs, cli: path.relative(root, cli), results }, null, 2)}\n`);
console.log(`machine: ${machine}; median of ${runs} runs`);
for (const r of results) {
  console.log(`${r.fixture.padEnd(26)} ${String(r.medianMs).padStart(5)} ms  ${r.category} (${r.confidence})  culprit: ${r.culprit ?? 'none'}  onset ${r.onset}  ${r.verified}/${r.evidence} verified  ${r.toolCalls} calls`);
}
