// The investigation: model turn, tool calls, results back, again — until the model stops calling tools or
// the turn budget is spent.
import type { AnalystContext } from '../../analysis/analyst.js';
import { answerToolCall } from './answerToolCall.js';
import type { ChatModel } from './chatModel.js';
import { keepConversationWithinBudget, type Conversation } from './conversation.js';
import type { ModelTools } from './modelTools.js';
import { turnBudgetSpentPrompt } from './prompts.js';
import { RepeatedCalls } from './repeatedCalls.js';
import { countAnswer, type ModelUsage } from './usage.js';

export interface ToolLoopSettings {
  maxTurns: number;
  toolResultBudgetChars: number;
  /** Counts requests, turns and tokens as they happen. */
  usage?: ModelUsage;
}

export interface ToolLoopOutcome {
  turns: number;
  stoppedBy: 'model' | 'turn-budget';
}

export async function runToolLoop(
  model: ChatModel,
  conversation: Conversation,
  tools: ModelTools,
  ctx: AnalystContext,
  settings: ToolLoopSettings,
): Promise<ToolLoopOutcome> {
  const repeats = new RepeatedCalls();
  for (let turn = 1; turn <= settings.maxTurns; turn++) {
    keepConversationWithinBudget(conversation, ctx, (key) => repeats.forget(key));
    ctx.signal.throwIfAborted();
    const reply = await model.chat({
      messages: conversation.messages,
      tools: tools.definitions.length > 0 ? tools.definitions : undefined,
      signal: ctx.signal,
      onText: (text) => ctx.emit({ type: 'llm_text', text }),
    });
    ctx.signal.throwIfAborted();
    if (settings.usage) {
      countAnswer(settings.usage, reply);
      settings.usage.toolTurns = turn;
    }
    // One assistant message per turn, however many calls it holds; then one tool message per call, in order.
    conversation.add({ role: 'assistant', content: reply.content, ...(reply.toolCalls.length > 0 ? { toolCalls: reply.toolCalls } : {}) });
    if (reply.toolCalls.length === 0) {
      if (settings.usage) settings.usage.stoppedBy = 'model';
      return { turns: turn, stoppedBy: 'model' };
    }
    for (const call of reply.toolCalls) {
      ctx.signal.throwIfAborted();
      const answer = await answerToolCall(call, tools, repeats, ctx, settings.toolResultBudgetChars);
      conversation.add({ role: 'tool', content: answer.content, toolCallId: call.id, toolName: call.name }, answer.callKey);
    }
    ctx.signal.throwIfAborted();
  }
  ctx.emit({ type: 'note', message: `The model used all ${settings.maxTurns} turns; asking it for the report with the evidence it has.` });
  conversation.add({ role: 'user', content: turnBudgetSpentPrompt(settings.maxTurns) });
  if (settings.usage) settings.usage.stoppedBy = 'turn-budget';
  return { turns: settings.maxTurns, stoppedBy: 'turn-budget' };
}
