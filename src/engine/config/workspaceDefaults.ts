// The three bundled servers pointed at a workspace, so a plain folder works with no settings:
// the repository is the workspace's git repo, logs are logs/ plus *.log / *.jsonl files,
// metrics.json and deployments.json at the root are used when present. Each can be overridden.
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedServer } from './serverDefinitions.js';

export interface DataSources {
  workspace: string;
  /** Log directories, files or globs; default: `logs/` (if present) and `**\/*.{log,jsonl}`. */
  logs?: string[];
  repo?: string;
  metrics?: string;
  deployments?: string;
}

export interface BundledServers {
  servers: ResolvedServer[];
  /** Why a server was left out (e.g. no metrics file), for the user to read. */
  skipped: Array<{ name: string; reason: string }>;
}

/**
 * `serversDir` holds logs.js, git.js and metrics.js. `nodePath` runs them: in VS Code that is the editor's own
 * binary, which behaves as Node when ELECTRON_RUN_AS_NODE is set. `ripgrep` is the host's rg for the logs server
 * (without it, the server looks for rg on PATH).
 */
export function bundledServers(sources: DataSources, serversDir: string, nodePath = process.execPath, ripgrep?: string): BundledServers {
  const ws = path.resolve(sources.workspace);
  const inWs = (p: string) => path.resolve(ws, p);
  const launch = (name: string, args: string[]): ResolvedServer => ({
    name,
    type: 'stdio',
    command: nodePath,
    args: [path.join(serversDir, `${name}.js`), ...args],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    cwd: ws,
  });
  const servers: ResolvedServer[] = [];
  const skipped: BundledServers['skipped'] = [];

  const logs = sources.logs?.length ? sources.logs.map(inWs) : defaultLogLocations(ws);
  servers.push(launch('logs', [...logs.flatMap((l) => ['--logs', l]), ...(ripgrep ? ['--ripgrep', ripgrep] : [])]));

  const repo = inWs(sources.repo ?? '.');
  const deployments = sources.deployments ? inWs(sources.deployments) : existing(path.join(ws, 'deployments.json'));
  servers.push(launch('git', ['--repo', repo, ...(deployments ? ['--deployments', deployments] : [])]));

  const metrics = sources.metrics ? inWs(sources.metrics) : existing(path.join(ws, 'metrics.json'));
  if (metrics) servers.push(launch('metrics', ['--metrics', metrics]));
  else skipped.push({ name: 'metrics', reason: `no metrics.json in ${ws} (set a metrics file to use one)` });

  return { servers, skipped };
}

function defaultLogLocations(ws: string): string[] {
  const locations = [path.join(ws, '**', '*.{log,jsonl}')];
  const logsDir = path.join(ws, 'logs');
  if (fs.existsSync(logsDir) && fs.statSync(logsDir).isDirectory()) locations.unshift(logsDir);
  return locations;
}

function existing(file: string): string | undefined {
  return fs.existsSync(file) ? file : undefined;
}
