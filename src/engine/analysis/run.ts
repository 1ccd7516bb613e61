// One analysis: start the servers, let the analyst investigate through observed tool calls, verify every
// citation through the servers, render the report. Everything that happens is an event.
import { randomUUID } from 'node:crypto';
import type { McpClientManager } from '../mcp/clientManager.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Report, ToolCallRecord } from '../report/schema.js';
import { verifyReport } from '../report/verifier.js';
import { AnalystError, type Analyst, type Remedy, type AnalystTools, type TimeWindow } from './analyst.js';
import type { AnalysisEvent, AnalysisEventBody } from './events.js';
import { TranscriptWriter } from './transcript.js';

export interface RunOptions {
  incident: string;
  window?: TimeWindow;
  analyst: Analyst;
  manager: McpClientManager;
  /** Servers that were left out on purpose, with why (shown with servers_ready). */
  skippedServers?: Array<{ name: string; reason: string }>;
  /** Where to append the JSONL transcript; none keeps no transcript. */
  transcriptPath?: string;
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void;
  runId?: string;
}

export interface RunResult {
  runId: string;
  outcome: 'report' | 'error' | 'cancelled';
  report?: Report;
  markdown?: string;
  error?: { message: string; fix?: string; builtinFallback: boolean; remedy?: Remedy };
}

const SUMMARY_LINES = 3;
const SUMMARY_CHARS = 300;

export async function runAnalysis(options: RunOptions): Promise<RunResult> {
  const runId = options.runId ?? randomUUID();
  const signal = options.signal ?? new AbortController().signal;
  const transcript = options.transcriptPath ? new TranscriptWriter(options.transcriptPath) : undefined;
  let seq = 0;
  const emit = (body: AnalysisEventBody) => {
    const event = { ...body, seq: ++seq, at: new Date().toISOString() } as AnalysisEvent;
    transcript?.append(event);
    options.onEvent?.(event);
  };
  const { analyst, manager } = options;
  const total = 2 + (analyst.plannedSteps ?? 1);
  let step = 0;
  const announce = (title: string) => emit({ type: 'step', step: ++step, of: total, title });

  const toolCalls: ToolCallRecord[] = [];
  let callCount = 0;
  const tools: AnalystTools = {
    catalog: () => manager.catalog(),
    async call(name, args) {
      signal.throwIfAborted();
      const callId = `c${++callCount}`;
      const entry = manager.catalog().find((t) => t.name === name);
      const server = entry?.server ?? '?';
      emit({ type: 'tool_call_started', callId, server, tool: entry?.tool ?? name, arguments: args });
      const outcome = await manager.callTool(name, args, { signal });
      emit({
        type: 'tool_call_finished',
        callId,
        server: outcome.server,
        tool: outcome.tool,
        durationMs: outcome.durationMs,
        isError: outcome.isError,
        summary: summarise(outcome.text),
      });
      toolCalls.push({
        server: outcome.server,
        tool: outcome.tool,
        arguments: args,
        durationMs: outcome.durationMs,
        isError: outcome.isError,
        ...(outcome.isError && { error: outcome.text.split('\n', 1)[0]!.slice(0, 300) }),
      });
      return outcome;
    },
  };

  try {
    emit({ type: 'run_started', runId, incident: options.incident, analyst: analyst.name, model: analyst.label });
    announce(`Starting ${manager.serverCount} MCP server${manager.serverCount === 1 ? '' : 's'}…`);
    const servers = await manager.ready();
    emit({ type: 'servers_ready', servers, skipped: options.skippedServers ?? [] });
    if (!servers.some((s) => s.state === 'ready')) {
      throw new AnalystError('no MCP server could be started', 'see the servers\' stderr in the log; check the paths given to them');
    }
    if (!analyst.plannedSteps) announce(`Investigating with the ${analyst.label ?? analyst.name} analyst…`);
    const draft = await analyst.investigate({ incident: options.incident, window: options.window, tools, emit, step: announce, signal });
    signal.throwIfAborted();
    announce(`Verifying ${draft.evidence.length} citation${draft.evidence.length === 1 ? '' : 's'} through the servers…`);
    const verified = await verifyReport(draft, tools);
    const report: Report = {
      incident: options.incident,
      analyst: analyst.label ?? analyst.name,
      ...verified,
      toolCalls,
    };
    const markdown = renderMarkdown(report);
    emit({ type: 'report', report, markdown });
    return { runId, outcome: 'report', report, markdown };
  } catch (err) {
    if (signal.aborted) {
      emit({ type: 'cancelled', reason: reasonOf(signal) });
      return { runId, outcome: 'cancelled' };
    }
    const error =
      err instanceof AnalystError
        ? { message: err.message, fix: err.fix, builtinFallback: err.builtinFallback, remedy: err.remedy }
        : { message: `the analysis failed: ${(err as Error).message ?? String(err)}`, builtinFallback: false };
    emit({ type: 'error', message: error.message, fix: error.fix, remedy: error.remedy });
    return { runId, outcome: 'error', error };
  } finally {
    transcript?.close();
  }
}

function summarise(text: string): string {
  const lines = text.split('\n');
  let summary = lines.slice(0, SUMMARY_LINES).join('\n');
  if (summary.length > SUMMARY_CHARS) summary = `${summary.slice(0, SUMMARY_CHARS)}…`;
  else if (lines.length > SUMMARY_LINES) summary += `\n… (${lines.length - SUMMARY_LINES} more lines)`;
  return summary;
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'stopped by the user';
}
