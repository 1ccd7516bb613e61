// What vscode.lm throws, as errors a user can act on. LanguageModelError is told by its `code` (NoPermissions,
// Blocked, NotFound), read without the vscode module so this is tested in plain Node. Quota and rate limits come
// as Blocked, or, from some providers, only in the message.
import { AnalystError } from '../../engine/analysis/analyst.js';

const SELECT_MODEL = '"Incident Analyzer: Select Model"';
const QUOTA = /quota|rate.?limit|too many requests|\b429\b/i;

export function explainLanguageModelError(err: unknown, model: string): Error {
  if (err instanceof AnalystError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'NoPermissions') {
    return new AnalystError(
      `VS Code did not give Incident Analyzer access to the chat model ${model}.`,
      'Run the analysis again and allow it when VS Code asks (access can be changed later under Accounts › Manage Language Model Access); or choose another model, or the built-in analyst.',
      true,
      'retry',
    );
  }
  if (code === 'Blocked' || QUOTA.test(message)) {
    return new AnalystError(
      `The chat model ${model} refused the request: a quota or rate limit was reached, or its provider blocked the use${message ? ` (${message})` : ''}.`,
      `Wait and run again, or choose another model with ${SELECT_MODEL}; or run the built-in analyst.`,
      true,
      'choose-model',
    );
  }
  if (code === 'NotFound') {
    return new AnalystError(`The chat model ${model} is no longer available.`, `Choose another with ${SELECT_MODEL}; or run the built-in analyst.`, true, 'choose-model');
  }
  return new AnalystError(`The chat model ${model} failed: ${message}`, `Run the analysis again, or choose another model with ${SELECT_MODEL}; or run the built-in analyst.`, true, 'retry');
}

export function noChatModelError(selector: string, available: string[], apiPresent: boolean): AnalystError {
  if (!apiPresent) {
    return new AnalystError('This VS Code has no language model API (vscode.lm).', 'Update VS Code, or use Ollama or the built-in analyst.', true, 'choose-model');
  }
  if (available.length === 0) {
    return new AnalystError(
      'VS Code offers no chat model.',
      `Install and sign in to a chat model provider (e.g. GitHub Copilot) and choose its model with ${SELECT_MODEL}; or use Ollama or the built-in analyst.`,
      true,
      'choose-model',
    );
  }
  return new AnalystError(
    `No VS Code chat model matches "${selector}" (available: ${available.join(', ')}).`,
    `Choose one with ${SELECT_MODEL}; or use Ollama or the built-in analyst.`,
    true,
    'choose-model',
  );
}
