// First use: the Getting Started walkthrough and the view welcome point only at things that exist, and the sample
// they offer is a workspace the bundled servers read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { bundledServers } from '../../src/engine/config/workspaceDefaults.js';
import { McpClientManager } from '../../src/engine/mcp/clientManager.js';
import { findVscodeRipgrep } from '../../src/extension/vscodeRipgrep.js';
import { CULPRIT, EXTENSION_ID, api, closeEditors, repoRoot, waitFor } from './helpers.js';

interface Step {
  id: string;
  description: string;
  media: { image?: string; markdown?: string };
  completionEvents?: string[];
}

/** The command ids of `command:` links in contributed text. */
const linkedCommands = (text: string) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!);

describe('first use', () => {
  const contributes = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;

  it('the walkthrough and the view welcome: their media exist, every command they name is registered', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const steps = (contributes().walkthroughs as Array<{ id: string; steps: Step[] }>).find((w) => w.id === 'gettingStarted')!.steps;
    assert.deepEqual(steps.map((s) => s.id), ['openFolder', 'analyzeSample', 'chooseModel']);
    const named = new Set<string>();
    for (const step of steps) {
      for (const file of [step.media.image, step.media.markdown].filter((f): f is string => !!f)) {
        assert.ok(fs.statSync(path.join(repoRoot(), file)).size > 0, `${step.id}: ${file}`);
      }
      linkedCommands(step.description).forEach((c) => named.add(c));
      for (const event of step.completionEvents ?? []) if (event.startsWith('onCommand:')) named.add(event.slice('onCommand:'.length));
    }
    for (const welcome of contributes().viewsWelcome as Array<{ contents: string }>) linkedCommands(welcome.contents).forEach((c) => named.add(c));
    assert.ok(named.has('incidentAnalyzer.openSample') && named.has('incidentAnalyzer.analyze') && named.has('incidentAnalyzer.selectModel'));
    assert.ok(named.has('workbench.action.openWalkthrough'), 'the view welcome links the walkthrough');
    assert.deepEqual([...named].filter((c) => !registered.has(c)), []);
  });

  it("the view welcome's Get Started link opens the walkthrough", async () => {
    const welcome = (contributes().viewsWelcome as Array<{ contents: string }>).map((w) => w.contents).join('\n');
    const link = /\(command:workbench\.action\.openWalkthrough\?([^)]+)\)/.exec(welcome);
    assert.ok(link, 'a Get Started link');
    const args = JSON.parse(decodeURIComponent(link[1]!)) as unknown[];
    assert.equal(args[0], `${EXTENSION_ID}#gettingStarted`);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', ...args);
    const tab = await waitFor('the walkthrough tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.match(tab.label, /Welcome|Get Started|Walkthrough/i);
    await closeEditors();
  });

  it('Open Sample Incident creates a workspace the bundled servers read: its logs, the culprit commit, the anomalies', async function () {
    this.timeout(60_000);
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-parent-'));
    const folder = await vscode.commands.executeCommand<string>('incidentAnalyzer.openSample', { parent, open: false });
    assert.equal(folder, path.join(parent, 'incident-analyzer-sample'));
    const { servers, skipped } = bundledServers({ workspace: folder }, path.join(repoRoot(), 'dist', 'servers'), process.execPath, findVscodeRipgrep(vscode.env.appRoot));
    assert.deepEqual(skipped, []);
    const manager = new McpClientManager(servers);
    try {
      const statuses = await manager.start();
      assert.deepEqual(statuses.filter((s) => s.state === 'ready').map((s) => s.name).sort(), ['git', 'logs', 'metrics']);
      const files = await manager.callTool('list_log_files', {});
      assert.deepEqual(((files.structured?.files ?? []) as Array<{ file: string }>).map((f) => f.file).sort(), ['logs/api.log', 'logs/db.log', 'logs/worker.jsonl']);
      const commit = await manager.callTool('get_commit', { hash: CULPRIT });
      assert.equal(commit.isError, false, commit.text);
      assert.match(commit.text, /Align production DB pool with pgbouncer limits/);
      const anomalies = await manager.callTool('get_anomalies', {});
      assert.equal(anomalies.isError, false, anomalies.text);
      assert.match(anomalies.text, /error_rate/);
    } finally {
      await manager.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
