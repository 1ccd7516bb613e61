// deploy/systemd: the template unit and the incidents instance's drop-in parse (systemd-analyze verify, where there
// is one), each instance's environment example names only variables its server reads (from the server's own usage
// text) on the port that prometheus.yml scrapes it on, and the drop-in opens exactly the folders of the workspace
// that incidents.env.example names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer } from '../support/httpServers';
import { textOf } from '../support/servers';
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

/** The INCIDENT_* variables a server's usage text names: its `[env NAME]` flags and those in the prose. */
function varsServerReads(name: string): Set<string> {
  const run = spawnSync(process.execPath, [bundle(name), '--help'], { encoding: 'utf8', timeout: 10_000 });
  const names = new Set([...`${run.stdout}${run.stderr}`.matchAll(/\bINCIDENT_[A-Z0-9_]+\b/g)].map((m) => m[0]));
  assert.ok(names.size > 0, `${name}.js --help listed no variables:\n${run.stderr}`);
  return names;
}

const bundle = (name: string) => path.join(repoRoot, 'dist', 'servers', `${name}.js`);

/** Documented in the main README rather than in --help; each must still be in its server's bundle. */
const README_ONLY: Record<string, string[]> = { incidents: ['INCIDENT_WEBHOOK_TIMEOUT_SECONDS'] };

const dropInDir = path.join(systemdDir, 'incident-mcp@incidents.service.d');

/** `Key=value` lines of a unit file or drop-in, comments left out. */
function unitSettings(file: string): Array<[string, string]> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => /^([A-Za-z]+)=(.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!]);
}

describe('deploy/systemd', function () {
  this.timeout(20_000);

  it('each env example names only variables its server reads, with the address, data and token file set', () => {
    for (const name of SERVER_NAMES) {
      const vars = envVars(name);
      const known = varsServerReads(name);
      for (const v of README_ONLY[name] ?? []) {
        assert.ok(fs.readFileSync(bundle(name), 'utf8').includes(v), `${name}.js never reads ${v}`);
        known.add(v);
      }
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

  it('incidents.env.example sets the workspace and keeps its secrets in the file, commented, asking for root-only', () => {
    const text = fs.readFileSync(path.join(systemdDir, 'incidents.env.example'), 'utf8');
    assert.ok(envVars('incidents').get('INCIDENT_WORKSPACE')?.startsWith('/'), 'INCIDENT_WORKSPACE, an absolute path');
    for (const secret of ['INCIDENT_WEBHOOK_URL', 'INCIDENT_POSTGRES_URL']) {
      assert.match(text, new RegExp(`^# ${secret}=`, 'm'), `${secret}: shown, commented out`);
    }
    assert.match(text, /chown root:root/);
    assert.match(text, /chmod 0600/);
  });

  it('the incidents drop-in opens exactly the journal and postmortem folders of that workspace, and stops the server alone', () => {
    const workspace = envVars('incidents').get('INCIDENT_WORKSPACE')!;
    const settings = unitSettings(path.join(dropInDir, 'workspace.conf'));
    const writable = settings.filter(([k]) => k === 'ReadWritePaths').flatMap(([, v]) => v.split(/\s+/));
    assert.deepEqual(writable.sort(), [path.join(workspace, '.incident-analyzer', 'incidents'), path.join(workspace, 'incident-reports')]);
    assert.deepEqual(settings.filter(([k]) => k === 'KillMode'), [['KillMode', 'mixed']]);
    // the template's hardening is what makes the list necessary, and stays on for the steps
    const unit = new Map(unitSettings(path.join(systemdDir, 'incident-mcp@.service')));
    assert.equal(unit.get('ProtectSystem'), 'strict');
    assert.equal(unit.get('NoNewPrivileges'), 'yes');
  });

  it('as its own user, the incidents server needs no more than the drop-in opens: an incident, an approved step, a postmortem', async function () {
    // systemd is not PID 1 here, so the read-only system is stood in for by ownership: the workspace is root's and
    // the server runs as nobody, owning only the folders that the drop-in's ReadWritePaths name (under a temporary
    // workspace). Needs root to switch users.
    if (process.getuid?.() !== 0) {
      console.log('    (skipping: switching to an unprivileged user needs root)');
      return this.skip();
    }
    this.timeout(60_000);
    const nobody = { uid: 65534, gid: 65534 };
    const configured = envVars('incidents').get('INCIDENT_WORKSPACE')!;
    const writable = unitSettings(path.join(dropInDir, 'workspace.conf'))
      .filter(([k]) => k === 'ReadWritePaths')
      .flatMap(([, v]) => v.split(/\s+/))
      .map((p) => path.relative(configured, p));
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-incidents-ws-'));
    fs.chmodSync(workspace, 0o755);
    fs.mkdirSync(path.join(workspace, '.incident-analyzer'));
    fs.writeFileSync(
      path.join(workspace, '.incident-analyzer', 'runbooks.yaml'),
      `steps:\n  check:\n    description: Reads only\n    program: ${JSON.stringify(process.execPath)}\n    args: ["-e", "console.log('checked')"]\n    changes: false\n`,
    );
    for (const rel of writable) {
      fs.mkdirSync(path.join(workspace, rel), { recursive: true });
      fs.chownSync(path.join(workspace, rel), nobody.uid, nobody.gid);
    }
    const server = await startHttpServer('incidents', ['--workspace', workspace], {}, '127.0.0.1:0', nobody);
    const client = new Client({ name: 'deploy-tests', version: '0.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { approve: true } }));
    try {
      const health = await fetch(new URL('/health', server.url));
      assert.equal(health.status, 200, await health.text());
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.url)));
      const call = async (tool: string, args: Record<string, unknown>) => {
        const result = (await client.callTool({ name: tool, arguments: args }, CallToolResultSchema)) as CallToolResult;
        assert.ok(!result.isError, `${tool}: ${textOf(result)}\n${server.stderr()}`);
        return result.structuredContent as Record<string, unknown>;
      };
      const { incident } = (await call('create_incident', { title: 'Checkout 500s', severity: 'SEV2', service: 'checkout', summary: 's' })) as { incident: { id: string } };
      assert.equal((await call('execute_remediation', { id: incident.id, step: 'check', dry_run: false })).ran, true);
      await call('document_resolution', { id: incident.id, impact: 'none, a test' });
      const kinds = ((await call('get_incident', { id: incident.id })) as { incident: { journal: Array<{ kind: string }> } }).incident.journal.map((e) => e.kind);
      assert.deepEqual(kinds, ['created', 'remediation_approved', 'remediation_result', 'postmortem']);
      const written = (fs.readdirSync(workspace, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(workspace, f)).uid === nobody.uid);
      assert.ok(written.every((f) => writable.some((w) => f === w || f.startsWith(w + path.sep))), `written outside ${writable.join(', ')}: ${written.join(', ')}`);
      assert.ok(written.some((f) => f.startsWith('incident-reports')), 'the postmortem is there');
    } finally {
      await client.close();
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
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
      // verify reads drop-ins beside the unit: incident-mcp@incidents is checked with its own
      fs.cpSync(dropInDir, path.join(dir, path.basename(dropInDir)), { recursive: true });
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
