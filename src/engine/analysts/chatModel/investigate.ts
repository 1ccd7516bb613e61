// One investigation by a chat model, whichever adapter it comes through: the system prompt and the incident,
// optionally the deterministic first pass as a digest, the tool loop within the turn budget, then the report.
// The run verifies the report's evidence afterwards, as for every analyst.
import type { AnalystContext } from '../../analysis/analyst.js';
import type { DraftReport } from '../../report/schema.js';
import { DIGEST_MAX_CHARS, digestMessage, runFirstPass } from '../predigest.js';
import type { ChatModel } from './chatModel.js';
import { Conversation, conversationBudgetChars } from './conversation.js';
import { requestFinalReport } from './finalReport.js';
import { modelTools } from './modelTools.js';
import { incidentPrompt, systemPrompt } from './prompts.js';
import { runToolLoop } from './toolLoop.js';
import { describeUsage, type ModelUsage } from './usage.js';

export interface InvestigationSettings {
  maxTurns: number;
  toolResultBudgetChars: number;
  /** Run the built-in analyst first and give the model its findings to check. */
  predigest: boolean;
  /** Said when the report is unusable, e.g. "choose a larger model (e.g. qwen2.5:14b)". */
  largerModelHint: string;
}

/** The steps it announces: the first pass (when on), investigating, the report. */
export function investigationSteps(predigest: boolean): number {
  return predigest ? 3 : 2;
}

export async function investigateWithChatModel(model: ChatModel, ctx: AnalystContext, settings: InvestigationSettings, usage: ModelUsage): Promise<DraftReport> {
  try {
    ctx.signal.throwIfAborted();
    const budgetChars = conversationBudgetChars(model.contextTokens);
    const conversation = new Conversation(budgetChars);
    conversation.add({ role: 'system', content: systemPrompt() });
    conversation.add({ role: 'user', content: incidentPrompt(ctx.incident, ctx.window) });
    if (settings.predigest) {
      // Not worth a deterministic pass when the model cannot be used at all.
      await model.checkReady?.(ctx.signal);
      ctx.step('A deterministic first pass (the built-in analyst) for the model to start from…');
      const digest = await firstPassDigest(ctx, usage, Math.min(DIGEST_MAX_CHARS, Math.floor(budgetChars / 4)));
      if (digest) conversation.add({ role: 'user', content: digest });
    }
    ctx.step(`Investigating with ${model.name} (up to ${settings.maxTurns} model turns)…`);
    await runToolLoop(model, conversation, modelTools(ctx.tools.catalog()), ctx, {
      maxTurns: settings.maxTurns,
      toolResultBudgetChars: settings.toolResultBudgetChars,
      usage,
    });
    ctx.step(`Asking ${model.name} for the report…`);
    const report = await requestFinalReport(model, conversation, ctx, { usage, largerModelHint: settings.largerModelHint });
    ctx.emit({ type: 'note', message: describeUsage(usage) });
    return report;
  } catch (err) {
    // Cancelled: rethrow the abort as it is, for the run to report as cancelled rather than as a failure.
    if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
    throw model.explainError(err);
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
