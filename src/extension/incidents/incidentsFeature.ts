// Incidents in the extension: the Incidents view, the journals, and the commands that carry a report on to
// resolution (create the incident, run a runbook step under a modal approval, write the postmortem, notify the
// team). The incidents server runs under its own client, started on first use, never in the analyst's catalog.
import os from 'node:os';
import * as vscode from 'vscode';
import type { CommandHandler } from '../commandTable.js';
import type { RunModel } from '../runModel.js';
import { loadEngine } from '../loadEngine.js';
import { notify } from '../notifications.js';
import { approvalDialog } from './approvalDialog.js';
import type { IncidentsClient, IncidentSummary } from './incidentsClient.js';
import { askDatabaseUrl, askImpact, askMessage, askNewIncident, askParameters, askStatus, askWebhookUrl, pickIncident, pickStep } from './incidentPrompts.js';
import { IncidentsView, type IncidentNode } from './incidentsView.js';
import { JOURNAL_SCHEME, JournalDocuments, journalUri } from './journalDocuments.js';

const WEBHOOK_SECRET = 'incidentAnalyzer.teamWebhookUrl';
/** The team's incident database, per workspace (another workspace may belong to another team). */
const databaseSecret = (workspace: string) => `incidentAnalyzer.incidentsDatabase:${workspace}`;
/** Which incident each analysis run was carried into (run id → incident id), per workspace. */
const RUN_INCIDENTS_KEY = 'incidentAnalyzer.incidentOfRun';

export interface IncidentsHost {
  workspace(): string | undefined;
  runOf(runId: string): RunModel | undefined;
  latestRun(): RunModel | undefined;
  log(line: string): void;
  /** Handles command `id` (activation registered it; see commandTable.ts). */
  command(id: string, handler: CommandHandler): vscode.Disposable;
}

/** What a command was invoked on: an incident id, a run shown in the panel, or a row of the Incidents view. */
type Target = string | { runId: string } | IncidentNode | undefined;

export class IncidentsFeature implements vscode.Disposable {
  private client: IncidentsClient | undefined;
  /** The Incidents view (read by the extension-host tests); its description says where incidents are kept. */
  readonly view = new IncidentsView(() => this.loadList());
  readonly tree = vscode.window.createTreeView('incidentAnalyzer.incidents', { treeDataProvider: this.view });
  private readonly journals = new JournalDocuments((id) => this.requireClient().get(id));
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly host: IncidentsHost,
  ) {
    this.disposables.push(
      this.tree,
      vscode.workspace.registerTextDocumentContentProvider(JOURNAL_SCHEME, this.journals),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentAnalyzer.incidents.webhookFormat')) void this.client?.restart();
      }),
    );
    const workspace = host.workspace();
    if (workspace) {
      // Journals changed by the CLI, a teammate's pull or another window.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(workspace, '.incident-analyzer/incidents/*.jsonl'));
      const refresh = () => this.changed();
      this.disposables.push(watcher, watcher.onDidCreate(refresh), watcher.onDidChange(refresh), watcher.onDidDelete(refresh));
    }
    const command = (name: string, run: (target?: Target) => unknown) =>
      this.disposables.push(
        host.command(`incidentAnalyzer.${name}`, async (target?: Target) => {
          try {
            return await run(target);
          } catch (err) {
            host.log(`${name}: ${(err as Error).stack ?? String(err)}`);
            void notify('error', `Incident Analyzer: ${(err as Error).message}`, [{ title: 'Show Log', run: () => vscode.commands.executeCommand('incidentAnalyzer.showServerLogs') }]);
            return undefined;
          }
        }),
      );
    command('createIncident', (target) => this.createIncident(target));
    command('openIncident', (target) => this.openJournal(target));
    command('runRemediation', (target) => this.runRemediation(target));
    command('writePostmortem', (target) => this.writePostmortem(target));
    command('notifyTeam', (target) => this.notifyTeam(target));
    command('setIncidentStatus', (target) => this.setStatus(target));
    command('refreshIncidents', () => this.changed());
    command('setTeamWebhook', () => this.setWebhook());
    command('setIncidentsDatabase', (url) => this.setDatabase(typeof url === 'string' ? url : undefined));
    void this.showWhere().catch((err: Error) => host.log(`incidents database: ${err.message}`));
  }

  // --- commands

  private async createIncident(target: Target): Promise<string | undefined> {
    const run = typeof target === 'object' && 'runId' in target ? this.host.runOf(target.runId) : this.host.latestRun();
    if (!run?.report) {
      void vscode.window.showInformationMessage('Create Incident starts from a report: run "Analyze Incident" first, or open a past analysis.');
      return undefined;
    }
    const linked = this.incidentOfRun(run.runId);
    if (linked) {
      const choice = await vscode.window.showInformationMessage(`This analysis is already ${linked}.`, 'Open Journal', 'Create Another');
      if (choice === 'Open Journal') await this.showJournal(linked);
      if (choice !== 'Create Another') return linked;
    }
    const answers = await askNewIncident(run.incident, run.report);
    if (!answers) return undefined;
    const incident = await this.requireClient().create({ ...answers, report: run.report });
    await this.context.workspaceState.update(RUN_INCIDENTS_KEY, { ...this.runIncidents(), [run.runId]: incident.id });
    this.changed();
    await this.showJournal(incident.id);
    void notify('info', `Opened ${incident.id}: ${incident.title}`, [
      { title: 'Run Remediation Step', run: () => this.runRemediation(incident.id) },
      { title: 'Notify Team', run: () => this.notifyTeam(incident.id) },
    ]);
    return incident.id;
  }

  private async openJournal(target: Target): Promise<void> {
    const id = await this.incidentOf(target, 'Open Incident Journal', false);
    if (id) await this.showJournal(id);
  }

  private async runRemediation(target: Target): Promise<void> {
    const id = await this.incidentOf(target, 'Run Remediation Step');
    if (!id) return;
    const client = this.requireClient();
    const steps = await client.steps();
    if (steps.length === 0) {
      void vscode.window.showInformationMessage('No remediation steps are declared: add them to .incident-analyzer/runbooks.yaml (see the README, "Runbooks").');
      return;
    }
    const step = await pickStep(steps, id);
    if (!step) return;
    const parameters = await askParameters(step);
    if (!parameters) return;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Remediation step "${step.name}" for ${id}` },
      () => client.runStep(id, step.name, parameters),
    );
    this.changed();
    await this.showJournal(id);
    void notify(outcome.isError ? 'warning' : 'info', `${id}: ${outcome.summary}. The journal has the details.`);
  }

  private async writePostmortem(target: Target): Promise<void> {
    const id = await this.incidentOf(target, 'Write Postmortem', false);
    if (!id) return;
    const impact = await askImpact(id);
    if (impact === undefined) return;
    const file = await this.requireClient().postmortem(id, { impact: impact.trim() });
    this.changed();
    // Beside the report (or whatever is open), as an ordinary file the person goes on editing.
    await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  private async notifyTeam(target: Target): Promise<void> {
    const id = await this.incidentOf(target, 'Notify Team', false);
    if (!id) return;
    if (!(await this.context.secrets.get(WEBHOOK_SECRET))) {
      void notify('warning', "No team webhook is set: set the team's incoming-webhook URL first.", [{ title: 'Set Team Webhook', run: () => this.setWebhook() }]);
      return;
    }
    const client = this.requireClient();
    const incident = await client.get(id);
    const rootCause = (incident.report as { rootCause?: { summary?: string } } | undefined)?.rootCause?.summary;
    const message = await askMessage(id, `${incident.id} [${incident.severity}, ${incident.status}] ${incident.title}${rootCause ? ` — likely cause: ${rootCause}` : ''}`);
    if (message === undefined) return;
    const delivered = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Notifying the team about ${id}…` }, () =>
      client.notify(id, message.trim()).finally(() => this.changed()),
    );
    void vscode.window.showInformationMessage(delivered.split('\n')[0] ?? `Notified the team about ${id}.`);
  }

  private async setStatus(target: Target): Promise<void> {
    const id = await this.incidentOf(target, 'Set Incident Status', false);
    if (!id) return;
    const client = this.requireClient();
    const answer = await askStatus(id, (await client.get(id)).status);
    if (!answer) return;
    await client.setStatus(id, answer.status, answer.note);
    this.changed();
  }

  private async setWebhook(): Promise<void> {
    const url = await askWebhookUrl();
    if (url === undefined) return;
    if (url.trim()) await this.context.secrets.store(WEBHOOK_SECRET, url.trim());
    else await this.context.secrets.delete(WEBHOOK_SECRET);
    await this.client?.restart(); // the server reads the URL when it starts
    void vscode.window.showInformationMessage(url.trim() ? `Team webhook set (${new URL(url.trim()).host}).` : 'Team webhook removed.');
  }

  /** `url` given (the tests, a script) skips the prompt; '' goes back to files. */
  private async setDatabase(given?: string): Promise<void> {
    const workspace = this.host.workspace();
    if (!workspace) throw new Error('incidents live in a workspace: open the folder of your service first');
    const { databaseTarget } = loadEngine();
    const check = (url: string) => {
      try {
        databaseTarget(url);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    };
    const url = (given ?? (await askDatabaseUrl(check)))?.trim();
    if (url === undefined) return;
    const problem = url ? check(url) : undefined;
    if (problem) throw new Error(problem);
    if (url) await this.context.secrets.store(databaseSecret(workspace), url);
    else await this.context.secrets.delete(databaseSecret(workspace));
    await this.client?.restart(); // the server reads the URL when it starts
    const where = await this.showWhere();
    this.changed();
    void vscode.window.showInformationMessage(`This workspace's incidents are now kept in ${where}.`);
  }

  /** Says in the Incidents view where the incidents are kept; returns it. */
  private async showWhere(): Promise<string> {
    const workspace = this.host.workspace();
    const url = workspace && (await this.context.secrets.get(databaseSecret(workspace)));
    const where = url ? `PostgreSQL ${loadEngine().databaseTarget(url).where}` : 'files under .incident-analyzer/incidents/';
    this.tree.description = url ? where : undefined;
    return where;
  }

  // --- helpers

  /** The incident a command is about: given, the run's, or picked from the open ones (any, when not openOnly). */
  private async incidentOf(target: Target, title: string, openOnly = true): Promise<string | undefined> {
    if (typeof target === 'string' && target) return target;
    if (target && typeof target === 'object') {
      if ('kind' in target) return target.kind === 'incident' ? target.incident.id : undefined;
      const linked = this.incidentOfRun(target.runId);
      if (linked) return linked;
    }
    const incidents = await this.requireClient().list();
    return pickIncident(openOnly ? incidents.filter((i) => i.status !== 'resolved') : incidents, title);
  }

  /** Shows the journal where it is already open, else beside what is active (the report, usually). */
  private async showJournal(id: string): Promise<void> {
    const uri = journalUri(id);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside, preview: false });
  }

  private changed(): void {
    this.view.refresh();
    this.journals.refresh();
  }

  private async loadList(): Promise<IncidentSummary[] | string> {
    try {
      return await this.requireClient().list();
    } catch (err) {
      return (err as Error).message;
    }
  }

  private runIncidents(): Record<string, string> {
    return this.context.workspaceState.get<Record<string, string>>(RUN_INCIDENTS_KEY, {});
  }

  private incidentOfRun(runId: string): string | undefined {
    return this.runIncidents()[runId];
  }

  /** The client, made on first need. Incidents need a trusted workspace: its runbook file names what may run. */
  private requireClient(): IncidentsClient {
    const workspace = this.host.workspace();
    if (!workspace) throw new Error('incidents live in a workspace: open the folder of your service first');
    if (!vscode.workspace.isTrusted) {
      throw new Error("incidents need a trusted workspace, since its runbook file names the commands remediation runs: trust this folder (Manage Workspace Trust) and try again");
    }
    this.client ??= new (loadEngine().IncidentsClient)({
      serverScript: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'servers', 'incidents.js').fsPath,
      nodePath: process.execPath,
      workspace,
      env: async (): Promise<Record<string, string>> => {
        const webhook = await this.context.secrets.get(WEBHOOK_SECRET);
        const database = await this.context.secrets.get(databaseSecret(workspace));
        const format = vscode.workspace.getConfiguration('incidentAnalyzer').get<string>('incidents.webhookFormat', 'auto');
        return {
          ...(webhook && { INCIDENT_WEBHOOK_URL: webhook, ...(format === 'slack' || format === 'json' ? { INCIDENT_WEBHOOK_FORMAT: format } : {}) }),
          ...(database && { INCIDENT_POSTGRES_URL: database }),
        };
      },
      approvals: approvalDialog((line) => this.host.log(`[incidents] ${line}`)),
      author: () => vscode.workspace.getConfiguration('incidentAnalyzer').get<string>('incidents.author', '').trim() || os.userInfo().username,
      log: (line) => this.host.log(line),
    });
    return this.client;
  }

  dispose(): void {
    void this.client?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
