// Builds fixtures/<scenario>/repo/ from fixtures/<scenario>/history.json with fixed identities and dates,
// so every machine gets the same commit hashes. One `git fast-import` per repo keeps it fast.
//
//   node scripts/build-fixture-repos.mjs [scenario ...] [--out DIR]
//
// Without --out a repo lands in fixtures/<scenario>/repo and is skipped when its stamp matches history.json;
// with --out it lands in DIR/<scenario> (always rebuilt). Afterwards every hash in deployments.json must exist.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'fixtures');
// Bump when the way a repo is built changes, so stamped repos get rebuilt.
const BUILDER_VERSION = '1';
const STAMP = 'fixture-history.sha256';

// No user or system config may leak in: hashes must not depend on the machine.
const GIT_OPTS = [
  '-c', 'commit.gpgsign=false',
  '-c', 'tag.gpgSign=false',
  '-c', 'core.autocrlf=false',
  '-c', 'init.defaultBranch=main',
  '-c', 'core.fsmonitor=false',
];

function gitEnv(extra = {}) {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Fixture Builder',
    GIT_AUTHOR_EMAIL: 'fixtures@incident-analyzer.invalid',
    GIT_COMMITTER_NAME: 'Fixture Builder',
    GIT_COMMITTER_EMAIL: 'fixtures@incident-analyzer.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    TZ: 'UTC',
    ...extra,
  };
}

function git(cwd, args, input) {
  return execFileSync('git', [...GIT_OPTS, ...args], {
    cwd,
    env: gitEnv(),
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** "2026-02-17T14:25:00+01:00" -> "1771338300 +0100" (git's raw date format keeps the author's zone). */
export function rawGitDate(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 date: ${iso}`);
  const zone = /(?:Z|([+-])(\d{2}):?(\d{2}))$/.exec(iso);
  if (!zone) throw new Error(`date needs a zone (Z or +hh:mm): ${iso}`);
  const tz = zone[1] ? `${zone[1]}${zone[2]}${zone[3]}` : '+0000';
  return `${Math.floor(ms / 1000)} ${tz}`;
}

function ident(person, iso) {
  if (!person?.name || !person?.email) throw new Error(`identity needs name and email: ${JSON.stringify(person)}`);
  return `${person.name} <${person.email}> ${rawGitDate(iso)}`;
}

/** Git stores messages with one trailing newline; normalise so the stream matches what `git commit` writes. */
function normaliseMessage(message) {
  return `${message.replace(/\s+$/, '')}\n`;
}

function dataBlock(text) {
  const buf = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`data ${buf.length}\n`), buf, Buffer.from('\n')]);
}

/** The fast-import stream for a history: one branch `main`, then annotated tags. */
export function fastImportStream(history) {
  const parts = [Buffer.from('feature done\n')];
  history.commits.forEach((commit, i) => {
    parts.push(Buffer.from(`commit refs/heads/main\nmark :${i + 1}\n`));
    parts.push(Buffer.from(`author ${ident(commit.author, commit.date)}\n`));
    parts.push(Buffer.from(`committer ${ident(commit.committer ?? commit.author, commit.date)}\n`));
    parts.push(dataBlock(normaliseMessage(commit.message)));
    // Sorted paths: the stream (and so the tree) does not depend on object key order.
    for (const file of Object.keys(commit.files).sort()) {
      const content = commit.files[file];
      if (content === null) {
        parts.push(Buffer.from(`D ${file}\n`));
      } else {
        parts.push(Buffer.from(`M 100644 inline ${file}\n`));
        parts.push(dataBlock(content));
      }
    }
  });
  for (const tag of history.tags ?? []) {
    if (!Number.isInteger(tag.commit) || tag.commit < 0 || tag.commit >= history.commits.length) {
      throw new Error(`tag ${tag.name} points at commit index ${tag.commit}, which does not exist`);
    }
    parts.push(Buffer.from(`tag ${tag.name}\nfrom :${tag.commit + 1}\n`));
    parts.push(Buffer.from(`tagger ${ident(tag.tagger, tag.date)}\n`));
    parts.push(dataBlock(normaliseMessage(tag.message)));
  }
  parts.push(Buffer.from('done\n'));
  return Buffer.concat(parts);
}

/** Builds `dir` from scratch; returns the commit hashes in history order. */
export function buildRepo(history, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  git(dir, ['fast-import', '--quiet'], fastImportStream(history));
  git(dir, ['reset', '-q', '--hard', 'main']);
  const hashes = git(dir, ['rev-list', '--reverse', 'main']).trim().split('\n');
  if (hashes.length !== history.commits.length) {
    throw new Error(`${dir}: expected ${history.commits.length} commits, git has ${hashes.length}`);
  }
  return hashes;
}

function historyStamp(historyText) {
  return createHash('sha256').update(`${BUILDER_VERSION}\n`).update(historyText).digest('hex');
}

function isUpToDate(dir, stamp) {
  try {
    return fs.readFileSync(path.join(dir, '.git', STAMP), 'utf8').trim() === stamp;
  } catch {
    return false;
  }
}

/** Every hash named in deployments.json must be a commit of the built repo. Returns the missing ones. */
export function missingDeploymentCommits(scenarioDir, repoDir) {
  const file = path.join(scenarioDir, 'deployments.json');
  if (!fs.existsSync(file)) return [];
  const { deployments } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const known = new Set(git(repoDir, ['rev-list', '--all']).trim().split('\n'));
  const missing = [];
  for (const d of deployments) {
    for (const hash of d.commits) if (!known.has(hash)) missing.push(`${d.version}: ${hash}`);
  }
  return missing;
}

export function listScenarios() {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(FIXTURES, e.name, 'history.json')))
    .map((e) => e.name)
    .sort();
}

function parseArgs(argv) {
  const names = [];
  let out;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') out = argv[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; usage: build-fixture-repos.mjs [scenario ...] [--out DIR]`);
    else names.push(arg);
  }
  if (out === '') throw new Error('--out needs a directory');
  return { names, out: out === undefined ? undefined : path.resolve(out) };
}

function main() {
  const { names, out } = parseArgs(process.argv.slice(2));
  const all = listScenarios();
  for (const name of names) {
    if (!all.includes(name)) throw new Error(`no fixtures/${name}/history.json; known scenarios: ${all.join(', ')}`);
  }
  const failures = [];
  for (const name of names.length ? names : all) {
    const scenarioDir = path.join(FIXTURES, name);
    const historyText = fs.readFileSync(path.join(scenarioDir, 'history.json'), 'utf8');
    const repoDir = out ? path.join(out, name) : path.join(scenarioDir, 'repo');
    const stamp = historyStamp(historyText);
    const started = Date.now();
    if (!out && isUpToDate(repoDir, stamp)) {
      console.log(`${name}: up to date`);
    } else {
      const hashes = buildRepo(JSON.parse(historyText), repoDir);
      fs.writeFileSync(path.join(repoDir, '.git', STAMP), `${stamp}\n`);
      console.log(`${name}: built ${hashes.length} commits in ${path.relative(ROOT, repoDir) || repoDir} (${Date.now() - started} ms)`);
    }
    const missing = missingDeploymentCommits(scenarioDir, repoDir);
    if (missing.length) failures.push(`${name}: deployments.json names commits that are not in the repo:\n  ${missing.join('\n  ')}`);
  }
  if (failures.length) {
    console.error(`\nFixture repos do not match deployments.json (rerun \`node fixtures/generate/index.mjs\`):\n${failures.join('\n')}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    main();
  } catch (err) {
    console.error(`build-fixture-repos: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
