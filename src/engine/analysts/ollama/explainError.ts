// Turns what the Ollama client throws into an error a user can act on, with the fix.
import { AnalystError } from '../../analysis/analyst.js';
import { displayHost } from './options.js';

export interface ErrorContext {
  host: string;
  model: string;
  apiKeySet: boolean;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

export function explainOllamaError(err: unknown, context: ErrorContext): Error {
  if (err instanceof AnalystError) return err;
  const host = displayHost(context.host);
  const { model } = context;
  const message = err instanceof Error ? err.message : String(err);
  const status = statusOf(err);

  if (isUnreachable(err)) {
    return new AnalystError(
      `Ollama is not reachable at ${host}.`,
      'Start it with `ollama serve`, or set the host; or run the built-in analyst.',
      true,
      'start-ollama',
    );
  }
  if (/does not support tools/i.test(message)) {
    return new AnalystError(
      `The model "${model}" does not support tool calling, which the investigation needs.`,
      'Choose a model with tool support, e.g. qwen2.5 or llama3.1; or run the built-in analyst.',
      true,
      'choose-model',
    );
  }
  if (status === 404 || /model .*not found/i.test(message)) {
    return new AnalystError(
      `The model "${model}" was not found at ${host}.`,
      `Download it with \`ollama pull ${model}\`, or choose a model you have (\`ollama list\`); or run the built-in analyst.`,
      true,
      'choose-model',
    );
  }
  if (status === 401 || status === 403) {
    return new AnalystError(
      `${host} refused the request (${status} ${status === 401 ? 'unauthorized' : 'forbidden'}).`,
      context.apiKeySet
        ? 'Check the API key (hosted models on ollama.com need a valid key); or run the built-in analyst.'
        : 'Set the API key (hosted models on ollama.com need one); or run the built-in analyst.',
      true,
      'set-api-key',
    );
  }
  return new AnalystError(
    `Ollama failed${status ? ` (HTTP ${status})` : ''}: ${message}`,
    'Check the Ollama server log (`ollama serve` output), or try again; or run the built-in analyst.',
    true,
    'retry',
  );
}

/** The client's ResponseError carries the HTTP status as `status_code`. */
function statusOf(err: unknown): number | undefined {
  const status = (err as { status_code?: unknown } | null)?.status_code;
  return typeof status === 'number' ? status : undefined;
}

/** fetch reports a connection failure as `TypeError: fetch failed` with the system error as its cause. */
function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isUnreachable(inner))) return true;
  }
  return err instanceof TypeError && err.message === 'fetch failed';
}
