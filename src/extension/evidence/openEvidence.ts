// Jump to evidence: a log line opens its file at that line (selected and briefly highlighted), after checking
// the file still says what was cited; commits, metrics and deployments open as read-only documents.
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { VerifiedEvidence } from '../../engine/report/schema.js';
import type { AnalysisSession } from '../analysisSession.js';
import { evidenceUri } from './evidenceDocuments.js';
import { locateLogLine, type LogLocation } from './logLocator.js';

const HIGHLIGHT_MS = 1500;
const DISK_SYNC_MS = 3000;
const highlight = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
  borderColor: new vscode.ThemeColor('editor.findMatchHighlightBorder'),
  borderStyle: 'solid',
  borderWidth: '1px',
});

/** What opening did: a log line's status says whether the file still matched the citation. */
export interface OpenedEvidence {
  shown: 'file' | 'document' | 'nothing';
  status?: LogLocation['status'];
  message?: string;
}

/**
 * Opens one piece of evidence in `column`: the caller picks the editor group beside the report, so the report
 * stays in view while the user checks what it cites.
 */
export async function openEvidence(evidence: VerifiedEvidence, session: AnalysisSession, column = vscode.ViewColumn.Active): Promise<OpenedEvidence> {
  const showDocument = (uri: vscode.Uri, language?: string) => showReadOnly(uri, column, language);
  switch (evidence.kind) {
    case 'log':
      return openLogLine(evidence, session, column);
    case 'commit':
      if (!evidence.hash) throw new Error(`Evidence ${evidence.id} names no commit.`);
      return showDocument(evidenceUri({ kind: 'commit', hash: evidence.hash }), 'diff');
    case 'metric':
      if (!evidence.metric || !evidence.timestamp) throw new Error(`Evidence ${evidence.id} names no metric and time.`);
      return showDocument(evidenceUri({ kind: 'metric', metric: evidence.metric, timestamp: evidence.timestamp, service: evidence.service }));
    case 'deployment':
      if (!evidence.version) throw new Error(`Evidence ${evidence.id} names no deployment version.`);
      return showDocument(evidenceUri({ kind: 'deployment', version: evidence.version }));
  }
}

/**
 * An editor may hold a file's older content for a moment after it changed on disk; selecting a line in that
 * content would land on the wrong line once it reloads. Wait (briefly) until the document says what the disk says.
 */
async function inStepWithDisk(doc: vscode.TextDocument, line: number, text: string): Promise<void> {
  const matches = () => doc.isDirty || (line <= doc.lineCount && doc.lineAt(line - 1).text === text);
  if (matches()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, DISK_SYNC_MS);
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && matches()) done();
    });
  });
}

async function showReadOnly(uri: vscode.Uri, column: vscode.ViewColumn, language?: string): Promise<OpenedEvidence> {
  let doc = await vscode.workspace.openTextDocument(uri);
  if (language) doc = await vscode.languages.setTextDocumentLanguage(doc, language).then(undefined, () => doc);
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: column });
  return { shown: 'document' };
}

/** A line from a log store (Loki): the entries around it as a read-only document, the cited one selected. */
async function openStoredLogEntry(file: string, timeNs: string, column: vscode.ViewColumn): Promise<OpenedEvidence> {
  const doc = await vscode.workspace.openTextDocument(evidenceUri({ kind: 'stored-log', file, timeNs }));
  const cited = Array.from({ length: doc.lineCount }, (_, i) => i).find((i) => doc.lineAt(i).text.startsWith('>'));
  const target = cited === undefined ? undefined : doc.lineAt(cited).range;
  const editor = await vscode.window.showTextDocument(doc, { preview: true, viewColumn: column, ...(target && { selection: new vscode.Selection(target.start, target.end) }) });
  if (target) editor.revealRange(target, vscode.TextEditorRevealType.InCenter);
  return { shown: 'document' };
}

/** Where a log file id lives on this machine, if it does. The logs server knows; ask it rather than guess from the id. */
export async function localLogFile(file: string, session: AnalysisSession): Promise<{ path?: string; error?: string }> {
  const probe = await session.callTool('read_logs', { file, offset: 1, limit: 1 });
  if (probe.isError) return { error: probe.text };
  const localPath = typeof probe.structured?.path === 'string' ? probe.structured.path : undefined;
  return localPath && fs.existsSync(localPath) ? { path: localPath } : {};
}

async function openLogLine(evidence: VerifiedEvidence, session: AnalysisSession, column: vscode.ViewColumn): Promise<OpenedEvidence> {
  const showDocument = (uri: vscode.Uri, language?: string) => showReadOnly(uri, column, language);
  const { file, line } = evidence;
  if (file && evidence.timeNs) return openStoredLogEntry(file, evidence.timeNs, column);
  if (!file || !line) throw new Error(`Evidence ${evidence.id} names no log file and line.`);
  const { path: localPath, error } = await localLogFile(file, session);
  if (!localPath) {
    if (error) void vscode.window.showWarningMessage(`Cannot open ${file}: ${error}`);
    return showDocument(evidenceUri({ kind: 'log', file, line }), 'log');
  }

  const where = await locateLogLine(localPath, line, evidence.text);
  if (where.status === 'missing') {
    void vscode.window.showWarningMessage(`${evidence.id} (${file}:${line}): ${where.message}`);
    return { shown: 'nothing', status: where.status, message: where.message };
  }
  if (where.status !== 'ok') void vscode.window.showWarningMessage(`${evidence.id} (${file}:${line}): ${where.message}`);

  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(localPath));
  } catch {
    // e.g. a file too large for the editor: show the lines around it instead
    return showDocument(evidenceUri({ kind: 'log', file, line: where.line }), 'log');
  }
  await inStepWithDisk(doc, where.line, where.text);
  const target = doc.lineAt(Math.min(where.line, doc.lineCount) - 1).range;
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Selection(target.start, target.end), preview: true, viewColumn: column });
  editor.revealRange(target, vscode.TextEditorRevealType.InCenter);
  editor.setDecorations(highlight, [target]);
  setTimeout(() => editor.setDecorations(highlight, []), HIGHLIGHT_MS);
  return { shown: 'file', status: where.status, message: where.status === 'ok' ? undefined : where.message };
}
