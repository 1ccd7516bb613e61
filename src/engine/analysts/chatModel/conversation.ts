// The messages sent to the model, kept within its context: when they grow past the budget, the oldest tool
// results are shortened (saying so) — the system prompt, the incident and the model's own words stay.
import type { AnalystContext } from '../../analysis/analyst.js';
import type { ChatMessage } from './chatModel.js';

/** Characters per token is roughly 3.5 for English and logs; the rest of the context holds the tool definitions and the answer. */
export function conversationBudgetChars(numCtx: number): number {
  return Math.floor(numCtx * 3.5 * 0.75);
}

const SHORTENED_KEEP_CHARS = 300;
const SHORTENED_NOTE = "[older result shortened to keep the conversation within the model's context; call the tool again, with a narrower range, if you need it]";

export class Conversation {
  readonly messages: ChatMessage[] = [];
  /** For tool messages: the repeated-call key of the call they answer. */
  private readonly callKeys = new Map<ChatMessage, string>();
  private readonly shortened = new Set<ChatMessage>();

  constructor(private readonly budgetChars: number) {}

  add(message: ChatMessage, callKey?: string): void {
    this.messages.push(message);
    if (callKey) this.callKeys.set(message, callKey);
  }

  totalChars(): number {
    return this.messages.reduce((sum, m) => sum + m.content.length + (m.toolCalls ? JSON.stringify(m.toolCalls).length : 0), 0);
  }

  /**
   * Shortens the oldest tool results until the conversation fits the budget.
   * Returns how many were shortened, and the call keys of those results, so those calls may be made again.
   */
  keepWithinBudget(): { shortened: number; freedCallKeys: string[] } {
    const freedCallKeys: string[] = [];
    let shortened = 0;
    let total = this.totalChars();
    for (const message of this.messages) {
      if (total <= this.budgetChars) break;
      if (message.role !== 'tool' || this.shortened.has(message)) continue;
      const shorter = `${message.content.slice(0, SHORTENED_KEEP_CHARS)}\n${SHORTENED_NOTE}`;
      if (shorter.length >= message.content.length) continue;
      total -= message.content.length - shorter.length;
      message.content = shorter;
      this.shortened.add(message);
      shortened++;
      const key = this.callKeys.get(message);
      if (key) freedCallKeys.push(key);
    }
    return { shortened, freedCallKeys };
  }
}

/** Keeps the conversation within budget and tells the user when older results were shortened. */
export function keepConversationWithinBudget(conversation: Conversation, ctx: AnalystContext, onFreed: (callKey: string) => void = () => {}): void {
  const { shortened, freedCallKeys } = conversation.keepWithinBudget();
  if (shortened === 0) return;
  freedCallKeys.forEach(onFreed);
  ctx.emit({ type: 'note', message: `Shortened ${shortened} older tool result(s) to keep the conversation within the model's context.` });
}
