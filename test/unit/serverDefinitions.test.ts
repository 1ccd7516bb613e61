import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseMcpJson, resolveServers } from '../../src/engine/config/serverDefinitions';
import { buildServerList } from '../../src/engine/config/serverList';

describe('server definitions (mcp.json shape)', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-ws-'));
  fs.writeFileSync(path.join(ws, '.env'), '# secrets\nexport API_TOKEN="s3cret"\nREGION=eu\n');

  it('reads VS Code mcp.json (JSONC with comments and trailing commas) and substitutes variables', () => {
    const defs = parseMcpJson(
      `{
        // my servers
        "servers": {
          "tickets": { "type": "stdio", "command": "node", "args": ["\${workspaceFolder}/srv.js", "--user=\${env:USER_X}"], "envFile": ".env", "env": { "DEBUG": "1" }, },
          "remote": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": { "Authorization": "Bearer \${env:TOKEN_X}" } },
        },
      }`,
      'mcp.json',
    );
    const [stdio, http] = resolveServers(defs, { workspaceFolder: ws, env: { USER_X: 'ana', TOKEN_X: 't0k' } });
    assert.deepEqual(stdio, {
      name: 'tickets', type: 'stdio', command: 'node', args: [`${ws}/srv.js`, '--user=ana'],
      env: { API_TOKEN: 's3cret', REGION: 'eu', DEBUG: '1' }, cwd: ws,
    });
    assert.deepEqual(http, { name: 'remote', type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer t0k' } });
  });

  it('accepts Claude-style "mcpServers" too', () => {
    assert.deepEqual(Object.keys(parseMcpJson('{"mcpServers": {"a": {"command": "x"}}}', 'f')), ['a']);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not JSON', '{ "servers": ', /not valid JSON/],
    ['no command', '{ "servers": { "a": { "type": "stdio" } } }', /server "a" is not a valid definition/],
    ['a bad URL', '{ "servers": { "a": { "type": "http", "url": "not a url" } } }', /url is not a valid URL/],
    ['servers not an object', '{ "servers": [1] }', /must be an object/],
  ];
  for (const [what, text, message] of bad) {
    it(`says what is wrong with ${what}`, () => {
      assert.throws(() => parseMcpJson(text, 'mcp.json'), (err: Error) => err instanceof ConfigError && message.test(err.message));
    });
  }

  it('refuses unknown variables and ${workspaceFolder} without a workspace', () => {
    const defs = parseMcpJson('{"servers": {"a": {"command": "${home}/x"}}}', 'f');
    assert.throws(() => resolveServers(defs, { env: {} }), /unknown variable \$\{home\}/);
    const ws2 = parseMcpJson('{"servers": {"a": {"command": "${workspaceFolder}/x"}}}', 'f');
    assert.throws(() => resolveServers(ws2, { env: {} }), /no workspace folder is open/);
  });

  it('defaults to the bundled servers on a plain workspace, skipping metrics without metrics.json', () => {
    const { servers, skipped } = buildServerList({ sources: { workspace: ws }, serversDir: '/ext/dist/servers', nodePath: '/bin/node' });
    assert.deepEqual(servers.map((s) => s.name), ['logs', 'git']);
    assert.deepEqual(skipped.map((s) => s.name), ['metrics']);
    const logs = servers[0]!;
    assert.equal(logs.type, 'stdio');
    if (logs.type === 'stdio') {
      assert.deepEqual(logs.args, ['/ext/dist/servers/logs.js', '--logs', path.join(ws, '**', '*.{log,jsonl}')]);
      assert.equal(logs.env.ELECTRON_RUN_AS_NODE, '1', 'VS Code runs the servers with its own binary as Node');
    }
    fs.writeFileSync(path.join(ws, 'metrics.json'), '{"metrics": []}');
    fs.mkdirSync(path.join(ws, 'logs'));
    const again = buildServerList({ sources: { workspace: ws }, serversDir: '/d', extra: { git: { command: 'my-git-server' } } });
    assert.deepEqual(again.servers.map((s) => s.name), ['logs', 'metrics', 'git'], 'a configured "git" replaces the bundled one');
    const logsArgs = again.servers[0]!.type === 'stdio' ? again.servers[0]!.args : [];
    assert.ok(logsArgs.includes(path.join(ws, 'logs')));
  });
});
