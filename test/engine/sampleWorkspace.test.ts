// The sample the walkthrough offers: built as the package builds it, created as the command creates it, and
// analysed by the built-in analyst over the bundled servers, it must give the fixture's answer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuiltinAnalyst } from '../../src/engine/analysts/builtin';
import { runAnalysis } from '../../src/engine/analysis/run';
import { buildServerList } from '../../src/engine/config/serverList';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import { createSampleWorkspace, SAMPLE_NAME } from '../../src/extension/sampleWorkspace';
import { scenarios } from '../support/fixtureRun';
import { repoRoot } from '../support/servers';

describe('the bundled sample workspace', function () {
  this.timeout(60_000);
  let tmp: string;
  let sample: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-'));
    sample = path.join(tmp, 'packaged');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-sample.mjs'), '--out', sample], { stdio: 'pipe' });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is small: under 1.5 MB unpacked, no nginx access log', () => {
    const files = fs.readdirSync(sample, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const total = files.reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
    assert.ok(total < 1.5 * 1024 * 1024, `${total} bytes`);
    assert.deepEqual(fs.readdirSync(path.join(sample, 'logs')).sort(), ['api.log', 'db.log', 'worker.jsonl']);
  });

  it('creates a folder of its own (never overwriting), a clone with no remote, the data beside the code', () => {
    const parent = path.join(tmp, 'parent');
    fs.mkdirSync(parent);
    const first = createSampleWorkspace(sample, parent);
    const second = createSampleWorkspace(sample, parent);
    assert.equal(first, path.join(parent, SAMPLE_NAME));
    assert.equal(second, path.join(parent, `${SAMPLE_NAME}-2`));
    for (const f of ['INCIDENT.md', 'metrics.json', 'deployments.json', 'logs/api.log', 'config/database.yml']) assert.ok(fs.existsSync(path.join(first, f)), f);
    assert.equal(execFileSync('git', ['-C', first, 'remote'], { encoding: 'utf8' }).trim(), '');
    assert.ok(!fs.existsSync(path.join(first, 'repo.bundle')));
  });

  it('without git: a message that says so, and nothing left behind', () => {
    const parent = path.join(tmp, 'nogit');
    fs.mkdirSync(parent);
    assert.throws(() => createSampleWorkspace(sample, parent, path.join(tmp, 'no-such-git')), /needs git/);
    assert.deepEqual(fs.readdirSync(parent), []);
  });

  it('Analyze Incident on it (built-in analyst, no settings) blames the fixture culprit', async () => {
    const scenario = scenarios().find((s) => s.name === 'checkout-500')!;
    const workspace = createSampleWorkspace(sample, tmp);
    const { servers, skipped } = buildServerList({ sources: { workspace }, serversDir: path.join(repoRoot, 'dist', 'servers') });
    const manager = new McpClientManager(servers);
    try {
      const result = await runAnalysis({ incident: '500 errors on checkout API', analyst: new BuiltinAnalyst(), manager, skippedServers: skipped });
      assert.equal(result.outcome, 'report', JSON.stringify(result.error));
      const rc = result.report!.rootCause;
      const subject = execFileSync('git', ['-C', workspace, 'log', '-1', '--format=%s', rc.suspectCommit!], { encoding: 'utf8' }).trim();
      assert.equal(subject, scenario.expected.culpritCommitSubject);
      assert.equal(rc.category, scenario.expected.category);
      for (const e of result.report!.evidence) assert.equal(e.verified, true, `${e.id} not verified: ${e.verification}`);
    } finally {
      await manager.stop();
    }
  });
});
