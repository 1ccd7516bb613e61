// One streamed model turn: its text as it arrives, and the tool calls it asks for. The run's signal aborts it.
import type { ChatRequest, Ollama, ToolCall } from 'ollama';

export interface TurnReply {
  content: string;
  toolCalls: ToolCall[];
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
    for await (const part of stream) {
      const text = part.message?.content ?? '';
      if (text) {
        content += text;
        onText(text);
      }
      if (part.message?.tool_calls) toolCalls.push(...part.message.tool_calls);
    }
    signal.throwIfAborted();
    return { content, toolCalls };
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
