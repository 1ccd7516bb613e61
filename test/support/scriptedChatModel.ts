// A chat model that answers from a script, for testing the shared model loop without a model: each turn's text
// is streamed in small pieces, its tool calls get ids, and every request is recorded (messages copied as sent).
import { AnalystError } from '../../src/engine/analysis/analyst';
import type { ChatMessage, ChatModel, ChatReply, ChatRequest } from '../../src/engine/analysts/chatModel/chatModel';

export interface ScriptedTurn {
  text?: string;
  calls?: Array<{ name: string; arguments: unknown }>;
  /** Thrown instead of answering. */
  error?: unknown;
  /** Never answers: waits until the request is cancelled. */
  hang?: boolean;
}

export type Script = ScriptedTurn[] | ((request: RecordedRequest, index: number) => ScriptedTurn);

export interface RecordedRequest {
  messages: ChatMessage[];
  tools?: string[];
  jsonSchema?: Record<string, unknown>;
}

export class ScriptedChatModel implements ChatModel {
  readonly requests: RecordedRequest[] = [];
  readonly followsJsonSchema: boolean;
  readonly contextTokens: number;
  private calls = 0;

  constructor(
    private readonly script: Script,
    readonly name = 'Scripted (test/scripted)',
    options: { followsJsonSchema?: boolean; contextTokens?: number } = {},
  ) {
    this.followsJsonSchema = options.followsJsonSchema ?? false;
    this.contextTokens = options.contextTokens ?? 16384;
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    const recorded: RecordedRequest = {
      messages: request.messages.map((m) => ({ ...m, ...(m.toolCalls ? { toolCalls: m.toolCalls.map((c) => ({ ...c })) } : {}) })),
      tools: request.tools?.map((t) => t.name),
      jsonSchema: request.jsonSchema,
    };
    this.requests.push(recorded);
    const index = this.requests.length - 1;
    const turn = typeof this.script === 'function' ? this.script(recorded, index) : this.script[index];
    if (!turn) throw new Error(`the script has no turn ${index + 1}`);
    if (turn.hang) {
      await new Promise((_, reject) => {
        const stop = () => reject(request.signal.reason);
        if (request.signal.aborted) stop();
        else request.signal.addEventListener('abort', stop, { once: true });
      });
    }
    if (turn.error) throw turn.error;
    const text = turn.text ?? '';
    for (let at = 0; at < text.length; at += 6) {
      request.signal.throwIfAborted();
      request.onText(text.slice(at, at + 6));
      await new Promise((r) => setImmediate(r));
    }
    return { content: text, toolCalls: (turn.calls ?? []).map((c) => ({ id: `call-${++this.calls}`, name: c.name, arguments: c.arguments })) };
  }

  explainError(err: unknown): Error {
    return err instanceof AnalystError ? err : new AnalystError(`The scripted model failed: ${(err as Error).message ?? String(err)}`, 'Fix the script.', true, 'retry');
  }
}
