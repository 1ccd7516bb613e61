// Which of our servers VS Code's chat is offered, and in what form. Offered: the bundled servers and those of the
// incidentAnalyzer.servers setting, exactly as our own analysis runs them; not those of .vscode/mcp.json, which
// VS Code lists by itself. VS Code keeps listed definitions on disk (to show servers before the extension
// activates), so a listing carries no environment variables or headers, where credentials live: those are handed
// over only at launch.
import { createHmac } from 'node:crypto';
import type { ResolvedServer } from '../engine/config/serverDefinitions.js';
import type { ServerSetup } from './serverSetup.js';

export type ListedServer =
  | { label: string; type: 'stdio'; command: string; args: string[]; cwd?: string; version: string }
  | { label: string; type: 'http'; url: string; version: string };

export interface OfferedServers {
  listed: ListedServer[];
  /** The full definitions (environment, headers) by label, for the launch. */
  launch: Map<string, ResolvedServer>;
}

/**
 * `fromSettings`: the server names of the incidentAnalyzer.servers setting. `versionKey`: keys the version hash,
 * so a listed version, which changes when a credential does, says nothing about the credential.
 */
export function offeredServers(setup: ServerSetup, fromSettings: readonly string[], versionKey: string): OfferedServers {
  const bundled = new Set(Object.keys(setup.sources)); // bundled servers not replaced by the user's own
  const ours = setup.servers.filter((s) => bundled.has(s.name) || fromSettings.includes(s.name));
  const version = (s: ResolvedServer) => createHmac('sha256', versionKey).update(JSON.stringify(s)).digest('hex').slice(0, 16);
  return {
    listed: ours.map((s): ListedServer =>
      s.type === 'http'
        ? { label: s.name, type: 'http', url: s.url, version: version(s) }
        : { label: s.name, type: 'stdio', command: s.command, args: s.args, ...(s.cwd ? { cwd: s.cwd } : {}), version: version(s) },
    ),
    launch: new Map(ours.map((s) => [s.name, s])),
  };
}
