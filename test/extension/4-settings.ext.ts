import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, misbehavingServer, setSetting, waitFor } from './helpers.js';

async function listedLogFiles(): Promise<string[]> {
  const { controller } = await api();
  const out = await controller.session!.callTool('list_log_files', {});
  assert.equal(out.isError, false, out.text);
  return ((out.structured?.files ?? []) as Array<{ file: string }>).map((f) => f.file).sort();
}

describe('settings take effect without a reload', () => {
  afterEach(async () => {
    for (const key of ['logs', 'servers', 'analyst', 'model', 'ollamaHost']) await setSetting(key, undefined);
    const { controller } = await api();
    await waitFor('the default servers again', () => {
      const s = controller.session!.statuses();
      return s.length === 3 && s.every((x) => x.state === 'ready');
    });
  });

  it('log paths: the logs server restarts on the new files', async () => {
    const before = await listedLogFiles();
    assert.ok(before.length >= 3, before.join(', '));
    await setSetting('logs', ['logs/api.log']);
    const after = await waitFor('the logs server to see only api.log', async () => {
      const files = await listedLogFiles().catch(() => []);
      return files.length === 1 && files;
    });
    assert.deepEqual(after, ['api.log']);
  });

  it('a server that dies at start shows as failed with its stderr; the bundled ones keep working', async () => {
    const { controller } = await api();
    await setSetting('servers', { broken: { command: process.execPath, args: [misbehavingServer(), 'die-at-start'] } });
    const broken = await waitFor('the broken server to fail', () => controller.session!.statuses().find((s) => s.name === 'broken' && s.state === 'error'));
    assert.match(controller.session!.stderrOf('broken'), /cannot open \/etc\/widget\.conf/);
    assert.ok(broken.lastError);
    const items = await Promise.all((await controller.servers.getChildren()).map((n) => controller.servers.getTreeItem(n)));
    assert.equal(items.find((i) => i.label === 'broken')?.contextValue, 'server-error');
    const ready = controller.session!.statuses().filter((s) => s.state === 'ready').map((s) => s.name).sort();
    assert.deepEqual(ready, ['git', 'logs', 'metrics']);
    // the server's log opens as a document with its stderr
    await vscode.commands.executeCommand('incidentAnalyzer.showServerLog', 'broken');
    const doc = await waitFor('the server log document', () => vscode.window.activeTextEditor?.document);
    assert.match(doc.getText(), /Server broken: error[\s\S]*cannot open \/etc\/widget\.conf/);
  });

  it('a server that crashes mid-call is restarted; the call fails with a message instead of hanging', async () => {
    const { controller } = await api();
    await setSetting('servers', { flaky: { command: process.execPath, args: [misbehavingServer(), 'crash-on-call'] } });
    await waitFor('flaky ready', () => controller.session!.statuses().find((s) => s.name === 'flaky' && s.state === 'ready'));
    const out = await controller.session!.callTool('boom', {});
    assert.equal(out.isError, true);
    assert.match(out.text, /flaky/);
    await waitFor('flaky restarted', () => controller.session!.statuses().find((s) => s.name === 'flaky' && s.state === 'ready' && s.restarts >= 1));
  });

  it('Ollama unreachable in auto mode: the built-in analyst runs instead and the report still comes', async () => {
    await setSetting('model', 'qwen2.5:7b');
    await setSetting('ollamaHost', 'http://127.0.0.1:9'); // nothing listens on the discard port
    const result = await vscode.commands.executeCommand<{ runId: string; outcome: string }>('incidentAnalyzer.analyze', { incident: 'checkout 500s', window: '2026-02-17 13:00..2026-02-17 16:00' });
    assert.equal(result?.outcome, 'report');
    const { controller } = await api();
    const runs = controller.store.liveRuns().filter((r) => r.incident === 'checkout 500s');
    assert.deepEqual(runs.map((r) => r.status).sort(), ['error', 'report']);
    assert.match(runs.find((r) => r.status === 'error')!.error!.message, /not reachable/);
  });

  it('analyst "ollama" does not fall back: the run fails with the fix', async () => {
    await setSetting('analyst', 'ollama');
    await setSetting('model', 'qwen2.5:7b');
    await setSetting('ollamaHost', 'http://127.0.0.1:9');
    const result = await vscode.commands.executeCommand<{ runId: string; outcome: string }>('incidentAnalyzer.analyze', { incident: 'ollama only', window: '' });
    assert.equal(result?.outcome, 'error');
    const { controller } = await api();
    assert.equal(controller.store.get(result!.runId)!.error?.remedy, 'start-ollama');
  });
});
