// The models an Ollama host has, for a picker. Errors come back explained, like the analyst's.
import { createOllamaClient } from './client.js';
import { explainOllamaError } from './explainError.js';

export interface OllamaModelInfo {
  name: string;
  sizeBytes?: number;
  parameterSize?: string;
  modifiedAt?: string;
}

export async function listOllamaModels(host: string, apiKey: string | undefined, timeoutMs = 5000, allowKeyOverHttp = false): Promise<OllamaModelInfo[]> {
  const client = createOllamaClient(host, apiKey, AbortSignal.timeout(timeoutMs), allowKeyOverHttp);
  try {
    const { models } = await client.list();
    return models
      .map((m) => ({ name: m.name, sizeBytes: m.size, parameterSize: m.details?.parameter_size, modifiedAt: m.modified_at ? String(m.modified_at) : undefined }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    throw explainOllamaError(err, { host, model: '', apiKeySet: Boolean(apiKey) });
  }
}
