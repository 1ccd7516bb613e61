// The servers of a run: the bundled three over the workspace, plus any from an mcp.json; a definition with
// the same name as a bundled server replaces it.
import fs from 'node:fs';
import { ConfigError, parseMcpJson, resolveServers, type ResolvedServer, type ServerDefinitions } from './serverDefinitions.js';
import { bundledServers, type DataSources } from './workspaceDefaults.js';

export interface ServerListOptions {
  sources: DataSources;
  /** Folder holding the bundled servers (logs.js, git.js, metrics.js). */
  serversDir: string;
  nodePath?: string;
  /** Further definitions, e.g. read from an mcp.json. */
  extra?: ServerDefinitions;
  env?: NodeJS.ProcessEnv;
}

export function buildServerList(options: ServerListOptions): { servers: ResolvedServer[]; skipped: Array<{ name: string; reason: string }> } {
  const bundled = bundledServers(options.sources, options.serversDir, options.nodePath);
  const extra = resolveServers(options.extra ?? {}, { workspaceFolder: options.sources.workspace, env: options.env ?? process.env });
  const replaced = new Set(extra.map((s) => s.name));
  return {
    servers: [...bundled.servers.filter((s) => !replaced.has(s.name)), ...extra],
    skipped: bundled.skipped.filter((s) => !replaced.has(s.name)),
  };
}

export function readMcpJsonFile(file: string): ServerDefinitions {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`cannot read ${file}; check the path given to --config.`);
  }
  return parseMcpJson(text, file);
}
