// The MCP catalog as function tools for a model. Models only accept names like `[a-zA-Z0-9_-]{1,64}`, while clashing
// catalog names are qualified `server.tool`, so such names are mapped (`server__tool`) and mapped back.
import type { CatalogTool } from '../../mcp/clientManager.js';
import type { ChatToolDefinition } from './chatModel.js';

const VALID_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ModelTools {
  /** What the chat request carries as `tools`. */
  definitions: ChatToolDefinition[];
  /** The catalog entry for a name the model used (its mapped name, or the catalog name itself). */
  resolve(modelName: string): CatalogTool | undefined;
  /** The names the model can call, for telling it when it used an unknown one. */
  names(): string[];
}

export function modelTools(catalog: CatalogTool[]): ModelTools {
  const byModelName = new Map<string, CatalogTool>();
  for (const entry of catalog) byModelName.set(uniqueName(functionNameFor(entry.name), byModelName), entry);
  const byCatalogName = new Map(catalog.map((entry) => [entry.name, entry]));
  const definitions: ChatToolDefinition[] = [...byModelName].map(([name, entry]) => ({
    name,
    description: entry.description || `${entry.tool} (from the ${entry.server} server)`,
    parameters: entry.inputSchema,
  }));
  return {
    definitions,
    resolve: (name) => byModelName.get(name) ?? byCatalogName.get(name),
    names: () => [...byModelName.keys()],
  };
}

export function functionNameFor(catalogName: string): string {
  if (VALID_FUNCTION_NAME.test(catalogName)) return catalogName;
  const mapped = catalogName.replace(/\./g, '__').replace(/[^a-zA-Z0-9_-]/g, '_');
  return (mapped || 'tool').slice(0, 64);
}

function uniqueName(name: string, taken: Map<string, unknown>): string {
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = name.slice(0, 64 - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
