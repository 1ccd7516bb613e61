import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { CULPRIT, analysedRun, api, workspaceDir } from './helpers.js';

describe('Analyze Incident with the built-in analyst', () => {
  it('runs the whole investigation through the command and produces a verified, cited report', async () => {
    const { runId, outcome } = await analysedRun();
    assert.equal(outcome, 'report');
    const { controller } = await api();
    const run = controller.store.get(runId)!;
    const report = run.report!;
    assert.equal(report.rootCause.suspectCommit, CULPRIT);
    assert.equal(report.rootCause.category, 'db-connection-pool-exhaustion');
    assert.ok(report.evidence.length >= 5);
    assert.deepEqual(report.evidence.filter((e) => !e.verified).map((e) => e.id), []);
    assert.ok(run.calls.size >= 8, `${run.calls.size} tool calls`);
  });

  it('keeps the transcript in the workspace storage, listed under Past Analyses', async () => {
    const { runId } = await analysedRun();
    const { controller } = await api();
    const run = controller.store.get(runId)!;
    assert.ok(run.transcriptPath && fs.existsSync(run.transcriptPath), 'transcript file');
    const lines = fs.readFileSync(run.transcriptPath, 'utf8').trim().split('\n');
    assert.equal(JSON.parse(lines.at(-1)!).type, 'report');
    const past = controller.history.getChildren();
    const item = controller.history.getTreeItem(past.find((p) => p.runId === runId)!);
    assert.equal(item.label, '500 errors on checkout API');
    assert.match(String(item.description), /db-connection-pool-exhaustion/);
  });

  it('fills the Tool-Call Timeline: the run, then its calls in order with status and duration', async () => {
    const { runId } = await analysedRun();
    const { controller } = await api();
    const runs = controller.timeline.getChildren();
    const runNode = runs.find((n) => n.kind === 'run' && n.run.runId === runId)!;
    const runItem = controller.timeline.getTreeItem(runNode);
    assert.equal(runItem.label, '500 errors on checkout API');
    assert.match(String(runItem.description), /^report · db-connection-pool-exhaustion \(high\) · \d+ calls$/);
    const calls = controller.timeline.getChildren(runNode);
    assert.equal(calls.length, controller.store.get(runId)!.calls.size);
    const items = calls.map((c) => controller.timeline.getTreeItem(c));
    assert.deepEqual(items.map((i) => i.id), calls.map((_, i) => `call:${runId}:c${i + 1}`), 'calls in order');
    for (const item of items) {
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
      assert.match(String(item.description), /\d+ ms$/);
      assert.equal(item.command?.command, 'incidentAnalyzer.revealToolCall');
    }
    const commitCall = items.find((i) => /get_commit/.test(String(i.label)) && i.contextValue === 'callWithEvidence');
    assert.ok(commitCall, 'the get_commit call of the culprit can open its evidence');
  });

  it('shows the run in the report panel', async () => {
    const { runId } = await analysedRun();
    const { controller } = await api();
    const panel = controller.panel;
    assert.ok(panel, 'the panel is open');
    assert.equal(panel.runId, runId);
    assert.match(panel.panel.title, /^Incident: 500 errors on checkout API/);
  });

  it('exports the report as Markdown and JSON into incident-reports/, never overwriting', async () => {
    const { runId } = await analysedRun();
    await vscode.commands.executeCommand('incidentAnalyzer.exportReport', runId);
    await vscode.commands.executeCommand('incidentAnalyzer.exportReport', runId);
    const dir = path.join(workspaceDir(), 'incident-reports');
    const files = fs.readdirSync(dir).sort();
    assert.equal(files.length, 4, files.join(', '));
    const json = JSON.parse(fs.readFileSync(path.join(dir, files.find((f) => f.endsWith('.json'))!), 'utf8'));
    assert.equal(json.rootCause.suspectCommit, CULPRIT);
    assert.match(fs.readFileSync(path.join(dir, files.find((f) => f.endsWith('.md'))!), 'utf8'), /^# Incident: 500 errors on checkout API/);
  });
});
