// Runs one tool call the model asked for and says what the model should see: the (capped) result, an
// ERROR: text, a note that it already has this result, or the list of real tools when the name is unknown.
import type { AnalystContext } from '../../analysis/analyst.js';
import type { ChatToolCall } from './chatModel.js';
import type { ModelTools } from './modelTools.js';
import { RepeatedCalls } from './repeatedCalls.js';
import { toolResultText } from './toolResultText.js';

export interface ToolAnswer {
  content: string;
  /** Set when the tool ran: its repeated-call key. */
  callKey?: string;
}

export async function answerToolCall(
  call: ChatToolCall,
  tools: ModelTools,
  repeats: RepeatedCalls,
  ctx: AnalystContext,
  budgetChars: number,
): Promise<ToolAnswer> {
  const name = call.name;
  const entry = tools.resolve(name);
  if (!entry) {
    return { content: `ERROR: there is no tool named "${name}". The tools are: ${tools.names().join(', ') || 'none'}.` };
  }
  const args = argumentsOf(call);
  if (args === undefined) {
    return { content: `ERROR: the arguments for ${name} were not a JSON object. Call it again with an object matching its parameters.` };
  }
  const key = RepeatedCalls.keyOf(entry.name, args);
  if (repeats.has(key)) {
    ctx.emit({ type: 'note', message: `Skipped a repeated call to ${entry.name} with the same arguments.` });
    return {
      content: `You already called ${name} with exactly these arguments; its result is above in this conversation. Use that result, or try a different tool or different arguments.`,
    };
  }
  repeats.remember(key);
  const outcome = await ctx.tools.call(entry.name, args);
  return { content: toolResultText(outcome, budgetChars), callKey: key };
}

/** Arguments arrive as an object; some models send a JSON string instead. */
function argumentsOf(call: ChatToolCall): Record<string, unknown> | undefined {
  const raw: unknown = call.arguments ?? {};
  if (typeof raw === 'string') {
    try {
      return asObject(JSON.parse(raw || '{}'));
    } catch {
      return undefined;
    }
  }
  return asObject(raw);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
