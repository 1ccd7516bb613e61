// The status-bar entry: how many servers are ready, or a spinner while a run is in progress.
import * as vscode from 'vscode';
import type { ServerStatus } from '../engine/mcp/clientManager.js';

export class ServersStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('incidentAnalyzer.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Incident Analyzer';
    this.item.command = 'incidentAnalyzer.servers.focus';
    this.item.show();
  }

  update(statuses: ServerStatus[], running: boolean): void {
    const ready = statuses.filter((s) => s.state === 'ready').length;
    const failed = statuses.filter((s) => s.state === 'error');
    const count = `${ready}/${statuses.length}`;
    this.item.text = running ? `$(sync~spin) Analyzing… ${count}` : `$(pulse) ${count}`;
    this.item.backgroundColor = failed.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const lines = statuses.map((s) => `${s.name}: ${s.state}${s.state === 'ready' ? ` (${s.toolCount} tools)` : ''}`);
    this.item.tooltip = `Incident Analyzer — MCP servers ready: ${count}${running ? '\nAn analysis is running.' : ''}\n${lines.join('\n')}\n\nClick to show the Servers view.`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
