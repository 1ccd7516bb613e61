// The Ollama analyst: a local (or hosted) model investigates with the MCP tools, then writes the report as JSON.
// By default the built-in analyst first runs through the same tools and its findings are given to the model as
// a pre-digest to check and overrule (see ../predigest.ts). The loop itself is the shared one (../chatModel/).
import { AnalystError, type Analyst, type AnalystContext } from '../../analysis/analyst.js';
import type { DraftReport } from '../../report/schema.js';
import { investigateWithChatModel, investigationSteps } from '../chatModel/investigate.js';
import { newUsage, type ModelUsage } from '../chatModel/usage.js';
import { createOllamaClient } from './client.js';
import { OllamaChatModel } from './ollamaChatModel.js';
import { withDefaults, type OllamaAnalystOptions } from './options.js';

export class OllamaAnalyst implements Analyst {
  readonly name = 'ollama' as const;
  /** Requests, turns and tokens of the latest investigation (filled in while it runs), for benchmarks. */
  lastUsage: ModelUsage | undefined;

  constructor(private readonly options: OllamaAnalystOptions) {}

  get plannedSteps(): number {
    return investigationSteps(this.options.predigest !== false);
  }

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
    const usage = newUsage();
    this.lastUsage = usage;
    try {
      return await investigateWithChatModel(new OllamaChatModel(client, settings), ctx, {
        maxTurns: settings.maxTurns,
        toolResultBudgetChars: settings.toolResultBudgetChars,
        predigest: settings.predigest,
        largerModelHint: 'choose a larger model (e.g. qwen2.5:14b)',
      }, usage);
    } finally {
      client.abort();
    }
  }
}
