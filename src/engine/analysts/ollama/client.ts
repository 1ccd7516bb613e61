// An Ollama client for one analysis: the API key as a bearer header, and every request tied to the run's signal.
import { Ollama } from 'ollama';

export function createOllamaClient(host: string, apiKey: string | undefined, signal: AbortSignal): Ollama {
  const headers: Record<string, string> = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
  // The client can abort only streams it has already opened; passing the run's signal to fetch also stops
  // a request still waiting for its response headers, and the non-streamed calls.
  const fetchWithRunSignal: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  return new Ollama({ host, headers, fetch: fetchWithRunSignal });
}
