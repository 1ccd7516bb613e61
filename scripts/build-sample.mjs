// Builds dist/sample/checkout-500/, the sample workspace the extension ships for its Getting Started walkthrough:
// the fixture's logs, metrics and deployments, and its git history as one bundle file (the command that creates
// the sample clones it). The 3 MB nginx access log is left out: the analysis reaches the same root cause without
// it, and the .vsix stays small.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO = 'checkout-500';
const fixture = path.join(ROOT, 'fixtures', SCENARIO);
// `--out DIR` builds it into DIR instead (tests).
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(ROOT, 'dist', 'sample', SCENARIO);

execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-fixture-repos.mjs'), SCENARIO], { stdio: 'inherit' });
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'logs'), { recursive: true });
execFileSync('git', ['bundle', 'create', path.join(out, 'repo.bundle'), '--all'], { cwd: path.join(fixture, 'repo'), stdio: ['ignore', 'ignore', 'pipe'] });
for (const log of ['api.log', 'db.log', 'worker.jsonl']) fs.copyFileSync(path.join(fixture, 'logs', log), path.join(out, 'logs', log));
for (const file of ['metrics.json', 'deployments.json']) fs.copyFileSync(path.join(fixture, file), path.join(out, file));
fs.writeFileSync(
  path.join(out, 'INCIDENT.md'),
  `# A sample incident

Checkout started failing with 500 errors at about 14:45 UTC on 2026-02-17; customers cannot place orders.

This folder is a small shop service: its git history (with the releases that went out that day), its logs in
\`logs/\`, its metrics in \`metrics.json\` and its deployments in \`deployments.json\` — the shape Incident Analyzer
reads with no settings.

Run **Incident Analyzer: Analyze Incident**, describe the incident ("500 errors on checkout API") and give the
window \`2026-02-17 13:45..2026-02-17 15:30\` (or leave it empty for all the data). Then open the evidence: the
cited log lines and the commit the report blames.
`,
);
const size = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? size(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
console.log(`sample: ${path.relative(ROOT, out)} (${Math.round(size(out) / 1024)} KB)`);
