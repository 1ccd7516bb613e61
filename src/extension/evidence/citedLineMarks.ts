// Gutter marks on the log lines the open report cites, and a hover naming the evidence with a link back to the
// report. They follow the report panel: another run replaces them, closing it clears them. Edits (and a log that
// grows on disk) move them by the evidence opener's re-find rule; a line that no longer says the quote loses its mark.
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { AnalysisSession } from '../analysisSession.js';
import { ReportPanel } from '../panel/reportPanel.js';
import type { RunModel } from '../runModel.js';
import { citedLogLines, hoverMarkdown, markedLines, OPEN_RUN_COMMAND, type CitedLine } from './citedLines.js';
import { localLogFile } from './openEvidence.js';

/** Edits come in bursts (typing, a log reloading); redraw once they pause. */
const EDIT_SETTLE_MS = 200;

export interface CitedMarksHost {
  runOf(runId: string): RunModel | undefined;
  /** The session once its servers are configured (the logs server maps file ids to paths); none without a workspace. */
  session(): Promise<AnalysisSession | undefined>;
}

interface Shown {
  runId: string;
  incident: string;
  /** Cited lines by the real path of their file. */
  files: Map<string, CitedLine[]>;
}

export class CitedLineMarks implements vscode.Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  private shown: Shown | undefined;
  /** The lines (1-based) marked in each document, by URI, and the evidence ids on each. */
  private readonly marked = new Map<string, Map<number, string[]>>();
  private following = 0;
  private readonly settling = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly host: CitedMarksHost,
  ) {
    const icon = (theme: string) => vscode.Uri.joinPath(extensionUri, 'media', `cited-line-${theme}.svg`);
    this.decoration = vscode.window.createTextEditorDecorationType({
      light: { gutterIconPath: icon('light') },
      dark: { gutterIconPath: icon('dark') },
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.decoration,
      ReportPanel.onDidChangeShownRun((runId) => void this.follow(runId)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.drawAll()),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.marked.delete(doc.uri.toString())),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, { provideHover: (doc, position) => this.provideHover(doc, position) }),
    );
    void this.follow(ReportPanel.instance?.runId);
  }

  /** What is marked in a document now (decorations cannot be read back through the API; the tests read this). */
  marksOf(uri: vscode.Uri): Array<{ line: number; ids: string[] }> {
    return [...(this.marked.get(uri.toString()) ?? [])].map(([line, ids]) => ({ line, ids })).sort((a, b) => a.line - b.line);
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const ids = this.marked.get(doc.uri.toString())?.get(position.line + 1);
    if (!ids || !this.shown) return undefined;
    const markdown = new vscode.MarkdownString(hoverMarkdown(ids, this.shown.incident, this.shown.runId));
    markdown.isTrusted = { enabledCommands: [OPEN_RUN_COMMAND] }; // the report link, and nothing else, may run
    return new vscode.Hover(markdown, doc.lineAt(position.line).range);
  }

  /** Shows the marks of the run the panel shows (none when it shows none). */
  private async follow(runId: string | undefined): Promise<void> {
    const turn = ++this.following;
    if (this.shown?.runId !== runId) this.show(undefined); // the old run's marks go at once, not after the lookups
    const run = runId ? this.host.runOf(runId) : undefined;
    const cited = run?.report ? citedLogLines(run.report) : new Map<string, CitedLine[]>();
    const files = new Map<string, CitedLine[]>();
    const session = cited.size ? await this.host.session() : undefined;
    for (const [file, lines] of session ? cited : []) {
      const local = await localLogFile(file, session!).catch(() => ({ path: undefined }));
      if (local.path) files.set(realPath(local.path), lines);
    }
    if (turn !== this.following) return; // the panel moved on while the files were looked up
    this.show(run && files.size ? { runId: run.runId, incident: run.incident, files } : undefined);
  }

  private show(shown: Shown | undefined): void {
    this.shown = shown;
    this.marked.clear();
    this.drawAll();
  }

  private drawAll(): void {
    const docs = new Set(vscode.window.visibleTextEditors.map((e) => e.document));
    for (const doc of docs) this.mark(doc);
  }

  /** Finds the cited lines in the document as it is now and draws them in every editor that shows it. */
  private mark(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const cited = doc.uri.scheme === 'file' ? this.shown?.files.get(realPath(doc.uri.fsPath)) : undefined;
    const marks = cited ? markedLines(doc.lineCount, (n) => doc.lineAt(n - 1).text, cited) : new Map<number, string[]>();
    if (marks.size) this.marked.set(key, marks);
    else this.marked.delete(key);
    const ranges = [...marks.keys()].map((line) => new vscode.Range(line - 1, 0, line - 1, 0));
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) editor.setDecorations(this.decoration, ranges);
  }

  private edited(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.marked.has(key) && !(doc.uri.scheme === 'file' && this.shown?.files.has(realPath(doc.uri.fsPath)))) return;
    clearTimeout(this.settling.get(key));
    this.settling.set(
      key,
      setTimeout(() => {
        this.settling.delete(key);
        if (!doc.isClosed) this.mark(doc);
      }, EDIT_SETTLE_MS),
    );
  }

  dispose(): void {
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The logs server reports real paths; an editor may have opened the file through a symlink. */
function realPath(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return file;
  }
}
