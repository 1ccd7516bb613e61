// Messages between the extension and the report panel's webview script (media/panel.ts). Plain data only.
import type { AnalysisEvent } from '../../engine/analysis/events.js';
import type { ReportSignals } from './reportSignals.js';

export interface RunHeader {
  runId: string;
  incident: string;
  startedAt: string;
}

/** Extension → webview. */
export type ToPanel =
  /** Replace what the panel shows with this run, from its first event. */
  | { type: 'load'; run: RunHeader; events: AnalysisEvent[] }
  /** More events of the run on show, in order. A report event's markdown has evidence links. */
  | { type: 'events'; runId: string; events: AnalysisEvent[] }
  /** Scroll to a tool call's card, open it and mark it. */
  | { type: 'reveal'; callId: string }
  /** The signals behind the report on show, for its chart and template bars (after the report). */
  | { type: 'signals'; runId: string; signals: ReportSignals };

/** Webview → extension. */
export type FromPanel =
  /** The script is up; `runId` is the run it showed before it was hidden or reloaded, if any. */
  | { type: 'ready'; runId?: string }
  | { type: 'openEvidence'; runId: string; evidenceId: string }
  | { type: 'export'; runId: string }
  /** The buttons under a report that carry it on: Create Incident, Write Postmortem, Notify Team. */
  | { type: 'incident'; runId: string; action: IncidentAction };

export const INCIDENT_ACTIONS = ['create', 'postmortem', 'notify'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** Evidence links in the panel's Markdown: `#evidence/<id>`; the script turns a click into openEvidence. */
export const EVIDENCE_HREF_PREFIX = '#evidence/';
