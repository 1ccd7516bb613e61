// The report panel's script. Everything arrives as data (events); every piece of text from logs, tools or the
// model goes into the page as text nodes. The one HTML we insert is markdown-it's rendering of the report,
// with raw HTML disabled, so it cannot carry markup of its own. DOM work is batched into animation frames so a
// run with hundreds of tool calls streams without janking the panel.
import MarkdownIt from 'markdown-it';
import type { AnalysisEvent } from '../src/engine/analysis/events.js';
import { argsPreview } from '../src/extension/argsPreview.js';
import { EVIDENCE_HREF_PREFIX, type FromPanel, type RunHeader, type ToPanel } from '../src/extension/panel/protocol.js';
import type { ReportSignals } from '../src/extension/panel/reportSignals.js';
import { SignalsView } from './signalsView.js';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): { runId?: string } | undefined;
  setState(state: { runId?: string }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
const app = document.getElementById('app')!;

/** Elements of the run on show. */
let view: RunView | undefined;
let queue: AnalysisEvent[] = [];
let frameRequested = false;
let pendingReveal: string | undefined;
let pendingSignals: ReportSignals | undefined;
const FRAME_BUDGET_MS = 8;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class RunView {
  readonly root = el('article', 'run');
  private readonly status = el('p', 'run-status');
  private readonly reportSection = el('section', 'report');
  private readonly errorBox = el('section', 'error-box');
  private readonly feed = el('details', 'feed');
  private readonly feedTitle = el('summary', 'feed-title');
  private readonly feedBody = el('div', 'feed-body');
  /** Under the report's heading once it is in: export it, or carry it on as an incident. */
  private readonly actions = el('div', 'actions');
  private readonly calls = new Map<string, HTMLDetailsElement>();
  private signals: SignalsView | undefined;
  private modelText: HTMLElement | undefined;
  private callCount = 0;
  private stepTitle = '';
  private who = '';

  constructor(readonly header: RunHeader) {
    const head = el('header');
    head.append(el('h1', undefined, header.incident), this.status, this.actions);
    this.actions.hidden = true;
    this.actions.setAttribute('role', 'toolbar');
    this.actions.setAttribute('aria-label', 'Report actions');
    const button = (label: string, className: string, message: FromPanel) => {
      const b = el('button', className, label);
      b.addEventListener('click', () => vscode.postMessage(message));
      this.actions.append(b);
    };
    button('Export report', 'export', { type: 'export', runId: header.runId });
    button('Create Incident', 'secondary', { type: 'incident', runId: header.runId, action: 'create' });
    button('Write Postmortem', 'secondary', { type: 'incident', runId: header.runId, action: 'postmortem' });
    button('Notify Team', 'secondary', { type: 'incident', runId: header.runId, action: 'notify' });
    this.errorBox.hidden = true;
    this.errorBox.setAttribute('role', 'alert');
    this.reportSection.hidden = true;
    this.reportSection.addEventListener('click', (e) => this.onReportClick(e));
    this.feed.open = true;
    this.feed.append(this.feedTitle, this.feedBody);
    this.root.append(head, this.errorBox, this.reportSection, this.feed);
    this.setStatus('Starting…');
    this.updateFeedTitle();
  }

  add(e: AnalysisEvent): void {
    switch (e.type) {
      case 'run_started':
        this.who = `${e.analyst === 'builtin' ? 'Built-in analyst' : (e.model ?? e.analyst)} · started ${e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`;
        this.setStatus(this.who);
        break;
      case 'servers_ready': {
        const ready = e.servers.filter((s) => s.state === 'ready').map((s) => s.name);
        const text = `Servers ready: ${ready.join(', ') || 'none'}` + e.skipped.map((s) => `; ${s.name} not used (${s.reason})`).join('');
        this.feedBody.append(el('p', 'note', text));
        break;
      }
      case 'step':
        this.stepTitle = `Step ${e.step}/${e.of}: ${e.title}`;
        this.feedBody.append(el('h2', 'step', this.stepTitle));
        this.modelText = undefined;
        this.updateFeedTitle();
        break;
      case 'tool_call_started':
        this.addCall(e);
        break;
      case 'tool_call_finished':
        this.finishCall(e);
        break;
      case 'llm_text':
        if (!this.modelText) {
          this.modelText = el('div', 'model-text');
          this.modelText.setAttribute('aria-label', 'Model output');
          this.feedBody.append(this.modelText);
        }
        this.modelText.append(document.createTextNode(e.text));
        break;
      case 'note':
        this.feedBody.append(el('p', 'note', e.message));
        this.modelText = undefined;
        break;
      case 'report':
        this.showReport(e.markdown);
        break;
      case 'error':
        this.showError(e.message, e.fix);
        break;
      case 'cancelled':
        this.showError(`Cancelled: ${e.reason}`);
        break;
    }
  }

  private addCall(e: Extract<AnalysisEvent, { type: 'tool_call_started' }>): void {
    this.callCount++;
    const card = el('details', 'call');
    card.id = `call-${e.callId}`;
    card.dataset.status = 'running';
    const summary = el('summary');
    summary.append(
      el('span', 'call-icon'),
      el('span', 'call-name', `${e.server} · ${e.tool}`),
      el('span', 'call-args', argsPreview(e.arguments, 80)),
      el('span', 'call-duration', 'running…'),
    );
    summary.querySelector('.call-icon')!.setAttribute('aria-label', 'running');
    const body = el('div', 'call-body');
    body.append(el('h3', undefined, 'Arguments'), el('pre', 'call-arguments', JSON.stringify(e.arguments, null, 2)));
    card.append(summary, body);
    this.calls.set(e.callId, card);
    this.feedBody.append(card);
    this.modelText = undefined;
    this.updateFeedTitle();
  }

  private finishCall(e: Extract<AnalysisEvent, { type: 'tool_call_finished' }>): void {
    const card = this.calls.get(e.callId);
    if (!card) return;
    const status = e.isError ? 'error' : 'ok';
    card.dataset.status = status;
    card.querySelector('.call-icon')!.setAttribute('aria-label', status);
    card.querySelector('.call-duration')!.textContent = `${e.durationMs} ms`;
    const body = card.querySelector('.call-body')!;
    body.append(el('h3', undefined, e.isError ? 'Error' : 'Result (first lines)'), el('pre', 'call-result', e.summary));
  }

  private showReport(md: string): void {
    this.reportSection.innerHTML = markdown.render(md); // html: false, so log text and model output stay text
    for (const a of this.reportSection.querySelectorAll('a')) {
      const href = a.getAttribute('href') ?? '';
      if (href.startsWith(EVIDENCE_HREF_PREFIX)) {
        a.classList.add('evidence-link');
        a.title = 'Open this evidence';
      } else {
        a.removeAttribute('href'); // only evidence links lead anywhere
      }
    }
    this.reportSection.hidden = false;
    this.actions.hidden = false;
    this.feed.open = false;
    this.setStatus(`${this.who} · report ready`);
    this.updateFeedTitle(true);
  }

  /** The chart and template bars, right under the root cause (before the report's first section heading). */
  showSignals(signals: ReportSignals): void {
    this.signals?.dispose();
    this.signals = new SignalsView(signals, el);
    const firstSection = this.reportSection.querySelector('h2');
    if (firstSection) firstSection.before(this.signals.root);
    else this.reportSection.append(this.signals.root);
    this.signals.mount();
  }

  dispose(): void {
    this.signals?.dispose();
  }

  private showError(message: string, fix?: string): void {
    this.errorBox.replaceChildren(el('p', 'error-message', message));
    if (fix) this.errorBox.append(el('p', 'error-fix', fix));
    this.errorBox.hidden = false;
    this.updateFeedTitle(true);
  }

  private onReportClick(event: MouseEvent): void {
    const link = (event.target as Element).closest('a');
    if (!link) return;
    event.preventDefault();
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith(EVIDENCE_HREF_PREFIX)) {
      vscode.postMessage({ type: 'openEvidence', runId: this.header.runId, evidenceId: decodeURIComponent(href.slice(EVIDENCE_HREF_PREFIX.length)) });
    }
  }

  reveal(callId: string): void {
    const card = this.calls.get(callId);
    if (!card) return;
    this.feed.open = true;
    card.open = true;
    for (const c of this.root.querySelectorAll('.call.revealed')) c.classList.remove('revealed');
    card.classList.add('revealed');
    card.scrollIntoView({ block: 'center' });
    card.querySelector('summary')?.focus();
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
  }

  private updateFeedTitle(done = false): void {
    const calls = `${this.callCount} tool call${this.callCount === 1 ? '' : 's'}`;
    this.feedTitle.textContent = done ? `Investigation: ${calls}` : `Investigating… ${calls}${this.stepTitle ? ` · ${this.stepTitle}` : ''}`;
  }
}

function load(header: RunHeader, events: AnalysisEvent[]): void {
  view?.dispose();
  view = new RunView(header);
  queue = [...events];
  app.replaceChildren(view.root);
  app.setAttribute('aria-busy', 'false');
  vscode.setState({ runId: header.runId });
  schedule();
}

function schedule(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(drain);
}

/** Applies queued events for at most a few milliseconds per frame, so the panel stays responsive. */
function drain(): void {
  frameRequested = false;
  const start = performance.now();
  while (queue.length > 0 && performance.now() - start < FRAME_BUDGET_MS) view?.add(queue.shift()!);
  if (queue.length > 0) return schedule();
  if (pendingReveal) view?.reveal(pendingReveal);
  pendingReveal = undefined;
  if (pendingSignals) view?.showSignals(pendingSignals);
  pendingSignals = undefined;
}

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const message = event.data;
  switch (message.type) {
    case 'load':
      load(message.run, message.events);
      break;
    case 'events':
      if (view && message.runId === view.header.runId) {
        queue.push(...message.events);
        schedule();
      }
      break;
    case 'reveal':
      // after the queued events, so a call that was just announced exists
      pendingReveal = message.callId;
      schedule();
      break;
    case 'signals':
      // after the queued events, so the report they belong under is shown
      if (view && message.runId === view.header.runId) {
        pendingSignals = message.signals;
        schedule();
      }
      break;
  }
});

const previous = vscode.getState();
app.replaceChildren(el('p', 'placeholder', 'No analysis to show yet. Run "Incident Analyzer: Analyze Incident".'));
vscode.postMessage({ type: 'ready', runId: previous?.runId });
