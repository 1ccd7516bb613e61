// The Ollama analyst: a local (or hosted) model investigates with the MCP tools, then writes the report as JSON.
// By default the built-in analyst first runs through the same tools and its findings are given to the model as
// a pre-digest to check and overrule (see ../predigest.ts).
import type { Ollama, Options } from 'ollama';
import { AnalystError, type Analyst, type AnalystContext } from '../../analysis/analyst.js';
import type { DraftReport } from '../../report/schema.js';
import { DIGEST_MAX_CHARS, digestMessage, runFirstPass } from '../predigest.js';
import { createOllamaClient } from './client.js';
import { Conversation, conversationBudgetChars } from './conversation.js';
import { explainOllamaError } from './explainError.js';
import { requestFinalReport } from './finalReport.js';
import { modelTools } from './modelTools.js';
import { withDefaults, type OllamaAnalystOptions } from './options.js';
import { incidentPrompt, systemPrompt } from './prompts.js';
import { runToolLoop } from './toolLoop.js';
import { describeUsage, newUsage, type ModelUsage } from './usage.js';

export class OllamaAnalyst implements Analyst {
  readonly name = 'ollama' as const;
  /** Requests, turns and tokens of the latest investigation (filled in while it runs), for benchmarks. */
  lastUsage: ModelUsage | undefined;

  constructor(private readonly options: OllamaAnalystOptions) {}

  /** The first pass (when on), investigating with tools, then writing the report. */
  get plannedSteps(): number {
    return this.options.predigest === false ? 2 : 3;
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
    const options: Partial<Options> = { num_ctx: settings.numCtx, ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}) };
    const usage = newUsage();
    this.lastUsage = usage;
    try {
      ctx.signal.throwIfAborted();
      const budgetChars = conversationBudgetChars(settings.numCtx);
      const conversation = new Conversation(budgetChars);
      conversation.add({ role: 'system', content: systemPrompt() });
      conversation.add({ role: 'user', content: incidentPrompt(ctx.incident, ctx.window) });
      if (settings.predigest) {
        // Not worth a deterministic pass when the model cannot be reached at all.
        await checkModelReachable(client, model, ctx.signal);
        ctx.step('A deterministic first pass (the built-in analyst) for the model to start from…');
        const digest = await firstPassDigest(ctx, usage, Math.min(DIGEST_MAX_CHARS, Math.floor(budgetChars / 4)));
        if (digest) conversation.add({ role: 'user', content: digest });
      }
      ctx.step(`Investigating with ${model} (up to ${settings.maxTurns} model turns)…`);
      await runToolLoop(client, conversation, modelTools(ctx.tools.catalog()), ctx, {
        model,
        options,
        maxTurns: settings.maxTurns,
        toolResultBudgetChars: settings.toolResultBudgetChars,
        usage,
      });
      ctx.step(`Asking ${model} for the report…`);
      const report = await requestFinalReport(client, conversation, ctx, { model, options, usage });
      ctx.emit({ type: 'note', message: describeUsage(usage) });
      return report;
    } catch (err) {
      // Cancelled: rethrow the abort as it is, for the run to report as cancelled rather than as a failure.
      if (ctx.signal.aborted) throw abortReason(ctx.signal, err);
      throw explainOllamaError(err, { host: settings.host, model, apiKeySet: settings.apiKey !== undefined });
    } finally {
      client.abort();
    }
  }
}

/**
 * Asks Ollama about the model before the first pass: unreachable, refused, unknown or without tools ends the run
 * now. Anything else (e.g. a host that does not offer /api/show) is left for the chat request to tell.
 */
async function checkModelReachable(client: Ollama, model: string, signal: AbortSignal): Promise<void> {
  let capabilities: unknown;
  try {
    capabilities = (await client.show({ model })).capabilities;
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

/** Runs the built-in analyst's pass and returns its digest; a failed pass is said and the model starts without it. */
async function firstPassDigest(ctx: AnalystContext, usage: ModelUsage, maxChars: number): Promise<string | undefined> {
  const started = Date.now();
  let calls = 0;
  const tools = { catalog: () => ctx.tools.catalog(), call: (name: string, args: Record<string, unknown>) => (calls++, ctx.tools.call(name, args)) };
  try {
    const pass = await runFirstPass({ ...ctx, tools });
    const digest = digestMessage(pass, maxChars);
    usage.firstPass = { toolCalls: calls, durationMs: pass.durationMs, ok: true, digestChars: digest.length };
    return digest;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    usage.firstPass = { toolCalls: calls, durationMs: Date.now() - started, ok: false, digestChars: 0 };
    ctx.emit({ type: 'note', message: `The deterministic first pass failed (${(err as Error).message ?? String(err)}); the model investigates without it.` });
    return undefined;
  }
}

function abortReason(signal: AbortSignal, fallback: unknown): unknown {
  return signal.reason ?? fallback;
}
