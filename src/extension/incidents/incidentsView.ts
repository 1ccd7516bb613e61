// The Incidents view: every incident of the workspace, open ones first, with severity, status and age; a click
// opens its journal. It asks the server only while the view is shown.
import * as vscode from 'vscode';
import type { IncidentSummary } from './incidentsClient.js';
import { journalUri } from './journalDocuments.js';

const SEVERITY_ICONS: Record<string, vscode.ThemeIcon> = {
  SEV1: new vscode.ThemeIcon('flame', new vscode.ThemeColor('errorForeground')),
  SEV2: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  SEV3: new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')),
  SEV4: new vscode.ThemeIcon('info'),
};

export type IncidentNode = { kind: 'incident'; incident: IncidentSummary } | { kind: 'problem'; message: string };

export class IncidentsView implements vscode.TreeDataProvider<IncidentNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => Promise<IncidentSummary[] | string>) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: IncidentNode): Promise<IncidentNode[]> {
    if (node) return [];
    const incidents = await this.load();
    if (typeof incidents === 'string') return [{ kind: 'problem', message: incidents }];
    const open = incidents.filter((i) => i.status !== 'resolved');
    const resolved = incidents.filter((i) => i.status === 'resolved');
    return [...open, ...resolved].map((incident) => ({ kind: 'incident', incident }));
  }

  getTreeItem(node: IncidentNode): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(node.message);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = node.message;
      return item;
    }
    const i = node.incident;
    const item = new vscode.TreeItem(`${i.id} · ${i.title}`);
    item.id = `incident:${i.id}`;
    item.description = `${i.severity} · ${i.status} · ${age(i.createdAt)}`;
    item.tooltip = `${i.id} ${i.title}\n${i.severity} · ${i.status} · service ${i.service}\nopened ${i.createdAt}, last change ${i.updatedAt}\n${i.entries} journal entries`;
    item.iconPath = i.status === 'resolved' ? new vscode.ThemeIcon('pass') : SEVERITY_ICONS[i.severity];
    item.contextValue = i.status === 'resolved' ? 'incident-resolved' : 'incident';
    item.command = { command: 'incidentAnalyzer.openIncident', title: 'Open Journal', arguments: [i.id] };
    item.resourceUri = journalUri(i.id); // lets "Open to the Side" and the like work on the journal
    return item;
  }
}

/** "5 min", "3 h", "2 d": how long ago an incident was opened. */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (!Number.isFinite(minutes)) return '';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / (24 * 60))} d`;
}
