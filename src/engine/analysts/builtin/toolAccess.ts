// Calls a tool by its server-side name if some server offers it; the analysis works with whatever is there.
import type { AnalystTools } from '../../analysis/analyst.js';
import type { ToolCallOutcome } from '../../mcp/clientManager.js';

/** Structured content of a successful call, or undefined when the tool is missing or failed. */
export async function callFor<T>(tools: AnalystTools, tool: string, args: Record<string, unknown>): Promise<T | undefined> {
  const entry = tools.catalog().find((t) => t.tool === tool);
  if (!entry) return undefined;
  const outcome: ToolCallOutcome = await tools.call(entry.name, dropUndefined(args));
  return outcome.isError ? undefined : (outcome.structured as T | undefined);
}

function dropUndefined(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

/** Where a logs tool says a line is: a file and line number, or (from a log store) a stream and its time_ns. */
export interface LogLineRef {
  file: string;
  line?: number;
  time_ns?: string;
}
