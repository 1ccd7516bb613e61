// deploy/prometheus checked by Debian's promtool: the scrape config (with its rule file and credentials file), the
// alert rules, and their unit tests (alerts.test.yml). Skipped, saying why, without promtool (REQUIRE_BACKENDS=1:
// a failure).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prometheusOrSkip, type PrometheusBinaries } from '../support/prometheus';
import { deployDir } from './fixtureServers';

const promDir = path.join(deployDir, 'prometheus');

describe('deploy/prometheus with promtool', function () {
  let binaries: PrometheusBinaries;
  let dir: string;

  function promtool(args: string[], cwd: string): string {
    const run = spawnSync(binaries.promtool, args, { cwd, encoding: 'utf8', timeout: 20_000 });
    const out = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, `promtool ${args.join(' ')} exited ${run.status}:\n${out}`);
    return out;
  }

  before(function () {
    binaries = prometheusOrSkip(this);
    // prometheus.yml names its credentials file relative to itself (incident-mcp.token beside it), and promtool
    // check config insists that the file exists: check a copy of the unchanged files next to a throwaway token.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-promtool-'));
    for (const f of ['prometheus.yml', 'alerts.yml', 'alerts.test.yml']) fs.copyFileSync(path.join(promDir, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'incident-mcp.token'), 'test-token\n', { mode: 0o600 });
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check config accepts prometheus.yml, its credentials file and its rule file', () => {
    const out = promtool(['check', 'config', 'prometheus.yml'], dir);
    assert.match(out, /SUCCESS: prometheus\.yml is valid/);
    assert.match(out, /SUCCESS: 3 rules found/);
  });

  it('promtool check config fails when the credentials file is missing (so the token path is really read)', () => {
    fs.renameSync(path.join(dir, 'incident-mcp.token'), path.join(dir, 'elsewhere.token'));
    try {
      const run = spawnSync(binaries.promtool, ['check', 'config', 'prometheus.yml'], { cwd: dir, encoding: 'utf8' });
      assert.notEqual(run.status, 0);
      assert.match(`${run.stdout}${run.stderr}`, /incident-mcp\.token/);
    } finally {
      fs.renameSync(path.join(dir, 'elsewhere.token'), path.join(dir, 'incident-mcp.token'));
    }
  });

  it('promtool check rules accepts alerts.yml (three alerts, each with summary and description)', () => {
    const out = promtool(['check', 'rules', 'alerts.yml'], dir);
    assert.match(out, /SUCCESS: 3 rules found/);
    const text = fs.readFileSync(path.join(dir, 'alerts.yml'), 'utf8');
    const alerts = [...text.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    assert.deepEqual(alerts, ['IncidentMcpServerDown', 'IncidentMcpToolErrorRatioHigh', 'IncidentMcpToolSlow']);
    // every rule block carries both annotations
    for (const block of text.split(/- alert: /).slice(1)) {
      assert.match(block, /\n\s+summary: /, block.slice(0, 40));
      assert.match(block, /\n\s+description: /, block.slice(0, 40));
    }
  });

  it('promtool test rules: each alert fires on its series and not on the quiet ones (alerts.test.yml)', () => {
    const out = promtool(['test', 'rules', 'alerts.test.yml'], dir);
    assert.match(out, /SUCCESS/);
    // every alert has a test in which it fires
    const tests = fs.readFileSync(path.join(dir, 'alerts.test.yml'), 'utf8');
    for (const alert of ['IncidentMcpServerDown', 'IncidentMcpToolErrorRatioHigh', 'IncidentMcpToolSlow']) {
      assert.match(tests, new RegExp(`alertname: ${alert}\\n\\s+eval_time: \\w+\\n\\s+exp_alerts:\\n\\s+- exp_labels`), `${alert} is never shown firing`);
      assert.match(tests, new RegExp(`alertname: ${alert}\\n\\s+eval_time: \\w+(?: #[^\\n]*)?\\n\\s+exp_alerts: \\[\\]`), `${alert} is never shown quiet`);
    }
  });

  it('promtool test rules fails when an alert rule is broken (the unit tests can fail)', () => {
    const broken = fs.readFileSync(path.join(dir, 'alerts.yml'), 'utf8').replace('> 0.05', '> 0.5');
    const brokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-promtool-broken-'));
    try {
      fs.writeFileSync(path.join(brokenDir, 'alerts.yml'), broken);
      fs.copyFileSync(path.join(dir, 'alerts.test.yml'), path.join(brokenDir, 'alerts.test.yml'));
      const run = spawnSync(binaries.promtool, ['test', 'rules', 'alerts.test.yml'], { cwd: brokenDir, encoding: 'utf8' });
      assert.notEqual(run.status, 0, 'a 50% threshold should fail the error-ratio test');
      assert.match(`${run.stdout}${run.stderr}`, /IncidentMcpToolErrorRatioHigh/);
    } finally {
      fs.rmSync(brokenDir, { recursive: true, force: true });
    }
  });
});
