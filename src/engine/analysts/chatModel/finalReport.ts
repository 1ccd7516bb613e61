// The last request: the report as JSON, validated with the report schema; one retry with the problem stated,
// then an error saying the model's report was unusable. A model that can be held to a JSON schema (Ollama's
// `format`) gets it as a constraint; one that cannot (vscode.lm) gets it in the prompt, and its answer is read
// leniently (a fence or a sentence around the JSON is tolerated) before the same validation.
import type { ZodError } from 'zod';
import { AnalystError, type AnalystContext } from '../../analysis/analyst.js';
import { draftReportJsonSchema, draftReportSchema, type DraftReport } from '../../report/schema.js';
import type { ChatModel } from './chatModel.js';
import { keepConversationWithinBudget, type Conversation } from './conversation.js';
import { finalReportPrompt, reportRetryPrompt } from './prompts.js';
import { countAnswer, type ModelUsage } from './usage.js';

const ATTEMPTS = 2;

export async function requestFinalReport(
  model: ChatModel,
  conversation: Conversation,
  ctx: AnalystContext,
  settings: { usage?: ModelUsage; largerModelHint: string },
): Promise<DraftReport> {
  const schema = draftReportJsonSchema();
  conversation.add({ role: 'user', content: finalReportPrompt(model.followsJsonSchema ? undefined : schema) });
  let problem = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) conversation.add({ role: 'user', content: reportRetryPrompt(problem) });
    keepConversationWithinBudget(conversation, ctx);
    if (attempt > 1) ctx.emit({ type: 'note', message: `The model's report was not usable (${problem}); asking once more.` });
    ctx.signal.throwIfAborted();
    // Streamed so that cancelling stops it at once; the JSON tokens are not shown as model text.
    const reply = await model.chat({
      messages: conversation.messages,
      jsonSchema: model.followsJsonSchema ? schema : undefined,
      signal: ctx.signal,
      onText: () => {},
    });
    ctx.signal.throwIfAborted();
    if (settings.usage) countAnswer(settings.usage, reply);
    conversation.add({ role: 'assistant', content: reply.content });
    const parsed = parseDraftReport(reply.content);
    if (parsed.report) return parsed.report;
    problem = parsed.problem;
  }
  throw new AnalystError(`The model's report was unusable: ${problem}`, `Run the analysis again, or ${settings.largerModelHint}; or run the built-in analyst.`, true);
}

export function parseDraftReport(text: string): { report: DraftReport; problem?: undefined } | { report?: undefined; problem: string } {
  let json: unknown;
  try {
    json = parseLeniently(text);
  } catch (err) {
    return { problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const result = draftReportSchema.safeParse(json);
  return result.success ? { report: result.data } : { problem: `it does not match the schema: ${describeIssues(result.error)}` };
}

/**
 * The JSON as sent; else without a markdown fence (some models add one even when a format is set); else the
 * outermost {…} of the text (a model without a format may say a sentence first). The first error is the one told.
 */
function parseLeniently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(text)?.[1];
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    const candidates = [fenced, start >= 0 && end > start ? text.slice(start, end + 1) : undefined];
    for (const candidate of candidates) {
      if (candidate === undefined) continue;
      try {
        return JSON.parse(candidate.trim());
      } catch {
        // the next one, or the first error
      }
    }
    throw err;
  }
}

function describeIssues(error: ZodError): string {
  const issues = error.issues.slice(0, 8).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more = error.issues.length > 8 ? `; and ${error.issues.length - 8} more` : '';
  return issues.join('; ') + more;
}
