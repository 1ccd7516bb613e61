import assert from 'node:assert/strict';
import path from 'node:path';
import type { ResolvedServer } from '../../src/engine/config/serverDefinitions';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import { repoRoot } from '../support/servers';

const script = path.join(repoRoot, 'test', 'support', 'misbehaving-server.mjs');
const misbehaving = (name: string, mode: string, env: Record<string, string> = {}): ResolvedServer => ({
  name,
  type: 'stdio',
  command: process.execPath,
  args: [script, mode],
  env,
  cwd: repoRoot,
});

describe('MCP client manager', function () {
  this.timeout(30_000);
  let manager: McpClientManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
  });

  it('starts servers in parallel, qualifies clashing tool names, and routes calls', async () => {
    manager = new McpClientManager([misbehaving('a', 'ok'), misbehaving('b', 'ok')], { backoffMs: 50 });
    const statuses = await manager.start();
    assert.deepEqual(statuses.map((s) => [s.name, s.state, s.toolCount]), [['a', 'ready', 4], ['b', 'ready', 4]]);
    const names = manager.catalog().map((t) => t.name);
    assert.ok(names.includes('a.echo') && names.includes('b.echo'));
    const result = await manager.callTool('b.echo', { text: 'hi' });
    assert.deepEqual([result.server, result.isError, result.text], ['b', false, 'echo: hi']);
    const unknown = await manager.callTool('echo', { text: 'hi' });
    assert.equal(unknown.isError, true);
    assert.match(unknown.text, /unknown tool "echo".*a\.echo/);
  });

  it('passes the environment a server is given, on top of the minimal default', async () => {
    manager = new McpClientManager([misbehaving('a', 'ok', { WIDGET_TOKEN: 'abc' })], { baseEnv: { FROM_BASE: 'yes' } });
    await manager.start();
    assert.equal((await manager.callTool('env', { name: 'WIDGET_TOKEN' })).text, 'abc');
    assert.equal((await manager.callTool('env', { name: 'FROM_BASE' })).text, 'yes');
    assert.ok((await manager.callTool('env', { name: 'PATH' })).text.length > 0);
  });

  it('a server that crashes mid-call: the call fails with its stderr, it restarts, and the others go on', async () => {
    manager = new McpClientManager([misbehaving('crashy', 'crash-on-call'), misbehaving('steady', 'ok')], { backoffMs: 50 });
    await manager.start();
    const crashed = await manager.callTool('crashy.boom', {});
    assert.equal(crashed.isError, true);
    assert.match(crashed.text, /stopped during the call/);
    assert.match(crashed.text, /panic: something broke in boom/);
    assert.equal((await manager.callTool('steady.echo', { text: 'still here' })).text, 'echo: still here');
    const again = await manager.callTool('crashy.echo', { text: 'back' });
    assert.equal(again.text, 'echo: back', 'the crashed server was restarted');
    const status = manager.statuses().find((s) => s.name === 'crashy')!;
    assert.equal(status.restarts, 1);
    assert.equal(status.errors, 1);
    assert.equal(status.calls, 2);
  });

  it('options given as undefined keep their defaults (a CLI without --tool-timeout waits 60 s, not NaN)', () => {
    manager = new McpClientManager([], { callTimeoutMs: undefined, maxRestarts: undefined });
    assert.equal(manager.callTimeoutMs, 60_000);
  });

  it('crashes far apart, or a restart someone asked for, start the restart budget again', async () => {
    const until = async (ready: () => boolean) => {
      for (let i = 0; i < 200 && !ready(); i++) await new Promise((r) => setTimeout(r, 25));
    };
    const state = () => manager!.statuses().find((s) => s.name === 'crashy')!.state;
    const crashAndRecover = async () => {
      assert.match((await manager!.callTool('boom', {})).text, /stopped during the call/);
      await until(() => state() !== 'ready'); // the crash may be seen just after the call failed
      await until(() => state() === 'ready' || state() === 'error');
    };
    manager = new McpClientManager([misbehaving('crashy', 'crash-on-call')], { backoffMs: 20, maxRestarts: 2, stableAfterMs: 300 });
    await manager.start();
    for (let i = 0; i < 4; i++) {
      await crashAndRecover();
      assert.equal(state(), 'ready', `crash ${i + 1}, after the server had run stably, is forgiven`);
      await new Promise((r) => setTimeout(r, 350));
    }
    await manager.stop();

    manager = new McpClientManager([misbehaving('crashy', 'crash-on-call')], { backoffMs: 20, maxRestarts: 2, stableAfterMs: 60_000 });
    await manager.start();
    await crashAndRecover();
    await crashAndRecover();
    assert.equal(state(), 'ready');
    await manager.restart('crashy'); // the Restart button
    await crashAndRecover();
    await crashAndRecover();
    assert.equal(state(), 'ready', 'two more crashes after a manual restart are within the budget again');
    await crashAndRecover();
    assert.equal(state(), 'error', 'a third crash in a row is a crash loop');
    assert.match(manager.statuses().find((s) => s.name === 'crashy')!.lastError!, /gave up after 2 restart\(s\) in a row/);
  });

  it('a server that hangs: the call times out and says so, and the server still serves other calls', async () => {
    manager = new McpClientManager([misbehaving('slow', 'hang')], { callTimeoutMs: 500 });
    await manager.start();
    const started = Date.now();
    const result = await manager.callTool('sleep', {});
    assert.equal(result.isError, true);
    assert.match(result.text, /did not answer within 1 s/);
    assert.ok(Date.now() - started < 3000);
    assert.equal((await manager.callTool('echo', { text: 'x' })).text, 'echo: x');
  });

  it('a call can be cancelled through its AbortSignal', async () => {
    manager = new McpClientManager([misbehaving('slow', 'hang')]);
    await manager.start();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed stop')), 200);
    await assert.rejects(manager.callTool('sleep', {}, { signal: controller.signal }), /user pressed stop|abort/i);
  });

  it('a server that never starts: bounded retries, its stderr in the error, and the rest are not blocked', async () => {
    manager = new McpClientManager([misbehaving('broken', 'die-at-start'), misbehaving('fine', 'ok')], { backoffMs: 20, maxRestarts: 2 });
    const statuses = await manager.start();
    assert.equal(statuses.find((s) => s.name === 'fine')!.state, 'ready');
    // Its restarts take their own time on a busy machine: wait for it to give up, not for a fixed time.
    const brokenNow = () => manager!.statuses().find((s) => s.name === 'broken')!;
    for (const deadline = Date.now() + 20_000; brokenNow().state !== 'error' && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    const broken = brokenNow();
    assert.equal(broken.state, 'error');
    assert.equal(broken.restarts, 2);
    assert.match(manager.stderrOf('broken'), /permission denied/);
    assert.equal((await manager.callTool('echo', { text: 'ok' })).isError, false);
  });

  it('a command that does not exist is reported, not thrown', async () => {
    manager = new McpClientManager([{ name: 'ghost', type: 'stdio', command: '/no/such/binary', args: [], env: {} }], { maxRestarts: 0 });
    const [status] = await manager.start();
    assert.equal(status!.state, 'error');
    assert.match(status!.lastError ?? '', /ENOENT|no such/i);
  });

  it('a server that writes garbage to stdout keeps working', async () => {
    manager = new McpClientManager([misbehaving('noisy', 'garbage')]);
    await manager.start();
    assert.equal((await manager.callTool('echo', { text: 'a' })).text, 'echo: a');
    assert.equal((await manager.callTool('echo', { text: 'b' })).text, 'echo: b');
  });
});

describe('MCP client manager with a third-party server', function () {
  this.timeout(30_000);

  it('puts @modelcontextprotocol/server-everything in one catalog with a bundled server, qualifying clashes, and calls it', async () => {
    const everything = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    const manager = new McpClientManager([
      { name: 'everything', type: 'stdio', command: process.execPath, args: [everything, 'stdio'], env: {} },
      misbehaving('mine', 'ok'),
    ]);
    try {
      const statuses = await manager.start();
      assert.deepEqual(statuses.map((s) => s.state), ['ready', 'ready'], manager.stderrOf('everything'));
      const catalog = manager.catalog();
      assert.ok(catalog.some((t) => t.server === 'everything' && t.name === 'everything.echo'), 'echo exists on both servers, so it is qualified');
      assert.ok(catalog.some((t) => t.server === 'mine' && t.name === 'mine.echo'));
      const echoed = await manager.callTool('everything.echo', { message: 'hello' });
      assert.equal(echoed.isError, false, echoed.text);
      assert.match(echoed.text, /hello/);
    } finally {
      await manager.stop();
    }
  });
});

describe('MCP client manager over Streamable HTTP', function () {
  this.timeout(30_000);

  it('connects to an http server definition with headers and calls its tools', async () => {
    const { spawn } = await import('node:child_process');
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const everything = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    const child = spawn(process.execPath, [everything, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the HTTP server did not start')), 10_000);
        child.stderr!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const manager = new McpClientManager([{ name: 'remote', type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { 'X-Test': 'yes' } }]);
      try {
        const [status] = await manager.start();
        assert.equal(status!.state, 'ready', status!.lastError);
        const echoed = await manager.callTool('echo', { message: 'over http' });
        assert.match(echoed.text, /over http/);
      } finally {
        await manager.stop();
      }
    } finally {
      child.kill();
    }
  });
});
