import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { VerifiedEvidence } from '../../src/engine/report/schema.js';
import { CULPRIT, analysedRun, api, closeEditors, waitFor, workspaceDir } from './helpers.js';

async function evidence(kind: VerifiedEvidence['kind']): Promise<{ runId: string; item: VerifiedEvidence }> {
  const { runId } = await analysedRun();
  const { controller } = await api();
  const item = controller.store.get(runId)!.report!.evidence.find((e) => e.kind === kind);
  assert.ok(item, `the report cites a ${kind}`);
  return { runId, item };
}

async function activeEditor(what: string): Promise<vscode.TextEditor> {
  return waitFor(what, () => vscode.window.activeTextEditor);
}

describe('jump to evidence', () => {
  beforeEach(closeEditors);

  it('a log citation opens the file at the cited line, selected', async () => {
    const { runId, item } = await evidence('log');
    const opened = await vscode.commands.executeCommand<{ shown: string; status?: string }>('incidentAnalyzer.openEvidence', runId, item.id);
    assert.deepEqual(opened, { shown: 'file', status: 'ok', message: undefined });
    const editor = await activeEditor('the log editor');
    assert.equal(editor.document.uri.fsPath, path.join(workspaceDir(), item.file!));
    assert.equal(editor.selection.active.line, item.line! - 1);
    assert.equal(editor.document.getText(editor.selection), editor.document.lineAt(item.line! - 1).text);
    assert.ok(editor.document.lineAt(item.line! - 1).text.includes(item.text!.slice(0, 40)));
  });

  it('a commit citation opens the commit read-only: message, author, date and diff', async () => {
    const { runId } = await analysedRun();
    const { controller } = await api();
    const commit = controller.store.get(runId)!.report!.evidence.find((e) => e.kind === 'commit' && e.hash === CULPRIT)!;
    await vscode.commands.executeCommand('incidentAnalyzer.openEvidence', runId, commit.id);
    const editor = await activeEditor('the commit document');
    const text = editor.document.getText();
    assert.equal(editor.document.uri.scheme, 'incident-analyzer');
    assert.equal(editor.document.languageId, 'diff');
    assert.match(text, new RegExp(`^commit ${CULPRIT}`));
    assert.match(text, /^Author: .+ at 2026-/m);
    assert.match(text, /^diff --git /m);
  });

  it('a metric citation shows the series around the cited time, the point marked', async () => {
    const { runId, item } = await evidence('metric');
    await vscode.commands.executeCommand('incidentAnalyzer.openEvidence', runId, item.id);
    const editor = await activeEditor('the metric document');
    const text = editor.document.getText();
    assert.ok(text.startsWith(item.metric!), text.slice(0, 200));
    const marked = text.split('\n').filter((l) => l.startsWith('>'));
    assert.equal(marked.length, 1, text);
    assert.ok(marked[0]!.includes(item.timestamp!.replace(/\.000Z$/, 'Z').slice(0, 16)), marked[0]);
  });

  it('a deployment citation shows the deployment and its commits', async () => {
    const { runId, item } = await evidence('deployment');
    await vscode.commands.executeCommand('incidentAnalyzer.openEvidence', runId, item.id);
    const editor = await activeEditor('the deployment document');
    const text = editor.document.getText();
    assert.ok(text.includes(item.version!), text.slice(0, 300));
    assert.ok(text.includes(CULPRIT.slice(0, 7)), 'lists the culprit commit');
  });

  it('after lines are inserted above a cited log line, opens it where it now is', async () => {
    const { runId, item } = await evidence('log');
    const file = path.join(workspaceDir(), item.file!);
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, `2026-02-17 09:59:58 INFO [boot] inserted line one\n2026-02-17 09:59:59 INFO [boot] inserted line two\n${original}`);
      const opened = await vscode.commands.executeCommand<{ status?: string; message?: string }>('incidentAnalyzer.openEvidence', runId, item.id);
      assert.equal(opened?.status, 'moved');
      assert.match(opened?.message ?? '', new RegExp(`cited line ${item.line} is now line ${item.line! + 2}`));
      const editor = await activeEditor('the moved log line');
      await waitFor('the editor to show the new file content', () => editor.document.lineCount > original.split('\n').length);
      assert.equal(editor.selection.active.line, item.line! + 1);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('when the cited line was rewritten, it is not shown as evidence', async () => {
    const { runId, item } = await evidence('log');
    const file = path.join(workspaceDir(), item.file!);
    const original = fs.readFileSync(file, 'utf8');
    const lines = original.split('\n');
    try {
      lines[item.line! - 1] = '2026-02-17 14:50:00 INFO [rewritten] this line was replaced';
      fs.writeFileSync(file, lines.join('\n'));
      const opened = await vscode.commands.executeCommand<{ status?: string; message?: string }>('incidentAnalyzer.openEvidence', runId, item.id);
      assert.equal(opened?.status, 'stale');
      assert.match(opened?.message ?? '', /no longer holds the cited text/);
      const editor = await activeEditor('the stale log line');
      // it opens at the cited place (so the user sees the change) but the quote is not there
      assert.equal(editor.selection.active.line, item.line! - 1);
      assert.ok(!editor.document.lineAt(item.line! - 1).text.includes(item.text!.slice(0, 30)));
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
