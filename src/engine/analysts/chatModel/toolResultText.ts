// What the model sees of a tool result: errors marked so it can adapt, and long results cut, saying so.
import type { ToolCallOutcome } from '../../mcp/clientManager.js';

export function toolResultText(outcome: ToolCallOutcome, budgetChars: number): string {
  const body = outcome.text.trim() !== '' || !outcome.structured ? outcome.text : JSON.stringify(outcome.structured);
  const capped = capText(body, budgetChars);
  return outcome.isError ? `ERROR: ${capped}` : capped;
}

/** Cuts text to the budget (at a line end when one is near) and states the cut; never cuts silently. */
export function capText(text: string, budgetChars: number): string {
  if (text.length <= budgetChars) return text;
  const lastNewline = text.lastIndexOf('\n', budgetChars);
  const cutAt = lastNewline > budgetChars * 0.8 ? lastNewline : budgetChars;
  return `${text.slice(0, cutAt)}\n[result cut at ${cutAt} of ${text.length} characters; ask for a narrower range/page]`;
}
