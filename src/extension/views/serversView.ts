// The Servers view: each MCP server with its state, tools, calls, errors and latency; servers left out say why.
import * as vscode from 'vscode';
import type { ServerStatus } from '../../engine/mcp/clientManager.js';
import type { AnalysisSession } from '../analysisSession.js';

type Node = { kind: 'server'; status: ServerStatus } | { kind: 'skipped'; name: string; reason: string };

const STATE_ICONS: Record<ServerStatus['state'], [string, string?]> = {
  ready: ['pass', 'testing.iconPassed'],
  starting: ['loading~spin'],
  restarting: ['sync~spin', 'list.warningForeground'],
  error: ['error', 'testing.iconFailed'],
  stopped: ['circle-slash'],
};

export class ServersView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly session: () => AnalysisSession | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    const session = this.session();
    if (node || !session) return [];
    const servers: Node[] = session.statuses().map((status) => ({ kind: 'server', status }));
    const skipped: Node[] = session.setup.skipped.map((s) => ({ kind: 'skipped', ...s }));
    return [...servers, ...skipped];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'skipped') {
      const item = new vscode.TreeItem(node.name);
      item.description = 'not started';
      item.tooltip = node.reason;
      item.iconPath = new vscode.ThemeIcon('circle-slash');
      item.contextValue = 'skipped';
      return item;
    }
    const s = node.status;
    const item = new vscode.TreeItem(s.name);
    item.id = `server:${s.name}`;
    const figures = s.state === 'ready' || s.calls > 0 ? ` · ${s.toolCount} tools · ${s.calls} calls · ${s.errors} errors${s.calls ? ` · p50 ${s.p50Ms} ms · p95 ${s.p95Ms} ms` : ''}` : '';
    const source = this.session()?.setup.sources[s.name];
    item.description = `${s.needsSignIn ? 'needs sign-in' : s.state}${figures}${source ? ` · ${source}` : ''}`;
    const [icon, colour] = s.needsSignIn ? ['sign-in', 'list.warningForeground'] : STATE_ICONS[s.state];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    item.tooltip = new vscode.MarkdownString(undefined, false);
    item.tooltip.appendText(`${s.name}: ${s.state}${source ? ` · reads ${source}` : ''}\n${s.toolCount} tools, ${s.calls} calls, ${s.errors} errors, ${s.restarts} restarts`);
    if (s.lastError) item.tooltip.appendText(`\nLast error: ${s.lastError}`);
    item.contextValue = s.needsSignIn ? 'server-needs-sign-in' : `server-${s.state}`;
    // A click is the person asking: for a server waiting for a sign-in, it starts one.
    item.command = s.needsSignIn
      ? { command: 'incidentAnalyzer.signInToServer', title: 'Sign In', arguments: [s.name] }
      : { command: 'incidentAnalyzer.showServerLog', title: 'Show Server Log', arguments: [s.name] };
    return item;
  }
}
