// One streamed model turn: its text as it arrives, and the tool calls it asks for. The run's signal aborts it.
import type { ChatRequest, Ollama, ToolCall } from 'ollama';

export interface TurnReply {
  content: string;
  toolCalls: ToolCall[];
  /** From the last streamed part (done: true): prompt_eval_count and eval_count, when the server sent them. */
  promptTokens?: number;
  evalTokens?: number;
}

export async function streamTurn(
  client: Ollama,
  request: Omit<ChatRequest, 'stream'>,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<TurnReply> {
  signal.throwIfAborted();
  const stream = await client.chat({ ...request, stream: true });
  const abort = () => stream.abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    if (signal.aborted) abort();
    let content = '';
    const toolCalls: ToolCall[] = [];
    let promptTokens: number | undefined;
    let evalTokens: number | undefined;
    for await (const part of stream) {
      if (part.done) {
        promptTokens = countOf(part.prompt_eval_count);
        evalTokens = countOf(part.eval_count);
      }
      const text = part.message?.content ?? '';
      if (text) {
        content += text;
        onText(text);
      }
      if (part.message?.tool_calls) toolCalls.push(...part.message.tool_calls);
    }
    signal.throwIfAborted();
    return { content, toolCalls, promptTokens, evalTokens };
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
