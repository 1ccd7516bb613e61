// The part of the extension that needs the engine (the MCP SDK, zod, the Ollama client): bundled apart as
// dist/engine.js and loaded after activation or at the first command that needs it, so activating stays cheap.
export { AnalysisSession } from './analysisSession.js';
export { serverSetup } from './serverSetup.js';
export { AnalystError } from '../engine/analysis/analyst.js';
export { listOllamaModels } from '../engine/analysts/ollama/models.js';
export { IncidentsClient } from './incidents/incidentsClient.js';
export { databaseTarget } from '../../mcp-servers/incidents/store/databaseUrl.js';
// The vscode.lm adapter is bundled here, with the engine, so the AnalystErrors it makes are the class the run knows.
export { listVscodeChatModels, vscodeChatModels } from './lm/vscodeChatModels.js';
export { selectorFor } from './lm/modelSelector.js';
