// An analysis is a stream of these events. UIs render them; the transcript stores them as they happen.
import type { ServerStatus } from '../mcp/clientManager.js';
import type { Report } from '../report/schema.js';
import type { Remedy } from './analyst.js';

export type AnalystName = 'builtin' | 'ollama' | 'vscode-lm';

export type AnalysisEventBody =
  | { type: 'run_started'; runId: string; incident: string; analyst: AnalystName; model?: string }
  | { type: 'servers_ready'; servers: ServerStatus[]; skipped: Array<{ name: string; reason: string }> }
  | { type: 'step'; step: number; of: number; title: string }
  | { type: 'tool_call_started'; callId: string; server: string; tool: string; arguments: Record<string, unknown> }
  | {
      type: 'tool_call_finished';
      callId: string;
      server: string;
      tool: string;
      durationMs: number;
      isError: boolean;
      /** The first lines of the result text. */
      summary: string;
    }
  | { type: 'llm_text'; text: string }
  | { type: 'note'; message: string }
  | { type: 'report'; report: Report; markdown: string }
  | { type: 'error'; message: string; fix?: string; remedy?: Remedy }
  | { type: 'cancelled'; reason: string };

export type AnalysisEvent = AnalysisEventBody & {
  /** Order within the run, from 1. */
  seq: number;
  /** ISO time the event happened. */
  at: string;
};

export type EventType = AnalysisEventBody['type'];
