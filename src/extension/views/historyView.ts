// Past analyses: the transcripts kept in the workspace's storage, newest first; a click shows the run again.
import * as vscode from 'vscode';
import type { PastRun, RunStore } from '../runStore.js';

const ICONS: Record<PastRun['status'], string> = {
  running: 'loading~spin',
  report: 'notebook',
  error: 'error',
  cancelled: 'circle-slash',
  interrupted: 'debug-disconnect',
};

export class HistoryView implements vscode.TreeDataProvider<PastRun> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: RunStore) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: PastRun): PastRun[] {
    return node ? [] : this.store.past();
  }

  getTreeItem(past: PastRun): vscode.TreeItem {
    const item = new vscode.TreeItem(past.incident);
    item.id = `past:${past.runId}`;
    const when = past.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    item.description = `${when} · ${past.category ?? past.status}`;
    item.tooltip = `${past.incident}\n${when} · ${past.status}${past.category ? ` · ${past.category}` : ''}\n${past.file}`;
    item.iconPath = new vscode.ThemeIcon(ICONS[past.status]);
    item.contextValue = 'pastRun';
    item.command = { command: 'incidentAnalyzer.openRun', title: 'Open Analysis', arguments: [past.runId] };
    return item;
  }
}
