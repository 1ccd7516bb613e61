// What every tool returns: readable text for the model and the same facts as structuredContent for programs.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runWithCallSignal } from './callSignal.js';

/** An error whose message is meant for the caller: it says what was wrong and what to do instead. */
export class UserError extends Error {}

/**
 * The most an answer's text, and separately its structuredContent, may weigh: far below the SDK's 10 MB message
 * limit (past it the client drops the connection and takes the server for dead), and more than a model can read.
 */
export const ANSWER_BUDGET_BYTES = 2 * 1024 * 1024;

export function ok(text: string, structured: Record<string, unknown>, budgetBytes = ANSWER_BUDGET_BYTES): CallToolResult {
  const fitted = fitStructured(structured, budgetBytes);
  let fittedText = fitText(text, budgetBytes);
  if (fitted.cut) {
    const { field, kept, of } = fitted.cut;
    fittedText += `\n(${field}: only the first ${kept} of ${of} are in the structured answer, which would exceed ${megabytes(budgetBytes)}; ask for fewer results, less context or a narrower window, or page on from there.)`;
  }
  return { content: [{ type: 'text', text: fittedText }], structuredContent: fitted.value };
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MB`;
}

function fitText(text: string, budgetBytes: number): string {
  if (Buffer.byteLength(text) <= budgetBytes) return text;
  const kept = Buffer.from(text).subarray(0, budgetBytes).toString('utf8').replace(/\uFFFD$/, '');
  const cutAt = kept.lastIndexOf('\n') > kept.length / 2 ? kept.lastIndexOf('\n') : kept.length;
  return (
    `${kept.slice(0, cutAt)}\n…(this answer was cut at ${megabytes(budgetBytes)} of ${megabytes(Buffer.byteLength(text))}: ` +
    'ask for fewer results, less context or a narrower window, or page on with offset.)'
  );
}

/**
 * Keeps structuredContent within the budget by shortening its largest top-level list (matches, lines, templates…)
 * to the longest prefix that fits, and says so in `answer_cut`.
 */
function fitStructured(
  structured: Record<string, unknown>,
  budgetBytes: number,
): { value: Record<string, unknown>; cut?: { field: string; kept: number; of: number } } {
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  if (size(structured) <= budgetBytes) return { value: structured };
  const lists = Object.entries(structured).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
  const largest = lists.sort((a, b) => size(b[1]) - size(a[1]))[0];
  if (!largest) return { value: structured };
  const [field, list] = largest;
  const withPrefix = (n: number) => ({ ...structured, [field]: list.slice(0, n), answer_cut: { field, kept: n, of: list.length } });
  let [lo, hi] = [0, list.length - 1]; // the longest prefix that fits, by bisection
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(withPrefix(mid)) <= budgetBytes) lo = mid;
    else hi = mid - 1;
  }
  return { value: withPrefix(lo), cut: { field, kept: lo, of: list.length } };
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
  body: (args: A, call: { signal?: AbortSignal }) => Promise<CallToolResult>,
): (args: A, call?: { signal?: AbortSignal }) => Promise<CallToolResult> {
  // `call.signal` is aborted when the client cancels the call or gives up waiting: long work should stop then.
  return async (args: A, call?: { signal?: AbortSignal }) => {
    try {
      return await runWithCallSignal(call?.signal, () => body(args, { signal: call?.signal }));
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
