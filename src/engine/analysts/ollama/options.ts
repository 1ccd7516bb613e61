// How an Ollama analyst is set up, with the defaults filled in.

export interface OllamaAnalystOptions {
  /** Where Ollama listens; ollama.com for hosted models. */
  host?: string;
  /** The model to run, e.g. "qwen2.5:7b". Required, but checked when the analysis starts so the error can say how to set it. */
  model?: string;
  /** Sent as `Authorization: Bearer <key>` (hosted models on ollama.com need one). Never logged. */
  apiKey?: string;
  /** Send the key over plain http to another machine too (refused unless set). */
  allowKeyOverHttp?: boolean;
  /** The context window asked of Ollama, in tokens (its server default is much smaller). */
  numCtx?: number;
  /** Model turns allowed for investigating with tools, not counting the final report request. */
  maxTurns?: number;
  /** Each tool result the model sees is cut to this many characters, saying so. */
  toolResultBudgetChars?: number;
  temperature?: number;
  /**
   * Before the model's turns, run the built-in analyst through the same tools and give the model its findings
   * (onset, new templates, candidate commits, tentative conclusion) to check and overrule. Default true.
   */
  predigest?: boolean;
}

export interface ResolvedOllamaOptions {
  host: string;
  model: string;
  apiKey?: string;
  allowKeyOverHttp: boolean;
  numCtx: number;
  maxTurns: number;
  toolResultBudgetChars: number;
  temperature?: number;
  predigest: boolean;
}

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export function withDefaults(options: OllamaAnalystOptions, model: string): ResolvedOllamaOptions {
  return {
    host: options.host?.trim() || DEFAULT_OLLAMA_HOST,
    model,
    apiKey: options.apiKey?.trim() || undefined,
    allowKeyOverHttp: options.allowKeyOverHttp === true,
    numCtx: options.numCtx ?? 16384,
    maxTurns: Math.max(1, options.maxTurns ?? 12),
    toolResultBudgetChars: Math.max(200, options.toolResultBudgetChars ?? 8000),
    temperature: options.temperature,
    predigest: options.predigest !== false,
  };
}

/** The host as safe to show: without any user:password part. */
export function displayHost(host: string): string {
  return host.replace(/\/\/[^/@]*@/, '//');
}
