// What a run cost the model: requests, tool-loop turns and the token counts the model reports with each answer
// (Ollama: prompt_eval_count, tokens read; eval_count, tokens generated; vscode.lm reports none). Kept on the analyst for benchmarks and noted
// at the end of a run.

export interface ModelUsage {
  /** Chat requests sent: tool-loop turns plus the report request(s). */
  requests: number;
  /** Turns of the tool loop (model turns that could call tools). */
  toolTurns: number;
  /** Sum of prompt_eval_count over the answers (tokens the model read; Ollama counts only what its cache missed). */
  promptTokens: number;
  /** Sum of eval_count over the answers (tokens the model generated). */
  evalTokens: number;
  /** Why the tool loop ended, once it has. */
  stoppedBy?: 'model' | 'turn-budget';
  /** The deterministic first pass given to the model, when one ran. */
  firstPass?: { toolCalls: number; durationMs: number; ok: boolean; digestChars: number };
}

export function newUsage(): ModelUsage {
  return { requests: 0, toolTurns: 0, promptTokens: 0, evalTokens: 0 };
}

/** Adds one answer's counts; a server that sends none (older versions, some proxies) adds zero. */
export function countAnswer(usage: ModelUsage, counts: { promptTokens?: number; evalTokens?: number }): void {
  usage.requests++;
  usage.promptTokens += counts.promptTokens ?? 0;
  usage.evalTokens += counts.evalTokens ?? 0;
}

export function describeUsage(usage: ModelUsage): string {
  const tokens =
    usage.promptTokens + usage.evalTokens > 0 ? `${usage.promptTokens} prompt token(s) read, ${usage.evalTokens} generated` : 'no token counts reported by the model';
  return `Model usage: ${usage.requests} request(s), ${usage.toolTurns} tool turn(s), ${tokens}.`;
}
