// The last request: the report as JSON constrained by the schema (`format`), validated; one retry with the
// problem stated, then an error saying the model's report was unusable.
import type { Ollama, Options } from 'ollama';
import type { ZodError } from 'zod';
import { AnalystError, type AnalystContext } from '../../analysis/analyst.js';
import { draftReportJsonSchema, draftReportSchema, type DraftReport } from '../../report/schema.js';
import { keepConversationWithinBudget, type Conversation } from './conversation.js';
import { finalReportPrompt, reportRetryPrompt } from './prompts.js';
import { streamTurn } from './streamTurn.js';
import { countAnswer, type ModelUsage } from './usage.js';

const ATTEMPTS = 2;

export async function requestFinalReport(
  client: Ollama,
  conversation: Conversation,
  ctx: AnalystContext,
  settings: { model: string; options: Partial<Options>; usage?: ModelUsage },
): Promise<DraftReport> {
  conversation.add({ role: 'user', content: finalReportPrompt() });
  let problem = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) conversation.add({ role: 'user', content: reportRetryPrompt(problem) });
    keepConversationWithinBudget(conversation, ctx);
    if (attempt > 1) ctx.emit({ type: 'note', message: `The model's report was not usable (${problem}); asking once more.` });
    // Streamed so that cancelling stops it at once; the JSON tokens are not shown as model text.
    const reply = await streamTurn(
      client,
      { model: settings.model, messages: conversation.messages, format: draftReportJsonSchema(), options: settings.options },
      ctx.signal,
      () => {},
    );
    if (settings.usage) countAnswer(settings.usage, reply);
    conversation.add({ role: 'assistant', content: reply.content });
    const parsed = parseDraftReport(reply.content);
    if (parsed.report) return parsed.report;
    problem = parsed.problem;
  }
  throw new AnalystError(
    `The model's report was unusable: ${problem}`,
    'Run the analysis again, or choose a larger model (e.g. qwen2.5:14b); or run the built-in analyst.',
    true,
  );
}

export function parseDraftReport(text: string): { report: DraftReport; problem?: undefined } | { report?: undefined; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(withoutCodeFence(text));
  } catch (err) {
    return { problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const result = draftReportSchema.safeParse(json);
  return result.success ? { report: result.data } : { problem: `it does not match the schema: ${describeIssues(result.error)}` };
}

/** Some models wrap JSON in a markdown fence even when a format is set. */
function withoutCodeFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return (fenced?.[1] ?? text).trim();
}

function describeIssues(error: ZodError): string {
  const issues = error.issues.slice(0, 8).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more = error.issues.length > 8 ? `; and ${error.issues.length - 8} more` : '';
  return issues.join('; ') + more;
}
