// A plain repository next to old, unrelated logs (2005–2016), no metrics, no deployments, no time in the incident
// text: nothing lines up, so the built-in analyst must say it cannot tell, with what to provide, and never advise a
// rollback or date the incident to 2005.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuiltinAnalyst } from '../../src/engine/analysts/builtin';
import { runAnalysis } from '../../src/engine/analysis/run';
import { buildServerList } from '../../src/engine/config/serverList';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import { repoRoot } from '../support/servers';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function apacheError(ms: number, level: string, text: string): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}] [${level}] ${text}`;
}

function javaLog(ms: number, level: string, text: string): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',')} ${level} [worker-3] ${text}`;
}

describe('built-in analyst on unrelated old logs and a plain repository', function () {
  this.timeout(60_000);
  let dir = '';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-unrelated-'));
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    // Apache's error log from 2005: a steady trickle, then a burst of errors on one December day.
    const apache: string[] = [];
    const start2005 = Date.parse('2005-12-04T04:47:44Z');
    for (let i = 0; i < 600; i++) apache.push(apacheError(start2005 + i * 97_000, i % 7 === 0 ? 'error' : 'notice', i % 7 === 0 ? `mod_jk child workerEnv in error state ${i % 9}` : `jk2_init() Found child ${1000 + i} in scoreboard slot ${i % 10}`));
    for (let i = 0; i < 200; i++) apache.push(apacheError(start2005 + 600 * 97_000 + i * 20_000, 'error', `[client 10.0.0.${i % 250}] Directory index forbidden by rule: /var/www/html/`));
    fs.writeFileSync(path.join(logs, 'apache_error.log'), `${apache.join('\n')}\n`);
    // A Java service's log from 2015–2016, with exceptions every now and then.
    const java: string[] = [];
    const start2015 = Date.parse('2015-07-29T17:41:44Z');
    for (let i = 0; i < 1500; i++) {
      const at = start2015 + i * 21_000_000; // about every six hours, into 2016
      java.push(javaLog(at, i % 11 === 0 ? 'ERROR' : 'INFO', i % 11 === 0 ? `Unexpected exception causing shutdown while sock still open: java.io.IOException: Connection reset by peer (session 0x${(i * 7919).toString(16)})` : `Accepted socket connection from /10.10.34.${i % 40}:${40000 + i}`));
    }
    fs.writeFileSync(path.join(logs, 'zookeeper.log'), `${java.join('\n')}\n`);
    // A plain repository with two recent commits that have nothing to do with those logs.
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: '2026-11-30T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-30T10:00:00Z' } });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'README.md'), '# tools\n');
    git('add', '.');
    git('-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', 'Start the tools repository');
    fs.writeFileSync(path.join(repo, 'main.py'), 'print("hello")\n');
    git('add', '.');
    git('-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', 'Add a hello script');
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers unknown with low confidence, says what it looked at and what to provide, and advises no rollback', async () => {
    const { servers, skipped } = buildServerList({ sources: { workspace: dir, repo: path.join(dir, 'repo') }, serversDir: path.join(repoRoot, 'dist', 'servers') });
    const manager = new McpClientManager(servers);
    try {
      const result = await runAnalysis({ incident: 'The service is throwing errors', analyst: new BuiltinAnalyst(), manager, skippedServers: skipped, onEvent: () => {} });
      assert.equal(result.outcome, 'report', JSON.stringify(result.error));
      const { rootCause, recommendations, evidence } = result.report!;
      assert.equal(rootCause.category, 'unknown', rootCause.summary);
      assert.equal(rootCause.confidence, 'low');
      assert.equal(rootCause.suspectCommit, null);
      const advice = recommendations.join('\n');
      assert.doesNotMatch(advice, /roll ?back|revert/i);
      assert.match(advice, /Looked at:/);
      assert.match(advice, /To say more, provide .*metrics/);
      // The most recent data is what an incident reported now is about: nothing from 2005 is its onset.
      if (rootCause.onset) assert.ok(rootCause.onset >= '2016', `onset ${rootCause.onset}`);
      for (const e of evidence) assert.equal(e.verified, true, `${e.id}: ${e.verification}`);
    } finally {
      await manager.stop();
    }
  });
});
