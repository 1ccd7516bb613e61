// The Tool-Call Timeline: this window's runs, newest first, and under each its tool calls in order.
import * as vscode from 'vscode';
import { argsPreview } from '../argsPreview.js';
import { evidenceOfCall } from '../evidence/callEvidence.js';
import type { CallView, RunModel } from '../runModel.js';
import type { RunStore } from '../runStore.js';

export type TimelineNode = { kind: 'run'; run: RunModel } | { kind: 'call'; run: RunModel; call: CallView };

const RUN_ICONS: Record<RunModel['status'], [string, string?]> = {
  running: ['loading~spin'],
  report: ['pass', 'testing.iconPassed'],
  error: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  interrupted: ['debug-disconnect', 'list.warningForeground'],
};

const CALL_ICONS: Record<CallView['status'], [string, string?]> = {
  running: ['loading~spin'],
  ok: ['pass', 'testing.iconPassed'],
  error: ['error', 'testing.iconFailed'],
};

const REFRESH_MS = 100;

const icon = ([id, colour]: [string, string?]) => new vscode.ThemeIcon(id, colour ? new vscode.ThemeColor(colour) : undefined);

export class TimelineView implements vscode.TreeDataProvider<TimelineNode> {
  private readonly changed = new vscode.EventEmitter<TimelineNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly runNodes = new Map<string, TimelineNode>();

  constructor(private readonly store: RunStore) {}

  private refreshTimer: NodeJS.Timeout | undefined;

  /** Redraws at most every REFRESH_MS: a run can make hundreds of calls a second. */
  refresh(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire(undefined);
    }, REFRESH_MS);
  }

  nodeOfRun(run: RunModel): TimelineNode {
    let node = this.runNodes.get(run.runId);
    if (!node) this.runNodes.set(run.runId, (node = { kind: 'run', run }));
    return node;
  }

  getChildren(node?: TimelineNode): TimelineNode[] {
    if (!node) {
      return this.store
        .liveRuns()
        .filter((r) => r.startedAt)
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .map((r) => this.nodeOfRun(r));
    }
    if (node.kind === 'call') return [];
    return [...node.run.calls.values()].map((call) => ({ kind: 'call', run: node.run, call }));
  }

  getParent(node: TimelineNode): TimelineNode | undefined {
    return node.kind === 'call' ? this.nodeOfRun(node.run) : undefined;
  }

  getTreeItem(node: TimelineNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const { run } = node;
      const item = new vscode.TreeItem(run.incident, run.status === 'running' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run:${run.runId}`;
      const category = run.report ? ` · ${run.report.rootCause.category} (${run.report.rootCause.confidence})` : '';
      item.description = `${run.status}${category} · ${run.calls.size} calls`;
      item.tooltip = `${run.incident}\n${run.analyst} · started ${run.startedAt}\n${run.error ? `Error: ${run.error.message}` : run.status}`;
      item.iconPath = icon(RUN_ICONS[run.status]);
      item.contextValue = run.report ? 'runWithReport' : 'run';
      item.command = { command: 'incidentAnalyzer.openRun', title: 'Open Analysis', arguments: [run.runId] };
      return item;
    }
    const { run, call } = node;
    const item = new vscode.TreeItem(`${call.server} · ${call.tool}`);
    item.id = `call:${run.runId}:${call.callId}`;
    item.description = [argsPreview(call.arguments, 60), call.durationMs !== undefined ? `${call.durationMs} ms` : 'running…'].filter(Boolean).join(' · ');
    item.tooltip = `${call.server}.${call.tool}(${JSON.stringify(call.arguments)})\n${call.status}${call.durationMs !== undefined ? ` in ${call.durationMs} ms` : ''}\n\n${call.summary ?? ''}`;
    item.iconPath = icon(CALL_ICONS[call.status]);
    const hasEvidence = run.report ? evidenceOfCall(call, run.report.evidence).length > 0 : false;
    item.contextValue = hasEvidence ? 'callWithEvidence' : 'call';
    item.command = { command: 'incidentAnalyzer.revealToolCall', title: 'Reveal Tool Call in Report', arguments: [run.runId, call.callId] };
    return item;
  }
}
