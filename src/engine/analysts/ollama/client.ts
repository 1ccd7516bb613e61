// An Ollama client for one analysis: the API key as a bearer header, and every request tied to the run's signal.
// The key goes only where it cannot be read on the way: over https, or over plain http to this machine; anything
// else needs an explicit setting (a person deciding that their network is private).
import { Ollama } from 'ollama';
import { AnalystError } from '../../analysis/analyst.js';
import { displayHost } from './options.js';

export function createOllamaClient(host: string, apiKey: string | undefined, signal: AbortSignal, allowKeyOverHttp = false): Ollama {
  if (apiKey && !allowKeyOverHttp && !keyIsSafeTo(host)) {
    throw new AnalystError(
      `The Ollama API key would be sent unencrypted to ${displayHost(host)}.`,
      'Use an https:// host (or a tunnel to 127.0.0.1), remove the key, or allow it explicitly: ' +
        'setting incidentAnalyzer.allowApiKeyOverHttp, or OLLAMA_ALLOW_KEY_OVER_HTTP=1 for the CLI.',
      true,
      'set-api-key',
    );
  }
  const headers: Record<string, string> = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
  // The client can abort only streams it has already opened; passing the run's signal to fetch also stops
  // a request still waiting for its response headers, and the non-streamed calls.
  const fetchWithRunSignal: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  return new Ollama({ host, headers, fetch: fetchWithRunSignal });
}

/** https anywhere, or http to a loopback address (the key never leaves the machine). */
export function keyIsSafeTo(host: string): boolean {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  const name = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
