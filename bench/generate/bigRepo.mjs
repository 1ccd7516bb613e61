// A large, deterministic git history for the benchmarks: N commits over a year by 40 people across 800 files,
// with a deployment every 100 commits. Built once with `git fast-import` and kept under bench/data/.
import fs from 'node:fs';
import { prng } from './prng.mjs';
import path from 'node:path';
import { buildRepo } from '../../scripts/build-fixture-repos.mjs';

const WORDS = ['cache', 'retry', 'pool', 'timeout', 'checkout', 'payment', 'search', 'index', 'queue', 'worker', 'config', 'metrics', 'logging', 'auth', 'session', 'api', 'db', 'migration', 'limit', 'client'];
const VERBS = ['Fix', 'Add', 'Tune', 'Refactor', 'Remove', 'Log', 'Bump', 'Document', 'Speed up', 'Handle'];

export function bigHistory(commitCount) {
  const rand = prng(42);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const people = Array.from({ length: 40 }, (_, i) => ({ name: `Engineer ${i + 1}`, email: `eng${i + 1}@example.com` }));
  const files = Array.from({ length: 800 }, (_, i) => `src/${WORDS[i % WORDS.length]}/module_${i}.ts`);
  const start = Date.parse('2025-02-01T00:00:00Z');
  const step = (365 * 24 * 3600 * 1000) / commitCount;
  const commits = [];
  for (let i = 0; i < commitCount; i++) {
    const changed = {};
    for (let k = 0, n = 1 + Math.floor(rand() * 3); k < n; k++) {
      const file = pick(files);
      changed[file] = `// ${file}\nexport const revision = ${i};\nexport const maxConnections = ${Math.floor(rand() * 50)};\nexport const note = '${pick(WORDS)} ${pick(WORDS)}';\n`;
    }
    commits.push({
      author: pick(people),
      date: new Date(start + i * step).toISOString().replace('.000Z', 'Z'),
      message: `${pick(VERBS)} ${pick(WORDS)} ${pick(WORDS)} (#${i + 1})\n\nChange ${i + 1} of the ${pick(WORDS)} work.`,
      files: changed,
    });
  }
  return { commits };
}

/** A deployment every 100 generated commits, 20 minutes after the last of them; newest first. */
export function deploymentsOf(commits, hashes) {
  const deployments = [];
  for (let end = 100; end <= commits.length; end += 100) {
    deployments.push({
      version: `v1.${end / 100}.0`,
      deployed_at: new Date(Date.parse(commits[end - 1].date) + 20 * 60_000).toISOString().replace('.000Z', 'Z'),
      status: 'succeeded',
      commits: hashes.slice(end - 100, end).reverse(),
    });
  }
  return deployments.reverse();
}

/** Builds (or reuses) the repository; returns its folder and a deployments.json beside it. */
export function ensureBigRepo(dir, commitCount) {
  const stampFile = path.join(dir, '.git', 'bench-stamp');
  const deploymentsFile = `${dir}-deployments.json`;
  const stamp = `v1 ${commitCount}`;
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(deploymentsFile)) return { dir, deploymentsFile, built: false };
  const history = bigHistory(commitCount);
  const hashes = buildRepo(history, dir);
  fs.writeFileSync(deploymentsFile, JSON.stringify({ deployments: deploymentsOf(history.commits, hashes) }));
  fs.writeFileSync(stampFile, stamp);
  return { dir, deploymentsFile, built: true };
}
