// The port every model analyst talks through: a streaming chat model that can ask for tool calls. Ollama and
// VS Code's language models (vscode.lm) are adapters behind it, so the tool loop, the budgets and the final
// report are written once.

export interface ChatToolCall {
  /** The model's id for the call (vscode.lm needs it to pair the result); adapters invent one when the model has none. */
  id: string;
  /** The function name as the model used it (see modelTools for the mapping back to the catalog). */
  name: string;
  /** As the model sent them: usually an object, sometimes a JSON string. */
  arguments: unknown;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Mutable: the conversation shortens old tool results to stay within the context. */
  content: string;
  /** assistant: the calls it asked for. */
  toolCalls?: ChatToolCall[];
  /** tool: the call this answers. */
  toolCallId?: string;
  toolName?: string;
}

export interface ChatToolDefinition {
  name: string;
  description: string;
  /** A JSON schema object (the MCP tool's input schema). */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** Offered for this turn; none for the report request. */
  tools?: ChatToolDefinition[];
  /** The report's JSON schema, for models that can be held to one (followsJsonSchema). */
  jsonSchema?: Record<string, unknown>;
  signal: AbortSignal;
  /** Each piece of the answer's text as it arrives. */
  onText(text: string): void;
}

export interface ChatReply {
  content: string;
  toolCalls: ChatToolCall[];
  /** Token counts, when the model reports them. */
  promptTokens?: number;
  evalTokens?: number;
}

export interface ChatModel {
  /** How steps and notes name the model, e.g. "qwen2.5:7b" or "GPT-4o". */
  readonly name: string;
  /** True when a JSON schema constrains the answer; otherwise the schema is given in the prompt and the answer parsed leniently. */
  readonly followsJsonSchema: boolean;
  /** The context window in tokens, which sets the conversation's budget. */
  readonly contextTokens: number;
  chat(request: ChatRequest): Promise<ChatReply>;
  /** Fails early, before the deterministic first pass, when the model cannot be used at all. */
  checkReady?(signal: AbortSignal): Promise<void>;
  /** Turns what the adapter throws into an error a user can act on (an AnalystError with the fix). */
  explainError(err: unknown): Error;
}

/** Where a host finds chat models (VS Code: vscode.lm), for the analyst that uses them. */
export interface ChatModelSource {
  /** The model `selector` names (any usable one when empty), or an error that says why there is none and the fix. */
  find(selector: string): Promise<ChatModel | Error>;
}
