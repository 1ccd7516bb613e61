// deploy/systemd: the template unit parses (systemd-analyze verify, where there is one), and each instance's
// environment example names only variables its server reads (from the server's own usage text) on the port that
// prometheus.yml scrapes it on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_NAMES, deployDir, repoRoot } from './fixtureServers';

const systemdDir = path.join(deployDir, 'systemd');

/** VAR=value lines of an env example, commented-out ones included. */
function envVars(name: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(systemdDir, `${name}.env.example`), 'utf8').split('\n')) {
    const m = /^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** The `[env NAME]` variables a server's usage text lists. */
function varsServerReads(name: string): Set<string> {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'servers', `${name}.js`), '--help'], { encoding: 'utf8', timeout: 10_000 });
  const names = new Set([...`${run.stdout}${run.stderr}`.matchAll(/\[env ([A-Z0-9_]+)\]/g)].map((m) => m[1]!));
  assert.ok(names.size > 0, `${name}.js --help listed no variables:\n${run.stderr}`);
  return names;
}

describe('deploy/systemd', function () {
  this.timeout(20_000);

  it('each env example names only variables its server reads, with the address, data and token file set', () => {
    for (const name of SERVER_NAMES) {
      const vars = envVars(name);
      const known = varsServerReads(name);
      known.add('INCIDENT_MCP_TOKEN'); // read directly, documented in --token-file's help
      const unknown = [...vars.keys()].filter((v) => !known.has(v) && !v.startsWith('GIT_CONFIG_'));
      assert.deepEqual(unknown, [], `${name}.env.example: variables the ${name} server does not read`);
      assert.ok(vars.has('INCIDENT_MCP_HTTP'), `${name}: INCIDENT_MCP_HTTP`);
      assert.equal(vars.get('INCIDENT_MCP_TOKEN_FILE'), '/etc/incident-mcp/token', `${name}: INCIDENT_MCP_TOKEN_FILE`);
    }
  });

  it('each server listens on the port prometheus.yml scrapes it on', () => {
    const config = fs.readFileSync(path.join(deployDir, 'prometheus', 'prometheus.yml'), 'utf8');
    for (const name of SERVER_NAMES) {
      const target = new RegExp(`targets: \\['[^']+:(\\d+)'\\]\\n\\s+labels: \\{ server: ${name} \\}`).exec(config);
      assert.ok(target, `prometheus.yml has no target labelled server: ${name}`);
      const listen = envVars(name).get('INCIDENT_MCP_HTTP')!;
      assert.equal(listen.split(':').pop(), target[1], `${name}: INCIDENT_MCP_HTTP=${listen} but Prometheus scrapes port ${target[1]}`);
    }
  });

  it('the template unit starts dist/servers/%i.js with /etc/incident-mcp/%i.env, and systemd-analyze verify accepts it', function () {
    const unit = fs.readFileSync(path.join(systemdDir, 'incident-mcp@.service'), 'utf8');
    assert.match(unit, /^ExecStart=\S*node \/opt\/incident-analyzer\/dist\/servers\/%i\.js$/m);
    assert.match(unit, /^EnvironmentFile=\/etc\/incident-mcp\/%i\.env$/m);
    assert.match(unit, /^KillSignal=SIGTERM$/m);
    const which = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (which.error) {
      console.log('    (skipping systemd-analyze verify: systemd-analyze is not installed)');
      return this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-systemd-'));
    try {
      fs.copyFileSync(path.join(systemdDir, 'incident-mcp@.service'), path.join(dir, 'incident-mcp@.service'));
      for (const name of SERVER_NAMES) {
        const run = spawnSync('systemd-analyze', ['verify', `./incident-mcp@${name}.service`], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
        assert.equal(run.status, 0, run.stderr);
        // verify reports unknown or malformed settings as warnings on stderr, still exiting 0
        assert.equal(run.stderr.trim(), '', `systemd-analyze verify incident-mcp@${name}.service:\n${run.stderr}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
