// Git at scale: the git server over stdio on a generated 50,000-commit repository. Each tool's first (cold) call
// and the median of the warm ones, against `git log -n 10` on the same repository in the same run; and how many
// git processes each call started (through a counting wrapper on PATH), which must not grow with the history.
// Usage: npm run build && npx tsx bench/git-scale.ts [--commits 50000]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { median, msSince as ms, writeResult } from './support.js';

const root = path.resolve(__dirname, '..');
const i = process.argv.indexOf('--commits');
const COMMITS = i > 0 ? Number(process.argv[i + 1]) : 50_000;
const WARM_RUNS = 5;

async function main(): Promise<void> {
  const generator = './generate/bigRepo.mjs';
  const { ensureBigRepo } = (await import(generator)) as { ensureBigRepo(dir: string, n: number): { dir: string; deploymentsFile: string; built: boolean } };
  const t = process.hrtime.bigint();
  const repo = ensureBigRepo(path.join(root, 'bench', 'data', `repo-${COMMITS}`), COMMITS);
  console.log(`${repo.built ? 'built' : 'reused'} ${COMMITS}-commit repository in ${Math.round(ms(t))} ms`);

  // A `git` on PATH that counts its invocations, then runs the real one.
  const shim = fs.mkdtempSync(path.join(os.tmpdir(), 'git-count-'));
  const counter = path.join(shim, 'count');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho x >> "${counter}"\nexec "${realGit}" "$@"\n`, { mode: 0o755 });
  const spawned = () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0);

  const client = new Client({ name: 'bench-git', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(root, 'dist', 'servers', 'git.js'), '--repo', repo.dir, '--deployments', repo.deploymentsFile],
      env: { ...process.env, PATH: `${shim}:${process.env.PATH}` } as Record<string, string>,
      stderr: 'ignore',
    }),
  );
  const oldest = execFileSync('git', ['-C', repo.dir, 'rev-list', '--max-parents=0', 'HEAD'], { encoding: 'utf8' }).trim();
  const calls: Array<[string, string, Record<string, unknown>]> = [
    ['get_recent_commits', 'get_recent_commits (default 10)', {}],
    ['get_recent_commits', 'get_recent_commits (window in the middle of the year)', { since: '2025-08-01T00:00:00Z', until: '2025-08-02T00:00:00Z', limit: 100 }],
    ['search_commits', 'search_commits message "pool timeout"', { query: 'pool timeout', mode: 'message' }],
    ['search_commits', 'search_commits code "maxConnections = 49"', { query: 'maxConnections = 49', mode: 'code' }],
    ['get_deployments', 'get_deployments (newest 20)', {}],
    ['get_deployments', 'get_deployments version v1.250.0', { version: 'v1.250.0' }],
    ['get_commit', 'get_commit (the root commit)', { hash: oldest }],
  ];
  const baseline: number[] = [];
  const results = [];
  for (const [tool, label, args] of calls) {
    const before = spawned();
    const t0 = process.hrtime.bigint();
    const first = await client.callTool({ name: tool, arguments: args });
    const coldMs = ms(t0);
    const processes = spawned() - before;
    if (first.isError) throw new Error(`${label}: ${JSON.stringify(first.content).slice(0, 300)}`);
    const warm: number[] = [];
    for (let r = 0; r < WARM_RUNS; r++) {
      const tb = process.hrtime.bigint();
      execFileSync(realGit, ['-C', repo.dir, 'log', '-n', '10', '--format=%H %s'], { stdio: 'ignore' });
      baseline.push(ms(tb));
      const tw = process.hrtime.bigint();
      await client.callTool({ name: tool, arguments: args });
      warm.push(ms(tw));
    }
    results.push({ call: label, coldMs: Math.round(coldMs), warmMedianMs: Math.round(median(warm)), gitProcessesOnFirstCall: processes });
  }
  await client.close();
  fs.rmSync(shim, { recursive: true, force: true });
  const gitLog10Ms = Math.round(median(baseline) * 10) / 10;
  writeResult('git-scale', {
    commits: COMMITS,
    baselineGitLog10MedianMs: gitLog10Ms,
    calls: results.map((r) => ({ ...r, warmRatioToGitLog10: Math.round((r.warmMedianMs / gitLog10Ms) * 10) / 10 })),
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
