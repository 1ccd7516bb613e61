// The messages sent to the model, kept within its context: when they grow past the budget, the oldest tool
// results are shortened (saying so) — the system prompt, the incident and the model's own words stay.
import type { Message } from 'ollama';

/** Characters per token is roughly 3.5 for English and logs; the rest of the context holds the tool definitions and the answer. */
export function conversationBudgetChars(numCtx: number): number {
  return Math.floor(numCtx * 3.5 * 0.75);
}

const SHORTENED_KEEP_CHARS = 300;
const SHORTENED_NOTE = "[older result shortened to keep the conversation within the model's context; call the tool again, with a narrower range, if you need it]";

export class Conversation {
  readonly messages: Message[] = [];
  /** For tool messages: the repeated-call key of the call they answer. */
  private readonly callKeys = new Map<Message, string>();
  private readonly shortened = new Set<Message>();

  constructor(private readonly budgetChars: number) {}

  add(message: Message, callKey?: string): void {
    this.messages.push(message);
    if (callKey) this.callKeys.set(message, callKey);
  }

  totalChars(): number {
    return this.messages.reduce((sum, m) => sum + m.content.length + (m.tool_calls ? JSON.stringify(m.tool_calls).length : 0), 0);
  }

  /**
   * Shortens the oldest tool results until the conversation fits the budget.
   * Returns the call keys of the results shortened, so those calls may be made again.
   */
  keepWithinBudget(): string[] {
    const freed: string[] = [];
    let total = this.totalChars();
    for (const message of this.messages) {
      if (total <= this.budgetChars) break;
      if (message.role !== 'tool' || this.shortened.has(message)) continue;
      const shorter = `${message.content.slice(0, SHORTENED_KEEP_CHARS)}\n${SHORTENED_NOTE}`;
      if (shorter.length >= message.content.length) continue;
      total -= message.content.length - shorter.length;
      message.content = shorter;
      this.shortened.add(message);
      const key = this.callKeys.get(message);
      if (key) freed.push(key);
    }
    return freed;
  }
}
