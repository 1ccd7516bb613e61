// The extension's glue: settings → servers, commands → session, session events → panel, trees, status bar.
// It owns no analysis logic; everything it shows comes from the engine's events.
import path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisEvent } from '../engine/analysis/events.js';
import { evidenceLabel } from '../engine/report/markdown.js';
import type { VerifiedEvidence } from '../engine/report/schema.js';
import type { AnalysisSession } from './analysisSession.js';
import { loadEngine } from './loadEngine.js';
import { selectModel } from './modelPicker.js';
import { evidenceOfCall } from './evidence/callEvidence.js';
import { CitedLineMarks } from './evidence/citedLineMarks.js';
import { EVIDENCE_SCHEME, EvidenceDocuments, evidenceUri } from './evidence/evidenceDocuments.js';
import { openEvidence, type OpenedEvidence } from './evidence/openEvidence.js';
import type { CommandTable } from './commandTable.js';
import { ChatServerRegistry } from './mcpRegistry.js';
import { openSample, type OpenSampleArgs } from './openSample.js';
import { exportReportFiles } from './exportReport.js';
import { actions, notify, remedyActions } from './notifications.js';
import type { IncidentAction } from './panel/protocol.js';
import { ReportPanel, type PanelHost } from './panel/reportPanel.js';
import { reportSignals, type ReportSignals } from './panel/reportSignals.js';
import type { RunModel } from './runModel.js';
import { RunStore, type PastRun } from './runStore.js';
import { offerSignIn, sessionSignIn, signInToServer, signOutOfServer } from './serverSignIn.js';
import { findVscodeRipgrep } from './vscodeRipgrep.js';
import { readSettings } from './settings.js';
import { ServersStatusBar } from './statusBar.js';
import { parseWindowInput, WINDOW_HELP } from './timeWindowInput.js';
import { IncidentsFeature } from './incidents/incidentsFeature.js';
import { HistoryView } from './views/historyView.js';
import { ServersView } from './views/serversView.js';
import { TimelineView, type TimelineNode } from './views/timelineView.js';

const API_KEY_SECRET = 'incidentAnalyzer.ollamaApiKey';
/** Prometheus / Loki credentials: a JSON object of the variables the server reads (token, or user and password). */
const SOURCE_SECRET = { prometheus: 'incidentAnalyzer.prometheusCredentials', loki: 'incidentAnalyzer.lokiCredentials' } as const;
type DataStore = keyof typeof SOURCE_SECRET;
const INCIDENT_COMMANDS: Record<IncidentAction, string> = {
  create: 'incidentAnalyzer.createIncident',
  postmortem: 'incidentAnalyzer.writePostmortem',
  notify: 'incidentAnalyzer.notifyTeam',
};

function currentSettings() {
  const config = vscode.workspace.getConfiguration('incidentAnalyzer');
  return readSettings((key, fallback) => config.get(key, fallback));
}

export interface AnalyzeArgs {
  incident?: string;
  window?: string;
}

export class Controller implements vscode.Disposable, PanelHost {
  readonly output = vscode.window.createOutputChannel('Incident Analyzer', { log: true });
  readonly store: RunStore;
  /** Created with the engine, once there is a workspace: after activation, or by the first command. */
  session: AnalysisSession | undefined;
  readonly timeline: TimelineView;
  readonly servers: ServersView;
  readonly history: HistoryView;
  readonly incidents: IncidentsFeature;
  /** Gutter marks and hovers on the log lines the report in the panel cites. */
  readonly citedMarks: CitedLineMarks;
  private readonly timelineTree: vscode.TreeView<TimelineNode>;
  private readonly statusBar = new ServersStatusBar();
  private readonly documents: EvidenceDocuments;
  /** Our servers, offered to VS Code's MCP registry (agent mode, other chat extensions). */
  readonly chatServers: ChatServerRegistry;
  private readonly disposables: vscode.Disposable[] = [];
  private lastProblems = '';
  private progressReport: ((message: string) => void) | undefined;
  readonly extensionUri: vscode.Uri;

  /** @param commands where the handlers go: activation registered every command as a forwarder to it. */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly commands: CommandTable,
  ) {
    this.extensionUri = context.extensionUri;
    const storage = context.storageUri ? path.join(context.storageUri.fsPath, 'runs') : undefined;
    this.store = new RunStore(storage);
    this.timeline = new TimelineView(this.store);
    this.history = new HistoryView(this.store);
    this.timelineTree = vscode.window.createTreeView('incidentAnalyzer.timeline', { treeDataProvider: this.timeline, showCollapseAll: true });
    this.servers = new ServersView(() => this.session);
    this.documents = new EvidenceDocuments(() => this.ensureSession());
    this.chatServers = new ChatServerRegistry(context.secrets, () => this.configured, (line) => this.output.info(line));
    this.disposables.push(this.chatServers);
    this.disposables.push(
      this.output,
      this.statusBar,
      this.timelineTree,
      vscode.window.registerTreeDataProvider('incidentAnalyzer.servers', this.servers),
      vscode.window.registerTreeDataProvider('incidentAnalyzer.history', this.history),
      vscode.workspace.registerTextDocumentContentProvider(EVIDENCE_SCHEME, this.documents),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentAnalyzer')) this.reconfigure();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reconfigure()),
    );
    if (this.workspace) {
      // data files that appear or go change which servers run (e.g. metrics.json)
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.workspace, '{metrics.json,deployments.json,.vscode/mcp.json}'));
      const reconfigure = () => this.reconfigure();
      this.disposables.push(watcher, watcher.onDidCreate(reconfigure), watcher.onDidDelete(reconfigure), watcher.onDidChange(reconfigure));
    }
    this.incidents = new IncidentsFeature(context, {
      command: (id, handler) => commands.set(id, handler),
      workspace: () => this.workspace,
      runOf: (runId) => this.runOf(runId),
      latestRun: () => this.latestRun(),
      log: (line) => this.output.info(line),
    });
    this.disposables.push(this.incidents);
    this.citedMarks = new CitedLineMarks(this.extensionUri, { runOf: (runId) => this.runOf(runId), session: () => this.configured.then(() => this.ensureSession()) });
    this.disposables.push(this.citedMarks);
    this.statusBar.update([], false);
    this.registerCommands();
  }

  /** A report panel VS Code kept from the last session (activation's serializer hands it over). */
  restorePanel(panel: vscode.WebviewPanel, state: unknown): void {
    ReportPanel.restore(panel, this, state);
  }

  /** The report panel, if open. */
  get panel(): ReportPanel | undefined {
    return ReportPanel.instance;
  }

  get workspace(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  }

  /** VS Code's own rg ('' when it has none), looked up once. */
  private ripgrep: string | undefined;

  /** Settles when the latest configuration change has been applied (its servers started or failed). */
  configured: Promise<void> = Promise.resolve();

  /** Starts the servers just after activation, in a task of its own, so loading the engine is not part of it. */
  start(): void {
    this.configured = new Promise<void>((resolve) => setTimeout(resolve, 0));
    void this.reconfigure();
  }

  /** How long requiring dist/engine.js took (for the activation bench). */
  engineLoadMs: number | undefined;

  /** The session, made (and the engine loaded) on first need; undefined without a workspace folder. */
  private ensureSession(): AnalysisSession | undefined {
    if (this.session || !this.workspace) return this.session;
    const started = performance.now();
    const { AnalysisSession, vscodeChatModels } = loadEngine();
    this.engineLoadMs = performance.now() - started;
    this.output.info(`engine loaded in ${Math.round(this.engineLoadMs)} ms`);
    this.session = new AnalysisSession(
      this.store,
      {
        onRunEvents: (run, events) => this.onRunEvents(run, events),
        onServers: () => this.onServers(),
        log: (line) => this.output.info(line),
      },
      () => Promise.resolve(this.context.secrets.get(API_KEY_SECRET)),
      sessionSignIn(this.context.secrets),
      vscodeChatModels(),
    );
    return this.session;
  }

  /** Applies changed settings; changes are applied one after another, in order. */
  reconfigure(): Promise<void> {
    this.configured = this.configured.then(() => this.configure()).catch((err) => this.output.error(`configuration: ${String(err)}`));
    return this.configured;
  }

  /** Reads the settings and (re)starts the servers if their definitions changed. */
  async configure(): Promise<void> {
    const session = this.ensureSession();
    const workspace = this.workspace;
    if (!session || !workspace) return;
    const settings = currentSettings();
    const setup = loadEngine().serverSetup({
      settings,
      workspace,
      serversDir: vscode.Uri.joinPath(this.extensionUri, 'dist', 'servers').fsPath,
      nodePath: process.execPath,
      ripgrep: (this.ripgrep ??= findVscodeRipgrep(vscode.env.appRoot) ?? ''),
      env: process.env,
      trusted: vscode.workspace.isTrusted,
      credentials: { prometheus: await this.sourceCredentials('prometheus'), loki: await this.sourceCredentials('loki') },
    });
    void this.chatServers.update(setup, settings);
    const problems = setup.problems.join('\n');
    if (problems && problems !== this.lastProblems) {
      this.output.warn(`configuration problems:\n${problems}`);
      void notify('error', `Incident Analyzer settings: ${setup.problems[0]}`, [actions.openSettings('incidentAnalyzer.servers'), actions.showLog]);
    }
    this.lastProblems = problems;
    const replaced = await session.configure(setup, settings);
    this.onServers();
    if (!replaced) return;
    this.output.info(`servers: ${setup.servers.map((s) => s.name).join(', ')}${setup.skipped.map((s) => `; ${s.name} left out: ${s.reason}`).join('')}`);
    const statuses = await session.startup;
    offerSignIn(session, statuses.filter((s) => s.needsSignIn).map((s) => s.name));
    for (const failed of statuses.filter((s) => s.state === 'error' && !s.needsSignIn)) {
      void notify('error', `MCP server "${failed.name}" failed to start: ${failed.lastError ?? 'see its log'}`, [
        { title: 'Show Server Log', run: () => this.showServerLog(failed.name) },
        { title: 'Restart', run: () => session.restartServers(failed.name) },
      ]);
    }
  }

  // --- engine → UI

  private onRunEvents(run: RunModel, events: AnalysisEvent[]): void {
    const panel = ReportPanel.instance;
    if (events.some((e) => e.type === 'run_started')) panel?.showRun(run); // a new run takes over the panel
    else panel?.append(run, events);
    this.timeline.refresh();
    for (const e of events) {
      if (e.type === 'step') this.progressReport?.(e.title);
      if (e.type === 'tool_call_started') this.progressReport?.(`${e.server} · ${e.tool}`);
      if (e.type === 'llm_text') this.progressReport?.('the model is writing'); // not the last call, which has ended
      if (e.type === 'run_started' || e.type === 'report' || e.type === 'error' || e.type === 'cancelled') this.history.refresh();
    }
  }

  private onServers(): void {
    this.servers.refresh();
    this.statusBar.update(this.session?.statuses() ?? [], this.session?.isRunning ?? false);
  }

  // --- PanelHost

  runOf(runId: string): RunModel | undefined {
    return runId ? this.store.get(runId) : undefined;
  }

  latestRun(): RunModel | undefined {
    return this.store.liveRuns().sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  }

  // Through the commands, so a failure is reported like any other command's.
  openEvidence(runId: string, evidenceId: string): void {
    void vscode.commands.executeCommand('incidentAnalyzer.openEvidence', runId, evidenceId);
  }

  exportReport(runId: string): void {
    void vscode.commands.executeCommand('incidentAnalyzer.exportReport', runId);
  }

  private readonly signals = new Map<string, Promise<ReportSignals | undefined>>();

  /** Asked once per run of the servers running now; a failed attempt is forgotten, so showing the run again retries. */
  signalsOf(run: RunModel): Promise<ReportSignals | undefined> {
    const session = this.session;
    if (!run.report || !session) return Promise.resolve(undefined);
    let signals = this.signals.get(run.runId);
    if (!signals) {
      signals = reportSignals(run.report, (name, args) => session.callTool(name, args));
      signals.catch(() => this.signals.delete(run.runId));
      this.signals.set(run.runId, signals);
    }
    return signals;
  }

  incidentAction(runId: string, action: IncidentAction): void {
    void vscode.commands.executeCommand(INCIDENT_COMMANDS[action], { runId });
  }

  // --- commands

  private registerCommands(): void {
    const command = (name: string, run: (...args: any[]) => unknown) =>
      this.disposables.push(
        this.commands.set(`incidentAnalyzer.${name}`, async (...args: unknown[]) => {
          try {
            return await run(...args);
          } catch (err) {
            this.output.error(`${name}: ${(err as Error).stack ?? String(err)}`);
            void notify('error', `Incident Analyzer: ${(err as Error).message}`, [actions.showLog]);
            return undefined;
          }
        }),
      );
    command('analyze', (args?: AnalyzeArgs) => this.analyze(args));
    command('stop', () => (this.session?.stop() ? undefined : vscode.window.showInformationMessage('No analysis is running.')));
    command('restartServers', () => this.requireSession()?.restartServers());
    command('restartServer', (target: { status?: { name: string } } | string) => this.requireSession()?.restartServers(typeof target === 'string' ? target : target?.status?.name));
    command('showServerLogs', () => this.output.show(true));
    command('showServerLog', (target: { status?: { name: string } } | string) => this.showServerLog(typeof target === 'string' ? target : target?.status?.name ?? ''));
    command('signInToServer', (target?: { status?: { name: string } } | string) => this.withSession((s) => signInToServer(s, serverName(target))));
    command('signOutOfServer', (target?: { status?: { name: string } } | string) => this.withSession((s) => signOutOfServer(s, serverName(target))));
    command('setApiKey', () => this.setApiKey());
    command('setSourceCredentials', () => this.setSourceCredentials());
    command('selectModel', () => selectModel(currentSettings(), () => this.context.secrets.get(API_KEY_SECRET)));
    command('exportReport', (target?: string | TimelineNode) => this.exportRun(typeof target === 'string' ? target : target?.run.runId));
    command('openEvidence', (runId?: string, evidenceId?: string) => this.openEvidenceOf(runId, evidenceId));
    command('showReport', () => void ReportPanel.show(this, this.latestRun()));
    command('openRun', (runId: string) => this.openRun(runId));
    command('revealToolCall', (runId: string, callId: string) => this.revealToolCall(runId, callId));
    command('openCallEvidence', (node: TimelineNode) => this.openCallEvidence(node));
    command('deleteRun', (past: PastRun | string) => this.deleteRun(typeof past === 'string' ? past : past.runId));
    command('openSample', (args?: OpenSampleArgs) => openSample(this.extensionUri, args));
  }

  private withSession(run: (session: AnalysisSession) => Promise<void>): Promise<void> | undefined {
    const session = this.requireSession();
    return session && run(session);
  }

  private requireSession(): AnalysisSession | undefined {
    if (!this.ensureSession()) {
      void notify('error', 'Incident Analyzer needs a folder: open the workspace that holds your logs and repository.', [
        { title: 'Open Folder', run: () => vscode.commands.executeCommand('workbench.action.files.openFolder') },
      ]);
    }
    return this.session;
  }

  /** Asks for the incident (and an optional window) unless given, then runs with a cancellable progress. */
  async analyze(args: AnalyzeArgs = {}): Promise<{ runId: string; outcome: string } | undefined> {
    const session = this.requireSession();
    if (!session) return undefined;
    if (session.isRunning) {
      void notify('info', 'An analysis is already running.', [{ title: 'Stop It', run: () => session.stop() }]);
      return undefined;
    }
    const incident =
      args.incident ??
      (await vscode.window.showInputBox({
        title: 'Analyze Incident (1/2)',
        prompt: 'What is happening?',
        placeHolder: '500 errors on checkout API',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Describe the incident in a few words.'),
      }));
    if (!incident?.trim()) return undefined;
    const windowText =
      args.window ??
      (await vscode.window.showInputBox({
        title: 'Analyze Incident (2/2)',
        prompt: 'Time window (optional)',
        placeHolder: WINDOW_HELP,
        ignoreFocusOut: true,
        validateInput: (v) => {
          const parsed = parseWindowInput(v);
          return 'error' in parsed ? parsed.error : undefined;
        },
      }));
    if (windowText === undefined) return undefined;
    const parsed = parseWindowInput(windowText);
    if ('error' in parsed) throw new Error(parsed.error);

    await this.reconfigure(); // pick up anything changed since the last run
    ReportPanel.show(this, undefined, true);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Analyzing incident', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort(new Error('stopped by the user')));
        let shown = '';
        this.progressReport = (message) => {
          if (message !== shown) progress.report({ message: (shown = message) });
        };
        try {
          const pending = session.analyze({ incident: incident.trim(), window: parsed.window, signal: controller.signal });
          this.statusBar.update(session.statuses(), true);
          void vscode.commands.executeCommand('setContext', 'incidentAnalyzer.running', true);
          return await pending;
        } finally {
          this.progressReport = undefined;
          this.statusBar.update(session.statuses(), false);
          void vscode.commands.executeCommand('setContext', 'incidentAnalyzer.running', false);
        }
      },
    );
    this.afterRun(outcome);
    return { runId: outcome.run.runId, outcome: outcome.result.outcome };
  }

  private afterRun(outcome: Awaited<ReturnType<AnalysisSession['analyze']>>): void {
    const { run, result, fellBack } = outcome;
    this.timeline.refresh();
    this.history.refresh();
    void vscode.commands.executeCommand('setContext', 'incidentAnalyzer.hasReport', !!this.lastReportRun());
    if (fellBack) {
      void notify('warning', `The model could not investigate (${fellBack.message}) — the built-in analyst ran instead.${fellBack.fix ? ` ${fellBack.fix}` : ''}`, remedyActions(fellBack.remedy));
    }
    if (result.outcome === 'error' && result.error) {
      void notify('error', `Analysis failed: ${result.error.message}${result.error.fix ? ` ${result.error.fix}` : ''}`, remedyActions(result.error.remedy));
    } else if (result.outcome === 'cancelled') {
      void vscode.window.showInformationMessage('Analysis stopped.');
    } else if (run.report) {
      const rc = run.report.rootCause;
      const summary = rc.summary.length > 160 ? `${rc.summary.slice(0, 159)}…` : rc.summary;
      void notify('info', `Root cause (${rc.category}, ${rc.confidence} confidence): ${summary}`, [
        { title: 'Show Report', run: () => this.openRun(run.runId) },
        { title: 'Export', run: () => this.exportRun(run.runId) },
      ]);
    }
  }

  private lastReportRun(): RunModel | undefined {
    return this.store
      .liveRuns()
      .filter((r) => r.report)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  }

  private openRun(runId: string): void {
    const run = this.store.get(runId);
    if (!run) throw new Error('That analysis is no longer stored.');
    ReportPanel.show(this, run);
    void vscode.commands.executeCommand('setContext', 'incidentAnalyzer.hasReport', !!this.lastReportRun());
  }

  private revealToolCall(runId: string, callId: string): void {
    const run = this.store.get(runId);
    if (!run) return;
    const panel = ReportPanel.show(this, run.runId === ReportPanel.instance?.runId ? undefined : run, true);
    panel.reveal(callId);
  }

  private async openEvidenceOf(runId?: string, evidenceId?: string): Promise<OpenedEvidence | undefined> {
    const session = this.requireSession();
    if (!session) return undefined;
    const run = runId ? this.store.get(runId) : (this.store.get(ReportPanel.instance?.runId ?? '') ?? this.lastReportRun());
    if (!run?.report) throw new Error('There is no report with evidence to open yet: run "Analyze Incident" first.');
    let item = evidenceId ? run.report.evidence.find((e) => e.id === evidenceId) : undefined;
    if (evidenceId && !item) throw new Error(`The report has no evidence "${evidenceId}".`);
    item ??= await this.pickEvidence(run.report.evidence);
    return item ? openEvidence(item, session, this.besideReport()) : undefined;
  }

  /** The editor group next to the report panel, so opening evidence does not cover the report. */
  private besideReport(): vscode.ViewColumn {
    const column = ReportPanel.instance?.panel.viewColumn;
    if (column === undefined) return vscode.ViewColumn.Active;
    return column === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  private async pickEvidence(evidence: readonly VerifiedEvidence[]): Promise<VerifiedEvidence | undefined> {
    const picked = await vscode.window.showQuickPick(
      evidence.map((e) => ({ label: `${e.id}: ${evidenceLabel(e)}`, description: e.verified ? 'verified' : `not verified: ${e.verification ?? ''}`, detail: e.text, e })),
      { title: 'Open Evidence', matchOnDetail: true },
    );
    return picked?.e;
  }

  private async openCallEvidence(node: TimelineNode): Promise<void> {
    if (node?.kind !== 'call' || !node.run.report) return;
    const found = evidenceOfCall(node.call, node.run.report.evidence);
    const item = found.length === 1 ? found[0] : await this.pickEvidence(found);
    if (item && this.session) await openEvidence(item, this.session, this.besideReport());
  }

  private async exportRun(runId?: string): Promise<void> {
    const workspace = this.workspace;
    if (!workspace) return void this.requireSession();
    const run = runId ? this.store.get(runId) : (this.store.get(ReportPanel.instance?.runId ?? '') ?? this.lastReportRun());
    if (!run?.report) throw new Error('There is no report to export yet: run "Analyze Incident" first.');
    const files = exportReportFiles(run, workspace);
    const rel = (f: string) => path.relative(workspace, f);
    this.output.info(`exported ${rel(files.markdown)} and ${rel(files.json)}`);
    void notify('info', `Exported ${rel(files.markdown)} and ${rel(files.json)}.`, [
      { title: 'Open', run: () => vscode.window.showTextDocument(vscode.Uri.file(files.markdown)) },
    ]);
  }

  private async showServerLog(name: string): Promise<void> {
    const uri = evidenceUri({ kind: 'server-log', server: name });
    this.documents.refresh(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  private async sourceCredentials(store: DataStore): Promise<Record<string, string> | undefined> {
    const stored = await this.context.secrets.get(SOURCE_SECRET[store]);
    if (!stored) return undefined;
    try {
      const parsed = JSON.parse(stored) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return undefined;
    }
  }

  /** Token, or user and password, for Prometheus or Loki: kept in secret storage and handed to the server's environment. */
  private async setSourceCredentials(): Promise<void> {
    const store = await vscode.window.showQuickPick(
      [
        { label: 'Prometheus', store: 'prometheus' as const },
        { label: 'Loki', store: 'loki' as const },
      ],
      { title: 'Credentials for which data source?' },
    );
    if (!store) return;
    const kind = await vscode.window.showQuickPick(['Bearer token', 'User and password', 'Remove stored credentials'], { title: `${store.label} credentials` });
    if (!kind) return;
    const prefix = `INCIDENT_${store.store.toUpperCase()}`;
    let value: Record<string, string> | undefined;
    if (kind === 'Bearer token') {
      const token = await vscode.window.showInputBox({ title: `${store.label} bearer token`, password: true, ignoreFocusOut: true });
      if (!token?.trim()) return;
      value = { [`${prefix}_TOKEN`]: token.trim() };
    } else if (kind === 'User and password') {
      const user = await vscode.window.showInputBox({ title: `${store.label} user`, ignoreFocusOut: true });
      if (!user?.trim()) return;
      const password = await vscode.window.showInputBox({ title: `${store.label} password`, password: true, ignoreFocusOut: true });
      if (password === undefined) return;
      value = { [`${prefix}_USER`]: user.trim(), [`${prefix}_PASSWORD`]: password };
    }
    if (value) await this.context.secrets.store(SOURCE_SECRET[store.store], JSON.stringify(value));
    else await this.context.secrets.delete(SOURCE_SECRET[store.store]);
    void vscode.window.showInformationMessage(`${store.label} credentials ${value ? 'stored' : 'removed'}; the server restarts with them.`);
    await this.reconfigure();
  }

  private async setApiKey(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Ollama API Key',
      prompt: 'Kept in VS Code\'s secret storage, never in settings. Leave empty to remove the stored key.',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return;
    if (key.trim()) {
      await this.context.secrets.store(API_KEY_SECRET, key.trim());
      void vscode.window.showInformationMessage('Ollama API key stored.');
    } else {
      await this.context.secrets.delete(API_KEY_SECRET);
      void vscode.window.showInformationMessage('Ollama API key removed.');
    }
  }

  private async deleteRun(runId: string): Promise<void> {
    const past = this.store.past().find((p) => p.runId === runId);
    const answer = await vscode.window.showWarningMessage(`Delete the saved analysis "${past?.incident ?? runId}"?`, { modal: true }, 'Delete');
    if (answer !== 'Delete') return;
    this.store.delete(runId);
    this.history.refresh();
    this.timeline.refresh();
  }

  async dispose(): Promise<void> {
    ReportPanel.instance?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    await this.session?.dispose();
  }
}

/** A command's server argument: a name, a Servers view item, or nothing (then the command asks). */
function serverName(target: { status?: { name: string } } | string | undefined): string | undefined {
  return typeof target === 'string' ? target : target?.status?.name;
}
