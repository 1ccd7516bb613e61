// A VS Code language model (vscode.lm: Copilot or any provider) behind the engine's chat-model port. Requests
// carry a justification for the consent prompt VS Code shows on first use, are cancelled through a token tied
// to the run's signal, and stream their text parts to the panel as they arrive. vscode.lm cannot hold an answer
// to a JSON schema (followsJsonSchema false): the report's schema goes in the prompt instead.
import * as vscode from 'vscode';
import type { ChatMessage, ChatModel, ChatReply, ChatRequest, ChatToolCall } from '../../engine/analysts/chatModel/chatModel.js';
import { explainLanguageModelError } from './lmErrors.js';
import { describeModel } from './modelSelector.js';

const JUSTIFICATION = 'Incident Analyzer asks the model to investigate the incident you described, calling its log, git and metrics tools, and to write the root-cause report.';
/** When a provider states no input limit. */
const DEFAULT_CONTEXT_TOKENS = 16384;

export class VsCodeChatModel implements ChatModel {
  readonly followsJsonSchema = false;

  constructor(private readonly model: vscode.LanguageModelChat) {}

  get name(): string {
    return describeModel(this.model);
  }

  get contextTokens(): number {
    const max = this.model.maxInputTokens;
    return Number.isFinite(max) && max > 0 ? max : DEFAULT_CONTEXT_TOKENS;
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    request.signal.throwIfAborted();
    const cancellation = new vscode.CancellationTokenSource();
    const cancel = () => cancellation.cancel();
    request.signal.addEventListener('abort', cancel, { once: true });
    try {
      const response = await this.model.sendRequest(
        toLanguageModelMessages(request.messages),
        {
          justification: JUSTIFICATION,
          ...(request.tools?.length ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.parameters })) } : {}),
        },
        cancellation.token,
      );
      let content = '';
      const toolCalls: ChatToolCall[] = [];
      for await (const part of response.stream) {
        request.signal.throwIfAborted();
        if (part instanceof vscode.LanguageModelTextPart) {
          content += part.value;
          request.onText(part.value);
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls.push({ id: part.callId, name: part.name, arguments: part.input });
        }
      }
      request.signal.throwIfAborted();
      return { content, toolCalls };
    } finally {
      request.signal.removeEventListener('abort', cancel);
      cancellation.dispose();
    }
  }

  explainError(err: unknown): Error {
    return explainLanguageModelError(err, this.name);
  }
}

/**
 * The port's messages as vscode.lm's. The public API has no system role: the system prompt is a user message.
 * A tool result answers its call by id; the results of one turn go back together in one user message.
 */
export function toLanguageModelMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let results: vscode.LanguageModelToolResultPart[] = [];
  const flushResults = () => {
    if (results.length > 0) out.push(vscode.LanguageModelChatMessage.User(results));
    results = [];
  };
  for (const message of messages) {
    if (message.role === 'tool' && message.toolCallId) {
      results.push(new vscode.LanguageModelToolResultPart(message.toolCallId, [new vscode.LanguageModelTextPart(message.content)]));
      continue;
    }
    flushResults();
    if (message.role === 'assistant') {
      const parts: Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart> = message.content ? [new vscode.LanguageModelTextPart(message.content)] : [];
      for (const call of message.toolCalls ?? []) parts.push(new vscode.LanguageModelToolCallPart(call.id, call.name, inputObject(call.arguments)));
      out.push(vscode.LanguageModelChatMessage.Assistant(parts.length > 0 ? parts : ''));
    } else {
      out.push(vscode.LanguageModelChatMessage.User(message.content));
    }
  }
  flushResults();
  return out;
}

/** A call's input as the object the API wants (a model that sent a JSON string is read; anything else is {}). */
function inputObject(value: unknown): object {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
