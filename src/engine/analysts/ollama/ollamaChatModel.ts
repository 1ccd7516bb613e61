// Ollama behind the chat-model port: messages in Ollama's shape, the context size and temperature as options,
// the report held to its JSON schema with `format`, token counts from the last streamed part.
import type { Message, Ollama, Options } from 'ollama';
import { AnalystError } from '../../analysis/analyst.js';
import type { ChatMessage, ChatModel, ChatReply, ChatRequest } from '../chatModel/chatModel.js';
import { explainOllamaError } from './explainError.js';
import type { ResolvedOllamaOptions } from './options.js';
import { streamTurn } from './streamTurn.js';

export class OllamaChatModel implements ChatModel {
  readonly followsJsonSchema = true;
  private readonly options: Partial<Options>;
  private callCount = 0;

  constructor(
    private readonly client: Ollama,
    private readonly settings: ResolvedOllamaOptions,
  ) {
    this.options = { num_ctx: settings.numCtx, ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}) };
  }

  get name(): string {
    return this.settings.model;
  }

  get contextTokens(): number {
    return this.settings.numCtx;
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    const reply = await streamTurn(
      this.client,
      {
        model: this.settings.model,
        messages: request.messages.map(toOllamaMessage),
        tools: request.tools?.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters as never } })),
        format: request.jsonSchema,
        options: this.options,
      },
      request.signal,
      request.onText,
    );
    // Ollama's calls carry no id: one is made up so results can be paired like any model's.
    const toolCalls = reply.toolCalls.map((call) => ({ id: `call_${++this.callCount}`, name: call.function?.name ?? '', arguments: call.function?.arguments }));
    return { content: reply.content, toolCalls, promptTokens: reply.promptTokens, evalTokens: reply.evalTokens };
  }

  /**
   * Asks Ollama about the model: unreachable, refused, unknown or without tools ends the run now. Anything else
   * (e.g. a host that does not offer /api/show) is left for the chat request to tell.
   */
  async checkReady(signal: AbortSignal): Promise<void> {
    const model = this.settings.model;
    let capabilities: unknown;
    try {
      capabilities = (await this.client.show({ model })).capabilities;
    } catch (err) {
      if (signal.aborted) throw err;
      const explained = explainOllamaError(err, { host: '', model, apiKeySet: false });
      const remedy = explained instanceof AnalystError ? explained.remedy : undefined;
      const status = (err as { status_code?: unknown }).status_code;
      const modelMissing = status === 404 && /model .*not found/i.test((err as Error).message ?? '');
      if (remedy === 'start-ollama' || remedy === 'set-api-key' || modelMissing) throw err;
      return;
    }
    if (Array.isArray(capabilities) && capabilities.length > 0 && !capabilities.includes('tools')) {
      throw new Error(`${model} does not support tools`);
    }
  }

  explainError(err: unknown): Error {
    return explainOllamaError(err, { host: this.settings.host, model: this.settings.model, apiKeySet: this.settings.apiKey !== undefined });
  }
}

function toOllamaMessage(message: ChatMessage): Message {
  if (message.role === 'tool') return { role: 'tool', content: message.content, tool_name: message.toolName ?? '' };
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return {
      role: 'assistant',
      content: message.content,
      tool_calls: message.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments as Record<string, unknown> } })),
    };
  }
  return { role: message.role, content: message.content };
}
