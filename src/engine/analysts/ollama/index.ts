export { OllamaAnalyst } from './ollamaAnalyst.js';
export { DEFAULT_OLLAMA_HOST, type OllamaAnalystOptions } from './options.js';
