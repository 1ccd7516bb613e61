import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverSetup, setupKey } from '../../../src/extension/serverSetup.js';
import { readSettings } from '../../../src/extension/settings.js';
import { findVscodeRipgrep } from '../../../src/extension/vscodeRipgrep.js';

const defaults = () => readSettings((_key, fallback) => fallback);

describe('settings and the servers of a workspace', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-'));
    fs.mkdirSync(path.join(ws, 'logs'));
    fs.writeFileSync(path.join(ws, 'metrics.json'), '{}');
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));
  const setup = (settings = defaults(), trusted = true) => serverSetup({ settings, workspace: ws, serversDir: '/ext/dist/servers', nodePath: '/bin/node', env: { HOME: '/home/u' }, trusted });
  const argsOf = (s: ReturnType<typeof setup>, name: string) => (s.servers.find((x) => x.name === name) as { args: string[] }).args;

  it('reads settings with safe fallbacks for wrong types', () => {
    const values: Record<string, unknown> = { analyst: 'nonsense', numCtx: -1, toolTimeoutSeconds: 5, logs: ['a.log', 3, ''], servers: [], model: '  qwen2.5:7b ' };
    const s = readSettings((key, fallback) => (key in values ? values[key] : fallback) as typeof fallback);
    assert.equal(s.analyst, 'auto');
    assert.equal(s.numCtx, 16384);
    assert.equal(s.toolTimeoutMs, 5000);
    assert.deepEqual(s.logs, ['a.log']);
    assert.deepEqual(s.servers, {});
    assert.equal(s.model, 'qwen2.5:7b');
  });

  it('no settings: the three bundled servers over the workspace', () => {
    const s = setup();
    assert.deepEqual(s.servers.map((x) => x.name), ['logs', 'git', 'metrics']);
    assert.deepEqual(argsOf(s, 'logs'), ['/ext/dist/servers/logs.js', '--logs', path.join(ws, 'logs'), '--logs', path.join(ws, '**', '*.{log,jsonl}')]);
    assert.deepEqual(argsOf(s, 'git'), ['/ext/dist/servers/git.js', '--repo', ws]);
    assert.deepEqual(s.problems, []);
  });

  it("hands VS Code's own ripgrep to the logs server, found where each VS Code version keeps it", () => {
    const withRg = serverSetup({ settings: defaults(), workspace: ws, serversDir: '/ext/dist/servers', nodePath: '/bin/node', ripgrep: '/vscode/rg', env: {}, trusted: true });
    assert.deepEqual(argsOf(withRg, 'logs').slice(-2), ['--ripgrep', '/vscode/rg']);
    assert.ok(!argsOf(setup(), 'logs').includes('--ripgrep'), 'none given: the server looks on PATH itself');

    const appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'approot-'));
    try {
      assert.equal(findVscodeRipgrep(appRoot, 'linux'), undefined);
      // Oldest layout first: each newer one, once present, is preferred.
      for (const bin of ['node_modules.asar.unpacked/vscode-ripgrep/bin', 'node_modules/@vscode/ripgrep/bin', 'node_modules/@vscode/ripgrep-universal/bin/linux-x64']) {
        fs.mkdirSync(path.join(appRoot, bin), { recursive: true });
        fs.writeFileSync(path.join(appRoot, bin, 'rg'), '');
        assert.equal(findVscodeRipgrep(appRoot, 'linux', 'x64'), path.join(appRoot, bin, 'rg'));
      }
      assert.equal(findVscodeRipgrep(appRoot, 'linux', 'arm64'), path.join(appRoot, 'node_modules/@vscode/ripgrep/bin/rg'), 'another machine type: not that binary');
    } finally {
      fs.rmSync(appRoot, { recursive: true, force: true });
    }
  });

  it('settings override each location, relative to the workspace', () => {
    const s = setup({ ...defaults(), logs: ['var/app.log'], repository: 'src/repo', metricsFile: 'm/metrics.json', deploymentsFile: 'deploys.json' });
    assert.deepEqual(argsOf(s, 'logs').slice(1), ['--logs', path.join(ws, 'var/app.log')]);
    assert.deepEqual(argsOf(s, 'git').slice(1), ['--repo', path.join(ws, 'src/repo'), '--deployments', path.join(ws, 'deploys.json')]);
    assert.deepEqual(argsOf(s, 'metrics').slice(1), ['--metrics', path.join(ws, 'm/metrics.json')]);
    assert.notEqual(setupKey(s), setupKey(setup()));
  });

  it('servers from the settings join the bundled ones; a bundled name replaces the bundled server', () => {
    const s = setup({ ...defaults(), servers: { tickets: { command: 'tickets-mcp', args: ['--root', '${workspaceFolder}'] }, metrics: { type: 'http', url: 'https://prom.example/mcp' } } });
    assert.deepEqual(s.servers.map((x) => x.name), ['logs', 'git', 'tickets', 'metrics']);
    assert.deepEqual((s.servers[2] as { args: string[] }).args, ['--root', ws]);
    assert.equal((s.servers[3] as { url: string }).url, 'https://prom.example/mcp');
  });

  it('a broken definition is a problem to show, and never takes the bundled servers down', () => {
    const invalid = setup({ ...defaults(), servers: { bad: { args: ['no command'] } } });
    assert.deepEqual(invalid.servers.map((x) => x.name), ['logs', 'git', 'metrics']);
    assert.match(invalid.problems[0]!, /server "bad" is not a valid definition/);
    const unknownVar = setup({ ...defaults(), servers: { needsInput: { command: 'x', env: { TOKEN: '${input:token}' } }, fine: { command: 'y' } } });
    assert.deepEqual(unknownVar.servers.map((x) => x.name), ['logs', 'git', 'metrics', 'fine']);
    assert.match(unknownVar.skipped.find((x) => x.name === 'needsInput')!.reason, /unknown variable \$\{input:token\}/);
  });

  it('Prometheus and Loki settings point the bundled servers at them, with credentials only in the environment', () => {
    const settings = { ...defaults(), prometheusUrl: 'https://prom.example:9090', lokiUrl: 'http://127.0.0.1:3100', lokiSelector: '{namespace="shop"}', lokiTenant: 'shop' };
    const credentials = { prometheus: { INCIDENT_PROMETHEUS_TOKEN: 't0ken' }, loki: { INCIDENT_LOKI_USER: 'u', INCIDENT_LOKI_PASSWORD: 'p' } };
    const s = serverSetup({ settings, workspace: ws, serversDir: '/ext/dist/servers', nodePath: '/bin/node', env: {}, trusted: true, credentials });
    const logs = s.servers.find((x) => x.name === 'logs') as { args: string[]; env: Record<string, string> };
    const metrics = s.servers.find((x) => x.name === 'metrics') as { args: string[]; env: Record<string, string> };
    assert.deepEqual(logs.args.slice(1), ['--loki', 'http://127.0.0.1:3100', '--loki-selector', '{namespace="shop"}']);
    assert.deepEqual(metrics.args.slice(1), ['--prometheus', 'https://prom.example:9090'], 'Prometheus, not the metrics.json beside it');
    assert.equal(metrics.env.INCIDENT_PROMETHEUS_TOKEN, 't0ken');
    assert.deepEqual([logs.env.INCIDENT_LOKI_USER, logs.env.INCIDENT_LOKI_PASSWORD, logs.env.INCIDENT_LOKI_TENANT], ['u', 'p', 'shop']);
    assert.ok(!JSON.stringify([logs.args, metrics.args]).includes('t0ken'), 'never on the command line');
    assert.equal(s.sources.metrics, 'Prometheus https://prom.example:9090');
    assert.equal(s.sources.logs, 'Loki http://127.0.0.1:3100 {namespace="shop"}');
    assert.equal(s.sources.git, 'repository .');

    const bad = setup({ ...defaults(), prometheusUrl: 'ftp://prom' });
    assert.match(bad.problems[0]!, /incidentAnalyzer.prometheusUrl "ftp:\/\/prom" must be an http/);
    assert.deepEqual(argsOf(bad, 'metrics').slice(1), ['--metrics', path.join(ws, 'metrics.json')], 'a bad URL falls back to the files');
  });

  it('.vscode/mcp.json is read only when asked and only in a trusted workspace', () => {
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'mcp.json'), '{ // comments are fine\n "servers": { "pager": { "command": "pager-mcp" } }, }');
    assert.ok(!setup().servers.some((x) => x.name === 'pager'));
    const asked = { ...defaults(), useWorkspaceMcpJson: true };
    assert.ok(setup(asked).servers.some((x) => x.name === 'pager'));
    assert.ok(!setup(asked, false).servers.some((x) => x.name === 'pager'));
  });
});
