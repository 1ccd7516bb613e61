// What every tool returns: readable text for the model and the same facts as structuredContent for programs.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** An error whose message is meant for the caller: it says what was wrong and what to do instead. */
export class UserError extends Error {}

export function ok(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

export function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Runs a tool body and turns any error into an isError result, so that a bad call never takes the server down
 * and the caller always learns what to fix.
 */
export function guarded<A>(
  toolName: string,
  body: (args: A) => Promise<CallToolResult>,
): (args: A) => Promise<CallToolResult> {
  return async (args: A) => {
    try {
      return await body(args);
    } catch (err) {
      if (err instanceof UserError) return fail(err.message);
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`[${toolName}] unexpected error: ${err instanceof Error ? err.stack : message}\n`);
      return fail(`${toolName} failed unexpectedly: ${message}. The server is still running; check its stderr log.`);
    }
  };
}

/** A window onto a longer list, with what the caller needs to ask for the rest. */
export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  omitted: number;
  nextOffset: number | null;
}

export function pageOf<T>(all: readonly T[], offset: number, limit: number): Page<T> {
  const items = all.slice(offset, offset + limit);
  const end = offset + items.length;
  return {
    items,
    total: all.length,
    offset,
    omitted: all.length - items.length,
    nextOffset: end < all.length ? end : null,
  };
}

/** The line that tells the model results were left out and how to get them; empty when nothing was. */
export function omittedNote(shown: number, total: number, howToPage: string): string {
  if (shown >= total) return '';
  return `\n(${total - shown} more not shown: ${howToPage})`;
}
