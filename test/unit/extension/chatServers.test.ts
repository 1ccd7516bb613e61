import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { offeredServers } from '../../../src/extension/chatServers.js';
import { serverSetup } from '../../../src/extension/serverSetup.js';
import { readSettings } from '../../../src/extension/settings.js';

describe('the servers offered to VS Code chat', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'offered-'));
    fs.writeFileSync(path.join(ws, 'metrics.json'), '{}');
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  const settingsWith = (values: Record<string, unknown>) => readSettings((key, fallback) => (key in values ? values[key] : fallback) as typeof fallback);
  const setup = (values: Record<string, unknown> = {}, credentials?: { prometheus?: Record<string, string> }) =>
    serverSetup({ settings: settingsWith(values), workspace: ws, serversDir: '/ext/dist/servers', nodePath: '/bin/node', env: { HOME: '/home/u', TOKEN: 's3cret' }, trusted: true, credentials });

  it('offers the bundled servers as our analysis runs them, with no environment in the listing', () => {
    const s = setup();
    const offered = offeredServers(s, [], 'key');
    assert.deepEqual(offered.listed.map((x) => x.label), ['logs', 'git', 'metrics']);
    const git = offered.listed.find((x) => x.label === 'git')!;
    assert.deepEqual(git, { label: 'git', type: 'stdio', command: '/bin/node', args: ['/ext/dist/servers/git.js', '--repo', ws], cwd: ws, version: git.version });
    assert.match(git.version, /^[0-9a-f]{16}$/);
    assert.deepEqual(offered.launch.get('git'), s.servers.find((x) => x.name === 'git'));
    assert.equal((offered.launch.get('git') as { env: Record<string, string> }).env.ELECTRON_RUN_AS_NODE, '1');
  });

  it('credentials reach only the launch; the version changes with them but does not reveal them', () => {
    const values = { prometheusUrl: 'http://prom:9090' };
    const a = offeredServers(setup(values, { prometheus: { INCIDENT_PROMETHEUS_TOKEN: 'tok-1' } }), [], 'key');
    const b = offeredServers(setup(values, { prometheus: { INCIDENT_PROMETHEUS_TOKEN: 'tok-2' } }), [], 'key');
    assert.ok(!JSON.stringify(a.listed).includes('tok-1'));
    assert.equal((a.launch.get('metrics') as { env: Record<string, string> }).env.INCIDENT_PROMETHEUS_TOKEN, 'tok-1');
    const version = (o: typeof a) => o.listed.find((x) => x.label === 'metrics')!.version;
    assert.notEqual(version(a), version(b));
    assert.notEqual(version(a), version(offeredServers(setup(values, { prometheus: { INCIDENT_PROMETHEUS_TOKEN: 'tok-1' } }), [], 'other key')));
    assert.equal(version(a), version(offeredServers(setup(values, { prometheus: { INCIDENT_PROMETHEUS_TOKEN: 'tok-1' } }), [], 'key')));
  });

  it("adds the setting's servers, http ones without their headers; not those of .vscode/mcp.json, which VS Code lists itself", () => {
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'mcp.json'), JSON.stringify({ servers: { fromMcpJson: { command: 'x' }, git: { command: 'my-git' } } }));
    const servers = { remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } } };
    const s = setup({ useWorkspaceMcpJson: true, servers });
    assert.deepEqual(s.servers.map((x) => x.name).sort(), ['fromMcpJson', 'git', 'logs', 'metrics', 'remote']);
    const offered = offeredServers(s, Object.keys(servers), 'key');
    // git was replaced by the workspace's mcp.json: VS Code already has that one
    assert.deepEqual(offered.listed.map((x) => x.label), ['logs', 'metrics', 'remote']);
    const remote = offered.listed.find((x) => x.label === 'remote')!;
    assert.deepEqual(Object.keys(remote).sort(), ['label', 'type', 'url', 'version']);
    assert.equal((offered.launch.get('remote') as { headers: Record<string, string> }).headers.Authorization, 'Bearer s3cret');
  });

  it('reads the setting that turns the offer off', () => {
    assert.equal(settingsWith({}).offerServersToChat, true);
    assert.equal(settingsWith({ offerServersToChat: false }).offerServersToChat, false);
  });
});
