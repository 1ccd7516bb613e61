import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findVscodeRipgrep } from '../../src/extension/vscodeRipgrep.js';
import { EXTENSION_ID, api, waitFor } from './helpers.js';

describe('activation', () => {
  it('activates from a command or view, fast, and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const extension = await api();
    assert.ok(ext.isActive);
    console.log(`      activate() took ${extension.activationMs.toFixed(1)} ms`);
    const contributed = (ext.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    assert.ok(contributed.includes('incidentAnalyzer.analyze'));
    // Activation registered forwarders; the controller, loaded after, must handle each of them.
    assert.ok(extension.controller);
    assert.deepEqual(extension.commands.missing(contributed), []);
    console.log(`      the controller loaded in ${extension.controllerLoadMs?.toFixed(1)} ms, after activation`);
  });

  it('starts the three bundled servers on the workspace with no settings', async () => {
    const { controller } = await api();
    const statuses = await waitFor('3 ready servers', () => {
      const s = controller.session?.statuses() ?? [];
      return s.length === 3 && s.every((x) => x.state === 'ready') && s;
    });
    assert.deepEqual(statuses.map((s) => s.name).sort(), ['git', 'logs', 'metrics']);
    for (const s of statuses) assert.ok(s.toolCount >= 5, `${s.name} has ${s.toolCount} tools`);
  });

  it("searches literal text with VS Code's own ripgrep", async () => {
    const { controller } = await api();
    const session = controller.session!;
    const rg = findVscodeRipgrep(vscode.env.appRoot);
    assert.ok(rg, `VS Code has an rg under ${vscode.env.appRoot}`);
    const logs = session.setup.servers.find((s) => s.name === 'logs') as { args: string[] };
    assert.deepEqual(logs.args.slice(-2), ['--ripgrep', rg]);
    const result = await session.callTool('search_logs', { pattern: 'pool exhausted', max_results: 3 });
    const found = result.structured as { engine: string; total: number };
    assert.equal(found.engine, 'ripgrep', result.text);
    assert.ok(found.total > 3, result.text);
    const stderr = session.stderrOf('logs');
    assert.ok(stderr.includes(`literal searches: ripgrep ${rg} (given by the host)`), stderr);
  });

  it('shows each server in the Servers view with its state, tool count and what it reads', async () => {
    const { controller } = await api();
    const items = await Promise.all((await controller.servers.getChildren()).map((n) => controller.servers.getTreeItem(n)));
    const byName = new Map(items.map((i) => [String(i.label), i]));
    const reads: Record<string, RegExp> = { logs: / · files logs, /, git: / · repository \.(, deployments deployments\.json)?$/, metrics: / · file metrics\.json$/ };
    for (const name of ['logs', 'git', 'metrics']) {
      assert.match(String(byName.get(name)?.description), /^ready · \d+ tools · \d+ calls · \d+ errors/);
      assert.match(String(byName.get(name)?.description), reads[name]!);
      assert.equal(byName.get(name)?.contextValue, 'server-ready');
    }
  });
});
