// `incident-analyzer incident …` as a user runs it: open an incident from a report, dry-run and run a runbook step
// (approved on the command line, as a script must; refused without), close it, write the postmortem. And the
// terminal approval itself, answered by a person.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { terminalApproval } from '../../src/cli/terminalApproval';
import { repoRoot } from '../support/servers';

const cli = path.join(repoRoot, 'dist', 'cli.js');

describe('incident-analyzer incident', function () {
  this.timeout(60_000);
  let workspace: string;
  const run = (args: string[]) => spawnSync(process.execPath, [cli, 'incident', ...args, '--workspace', workspace, '--author', 'alice'], { encoding: 'utf8', timeout: 30_000 });

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-incidents-'));
    fs.mkdirSync(path.join(workspace, '.incident-analyzer'));
    fs.writeFileSync(
      path.join(workspace, '.incident-analyzer', 'runbooks.yaml'),
      `steps:\n  touch:\n    description: Leave a mark\n    program: ${JSON.stringify(process.execPath)}\n` +
        `    args: ["-e", "require('fs').writeFileSync(process.argv[1], 'x')", "{file}"]\n    parameters:\n      file: { type: string }\n    changes: true\n`,
    );
    fs.writeFileSync(
      path.join(workspace, 'report.json'),
      JSON.stringify({ rootCause: { summary: 'Pool cut to 5', category: 'db-connection-pool-exhaustion', confidence: 'high', suspectCommit: 'abc123', suspectDeployment: 'v1.4.2', onset: null }, evidence: [{ id: 'E1', kind: 'log', file: 'api.log', line: 7 }], timeline: [], recommendations: [] }),
    );
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('from report to postmortem, with a step approved by --approve and refused without', () => {
    const created = run(['create', '--title', 'Checkout 500s', '--severity', 'SEV2', '--service', 'checkout', '--summary', 'Failing', '--report', path.join(workspace, 'report.json')]);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /^Opened INC-1\./);

    const mark = path.join(workspace, 'mark');
    const dry = run(['run', 'INC-1', 'touch', '--param', `file=${mark}`]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run of "touch"/);
    const refused = run(['run', 'INC-1', 'touch', '--param', `file=${mark}`, '--execute']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Not approved: there is no terminal to ask; pass --approve touch to approve this step/);
    assert.ok(refused.stderr.includes(`argument 3: ${JSON.stringify(mark)}`), 'each argument shown exactly');
    assert.equal(fs.existsSync(mark), false);
    const approved = run(['run', 'INC-1', 'touch', '--param', `file=${mark}`, '--execute', '--approve', 'touch']);
    assert.equal(approved.status, 0, approved.stderr);
    assert.match(approved.stderr, /Approved by --approve touch/);
    assert.ok(fs.existsSync(mark));

    assert.equal(run(['update', 'INC-1', '--status', 'resolved', '--note', 'pool restored']).status, 0);
    const postmortem = run(['postmortem', 'INC-1', '--impact', '30% of checkouts for 40 minutes', '--went-well', 'fast alert', '--action', 'Check pool size in CI | bob | 2026-03-01']);
    assert.equal(postmortem.status, 0, postmortem.stderr);
    const markdown = fs.readFileSync(path.join(workspace, 'incident-reports', 'INC-1-postmortem.md'), 'utf8');
    assert.match(markdown, /Pool cut to 5/);
    assert.match(markdown, /\| Check pool size in CI \| bob \| 2026-03-01 \|/);

    const listed = run(['list', '--status', 'resolved']);
    assert.match(listed.stdout, /INC-1 \[SEV2, resolved\] Checkout 500s/);
    const shown = run(['show', 'INC-1']);
    assert.match(shown.stdout, /alice: status identified|alice: status investigating → resolved \(pool restored\)/);
    assert.match(shown.stdout, /alice: approved step "touch"/);
  });

  it('asks a person on the terminal, and only "y" or "yes" is a yes', async () => {
    for (const [typed, expected] of [['y\n', true], ['yes\n', true], ['\n', false], ['n\n', false], ['yeah\n', false]] as const) {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = '';
      output.on('data', (c) => (shown += c));
      const ask = terminalApproval([], { input, output, interactive: true });
      const answer = ask(
        { server: 'incidents', message: 'Run remediation step "touch"?', remediation: { incident: 'INC-1', step: 'touch', description: '', command: 'node x', argv: ['node', 'a b', '$(id)'], changes: true, timeoutSeconds: 5 } },
        new AbortController().signal,
      );
      setTimeout(() => input.write(typed), 20);
      assert.equal(await answer, expected, JSON.stringify(typed));
      assert.match(shown, /argument 1: "a b"\n {2}argument 2: "\$\(id\)"/);
      assert.match(shown, /Run it\? \[y\/N\]/);
    }
  });
});
