// The Ollama analyst: a local (or hosted) model investigates with the MCP tools, then writes the report as JSON.
import type { Options } from 'ollama';
import { AnalystError, type Analyst, type AnalystContext } from '../../analysis/analyst.js';
import type { DraftReport } from '../../report/schema.js';
import { createOllamaClient } from './client.js';
import { Conversation, conversationBudgetChars } from './conversation.js';
import { explainOllamaError } from './explainError.js';
import { requestFinalReport } from './finalReport.js';
import { modelTools } from './modelTools.js';
import { withDefaults, type OllamaAnalystOptions } from './options.js';
import { incidentPrompt, systemPrompt } from './prompts.js';
import { runToolLoop } from './toolLoop.js';

export class OllamaAnalyst implements Analyst {
  readonly name = 'ollama' as const;
  /** Investigating with tools, then writing the report. */
  readonly plannedSteps = 2;

  constructor(private readonly options: OllamaAnalystOptions) {}

  get model(): string | undefined {
    return this.options.model?.trim() || undefined;
  }

  get label(): string {
    return this.model ? `ollama (${this.model})` : 'ollama';
  }

  async investigate(ctx: AnalystContext): Promise<DraftReport> {
    const model = this.model;
    if (!model) {
      throw new AnalystError(
        'No Ollama model is configured.',
        'Choose a model you have pulled that supports tools (e.g. qwen2.5:7b or llama3.1:8b): "Incident Analyzer: Select Model" in VS Code, --model in the CLI; or run the built-in analyst.',
        true,
        'choose-model',
      );
    }
    const settings = withDefaults(this.options, model);
    const client = createOllamaClient(settings.host, settings.apiKey, ctx.signal, settings.allowKeyOverHttp);
    const options: Partial<Options> = { num_ctx: settings.numCtx, ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}) };
    try {
      ctx.signal.throwIfAborted();
      const conversation = new Conversation(conversationBudgetChars(settings.numCtx));
      conversation.add({ role: 'system', content: systemPrompt() });
      conversation.add({ role: 'user', content: incidentPrompt(ctx.incident, ctx.window) });
      ctx.step(`Investigating with ${model} (up to ${settings.maxTurns} model turns)…`);
      await runToolLoop(client, conversation, modelTools(ctx.tools.catalog()), ctx, {
        model,
        options,
        maxTurns: settings.maxTurns,
        toolResultBudgetChars: settings.toolResultBudgetChars,
      });
      ctx.step(`Asking ${model} for the report…`);
      return await requestFinalReport(client, conversation, ctx, { model, options });
    } catch (err) {
      // Cancelled: rethrow the abort as it is, for the run to report as cancelled rather than as a failure.
      if (ctx.signal.aborted) throw abortReason(ctx.signal, err);
      throw explainOllamaError(err, { host: settings.host, model, apiKeySet: settings.apiKey !== undefined });
    } finally {
      client.abort();
    }
  }
}

function abortReason(signal: AbortSignal, fallback: unknown): unknown {
  return signal.reason ?? fallback;
}
