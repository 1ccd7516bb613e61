// The report panel: one webview that shows one run, streamed as it happens. It survives being hidden or the
// window reloading: the webview remembers which run it showed and asks for it again when it comes back.
import * as vscode from 'vscode';
import type { AnalysisEvent } from '../../engine/analysis/events.js';
import { renderMarkdown } from '../../engine/report/markdown.js';
import type { RunModel } from '../runModel.js';
import { EVIDENCE_HREF_PREFIX, INCIDENT_ACTIONS, type FromPanel, type IncidentAction, type ToPanel } from './protocol.js';
import { panelHtml } from './panelHtml.js';
import type { ReportSignals } from './reportSignals.js';

export interface PanelHost {
  extensionUri: vscode.Uri;
  runOf(runId: string): RunModel | undefined;
  latestRun(): RunModel | undefined;
  openEvidence(runId: string, evidenceId: string): void;
  exportReport(runId: string): void;
  incidentAction(runId: string, action: IncidentAction): void;
  /** The signals behind a run's report (asked of the servers once per run). */
  signalsOf(run: RunModel): Promise<ReportSignals | undefined>;
}

const FLUSH_MS = 16;

export class ReportPanel implements vscode.Disposable {
  static readonly viewType = 'incidentAnalyzer.report';
  private static current: ReportPanel | undefined;
  private static readonly shownRunChanged = new vscode.EventEmitter<string | undefined>();
  /** The run whose report the panel shows: when another is shown or its report arrives; undefined once it closes. */
  static readonly onDidChangeShownRun = ReportPanel.shownRunChanged.event;

  private ready = false;
  private shownRunId: string | undefined;
  private queued: AnalysisEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private pendingReveal: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows the panel (creating it if needed) with the given run. */
  static show(host: PanelHost, run: RunModel | undefined, preserveFocus = false): ReportPanel {
    if (!ReportPanel.current) {
      const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, 'Incident Analyzer', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, ReportPanel.options(host));
      ReportPanel.current = new ReportPanel(panel, host);
    } else {
      ReportPanel.current.panel.reveal(undefined, preserveFocus);
    }
    if (run) ReportPanel.current.showRun(run);
    return ReportPanel.current;
  }

  static get instance(): ReportPanel | undefined {
    return ReportPanel.current;
  }

  /** For the serializer: a panel VS Code kept from the last session. */
  static restore(panel: vscode.WebviewPanel, host: PanelHost, state: unknown): void {
    panel.webview.options = ReportPanel.options(host);
    ReportPanel.current?.dispose();
    ReportPanel.current = new ReportPanel(panel, host);
    const runId = (state as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') ReportPanel.current.shownRunId = runId;
    ReportPanel.shownRunChanged.fire(ReportPanel.current.shownRunId);
  }

  private static options(host: PanelHost): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false, // the script restores from its state; no memory held while hidden
      localResourceRoots: [vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(host.extensionUri, 'media')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly host: PanelHost,
  ) {
    panel.iconPath = vscode.Uri.joinPath(host.extensionUri, 'media', 'icon.svg');
    panel.webview.html = panelHtml(panel.webview, host.extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromPanel) => this.receive(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false; // a hidden webview is torn down; it says "ready" again when shown
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get runId(): string | undefined {
    return this.shownRunId;
  }

  showRun(run: RunModel): void {
    const changed = run.runId !== this.shownRunId;
    this.shownRunId = run.runId;
    if (changed) ReportPanel.shownRunChanged.fire(run.runId);
    this.panel.title = `Incident: ${run.incident.length > 40 ? `${run.incident.slice(0, 39)}…` : run.incident}`;
    this.queued = [];
    if (this.ready) {
      this.post({ type: 'load', run: { runId: run.runId, incident: run.incident, startedAt: run.startedAt }, events: run.events.map(withLinks) });
      this.sendSignals(run);
    }
  }

  /** Once the run has its report, its chart data follows (if the panel still shows that run by then). */
  private sendSignals(run: RunModel): void {
    if (!run.report) return;
    void this.host.signalsOf(run).then(
      (signals) => {
        if (signals && this.ready && this.shownRunId === run.runId) this.post({ type: 'signals', runId: run.runId, signals });
      },
      () => undefined, // no chart is better than a broken panel; the report itself is there
    );
  }

  /** Streams new events of a run; they are batched into a message per frame. */
  append(run: RunModel, events: AnalysisEvent[]): void {
    if (run.runId === this.shownRunId && events.some((e) => e.type === 'report')) ReportPanel.shownRunChanged.fire(run.runId);
    if (run.runId !== this.shownRunId || !this.ready) return;
    this.queued.push(...events);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
    if (events.some((e) => e.type === 'report')) this.sendSignals(run);
  }

  reveal(callId: string): void {
    this.panel.reveal(undefined, true);
    if (this.ready) this.post({ type: 'reveal', callId });
    else this.pendingReveal = callId;
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (!this.ready || !this.shownRunId || this.queued.length === 0) return;
    const events = this.queued.map(withLinks);
    this.queued = [];
    this.post({ type: 'events', runId: this.shownRunId, events });
  }

  private receive(message: FromPanel): void {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const run = this.host.runOf(this.shownRunId ?? message.runId ?? '') ?? this.host.latestRun();
        if (run) this.showRun(run);
        if (this.pendingReveal) this.post({ type: 'reveal', callId: this.pendingReveal });
        this.pendingReveal = undefined;
        break;
      }
      case 'openEvidence':
        if (typeof message.runId === 'string' && typeof message.evidenceId === 'string') this.host.openEvidence(message.runId, message.evidenceId);
        break;
      case 'export':
        if (typeof message.runId === 'string') this.host.exportReport(message.runId);
        break;
      case 'incident':
        if (typeof message.runId === 'string' && INCIDENT_ACTIONS.includes(message.action)) this.host.incidentAction(message.runId, message.action);
        break;
    }
  }

  private post(message: ToPanel): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ReportPanel.current === this) {
      ReportPanel.current = undefined;
      ReportPanel.shownRunChanged.fire(undefined);
    }
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** The report's Markdown as the panel shows it: each evidence reference is a link the script can open. */
function withLinks(event: AnalysisEvent): AnalysisEvent {
  if (event.type !== 'report') return event;
  return { ...event, markdown: renderMarkdown(event.report, { linkFor: (e) => `${EVIDENCE_HREF_PREFIX}${encodeURIComponent(e.id)}` }) };
}
