// What every analyst gets: the incident, tools to call (each call is observed and shown), a way to report
// progress, and a signal that says stop.
import type { CatalogTool, ToolCallOutcome } from '../mcp/clientManager.js';
import type { DraftReport } from '../report/schema.js';
import type { AnalysisEventBody, AnalystName } from './events.js';

export interface TimeWindow {
  since?: string;
  until?: string;
}

/** Tool calls as an analyst makes them. Each call emits tool_call_started/finished and is kept for the report. */
export interface AnalystTools {
  catalog(): CatalogTool[];
  call(name: string, args: Record<string, unknown>): Promise<ToolCallOutcome>;
}

export interface AnalystContext {
  incident: string;
  window?: TimeWindow;
  tools: AnalystTools;
  emit(event: AnalysisEventBody): void;
  /** Announces the next of the analyst's planned steps (see Analyst.plannedSteps). */
  step(title: string): void;
  signal: AbortSignal;
}

export interface Analyst {
  readonly name: AnalystName;
  /** Model or variant, for the report (e.g. "ollama (qwen2.5:14b)"). */
  readonly label?: string;
  /** How many steps the analyst announces with ctx.step; without it the run announces one. */
  readonly plannedSteps?: number;
  /** Investigates and returns a report draft; its evidence is verified by the run afterwards. */
  investigate(ctx: AnalystContext): Promise<DraftReport>;
}

/** An analyst's error that a user can act on: what went wrong and the fix. */
/** What a UI can offer to fix an analyst error, beyond showing its text. */
export type Remedy = 'start-ollama' | 'choose-model' | 'set-api-key' | 'retry';

export class AnalystError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
    /** True when running the built-in analyst instead makes sense (e.g. Ollama is unreachable). */
    readonly builtinFallback = false,
    readonly remedy?: Remedy,
  ) {
    super(message);
  }
}
