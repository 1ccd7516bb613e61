// One analysis as the UI sees it, folded from its events: the calls in order, their states, the outcome.
// Pure data (no vscode), shared by the timeline tree, the panel and the tests.
import type { AnalysisEvent } from '../engine/analysis/events.js';
import type { Remedy } from '../engine/analysis/analyst.js';
import type { Report } from '../engine/report/schema.js';

export type RunStatus = 'running' | 'report' | 'error' | 'cancelled' | 'interrupted';

export interface CallView {
  callId: string;
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  status: 'running' | 'ok' | 'error';
  durationMs?: number;
  summary?: string;
}

export class RunModel {
  readonly events: AnalysisEvent[] = [];
  readonly calls = new Map<string, CallView>();
  incident = '';
  analyst = '';
  startedAt = '';
  status: RunStatus = 'running';
  report: Report | undefined;
  error: { message: string; fix?: string; remedy?: Remedy } | undefined;

  constructor(
    readonly runId: string,
    /** The JSONL transcript holding this run's events, when it is kept. */
    readonly transcriptPath?: string,
  ) {}

  /** Builds a finished (or interrupted) run from a transcript's events. */
  static fromEvents(runId: string, events: AnalysisEvent[], transcriptPath?: string): RunModel {
    const run = new RunModel(runId, transcriptPath);
    for (const e of events) run.add(e);
    if (run.status === 'running') run.status = 'interrupted'; // the window closed before the run ended
    return run;
  }

  add(event: AnalysisEvent): void {
    this.events.push(event);
    switch (event.type) {
      case 'run_started':
        this.incident = event.incident;
        this.analyst = event.model ? `${event.analyst} (${event.model})` : event.analyst;
        this.startedAt = event.at;
        break;
      case 'tool_call_started':
        this.calls.set(event.callId, { callId: event.callId, server: event.server, tool: event.tool, arguments: event.arguments, status: 'running' });
        break;
      case 'tool_call_finished': {
        const call = this.calls.get(event.callId);
        if (call) Object.assign(call, { status: event.isError ? 'error' : 'ok', durationMs: event.durationMs, summary: event.summary, server: event.server });
        break;
      }
      case 'report':
        this.report = event.report;
        this.status = 'report';
        break;
      case 'error':
        this.error = { message: event.message, fix: event.fix, remedy: event.remedy };
        this.status = 'error';
        break;
      case 'cancelled':
        this.status = 'cancelled';
        break;
    }
  }

  get finished(): boolean {
    return this.status !== 'running';
  }
}
