// The three bundled servers pointed at a workspace, so a plain folder works with no settings:
// the repository is the workspace's git repo, logs are logs/ plus *.log / *.jsonl files,
// metrics.json and deployments.json at the root are used when present. Each can be overridden.
import fs from 'node:fs';
import path from 'node:path';
import type { LokiSource, PrometheusSource } from './backendSources.js';
import type { ResolvedServer } from './serverDefinitions.js';

export interface DataSources {
  workspace: string;
  /** Log directories, files or globs; default: `logs/` (if present) and `**\/*.{log,jsonl}`. */
  logs?: string[];
  repo?: string;
  metrics?: string;
  deployments?: string;
  /** Metrics from Prometheus instead of a file. */
  prometheus?: PrometheusSource;
  /** Logs from Grafana Loki instead of files. */
  loki?: LokiSource;
}

export interface BundledServers {
  servers: ResolvedServer[];
  /** Why a server was left out (e.g. no metrics file), for the user to read. */
  skipped: Array<{ name: string; reason: string }>;
  /** What each bundled server reads ("Prometheus http://…", "files logs/, **\/*.log"), for the user to see. */
  sources: Record<string, string>;
}

/**
 * `serversDir` holds logs.js, git.js and metrics.js. `nodePath` runs them: in VS Code that is the editor's own
 * binary, which behaves as Node when ELECTRON_RUN_AS_NODE is set. `ripgrep` is the host's rg for the logs server
 * (without it, the server looks for rg on PATH).
 */
export function bundledServers(sources: DataSources, serversDir: string, nodePath = process.execPath, ripgrep?: string): BundledServers {
  const ws = path.resolve(sources.workspace);
  const inWs = (p: string) => path.resolve(ws, p);
  const launch = (name: string, args: string[], env: Record<string, string> = {}): ResolvedServer => ({
    name,
    type: 'stdio',
    command: nodePath,
    args: [path.join(serversDir, `${name}.js`), ...args],
    env: { ELECTRON_RUN_AS_NODE: '1', ...env },
    cwd: ws,
  });
  const servers: ResolvedServer[] = [];
  const skipped: BundledServers['skipped'] = [];
  const described: BundledServers['sources'] = {};
  const shown = (p: string) => path.relative(ws, p) || '.';

  const loki = sources.loki;
  if (loki) {
    servers.push(launch('logs', ['--loki', loki.url, ...(loki.selector ? ['--loki-selector', loki.selector] : [])], loki.env));
    described.logs = `Loki ${loki.url}${loki.selector ? ` ${loki.selector}` : ''}`;
  } else {
    const logs = sources.logs?.length ? sources.logs.map(inWs) : defaultLogLocations(ws);
    servers.push(launch('logs', [...logs.flatMap((l) => ['--logs', l]), ...(ripgrep ? ['--ripgrep', ripgrep] : [])]));
    described.logs = `files ${logs.map(shown).join(', ')}`;
  }

  const repo = inWs(sources.repo ?? '.');
  const deployments = sources.deployments ? inWs(sources.deployments) : existing(path.join(ws, 'deployments.json'));
  servers.push(launch('git', ['--repo', repo, ...(deployments ? ['--deployments', deployments] : [])]));
  described.git = `repository ${shown(repo)}${deployments ? `, deployments ${shown(deployments)}` : ''}`;

  const prometheus = sources.prometheus;
  const metrics = sources.metrics ? inWs(sources.metrics) : existing(path.join(ws, 'metrics.json'));
  if (prometheus) {
    const signals = prometheus.signals ? ['--signals', inWs(prometheus.signals)] : [];
    servers.push(launch('metrics', ['--prometheus', prometheus.url, ...signals], prometheus.env));
    described.metrics = `Prometheus ${prometheus.url}`;
  } else if (metrics) {
    servers.push(launch('metrics', ['--metrics', metrics]));
    described.metrics = `file ${shown(metrics)}`;
  } else skipped.push({ name: 'metrics', reason: `no metrics.json in ${ws} (set a metrics file or a Prometheus URL to use one)` });

  return { servers, skipped, sources: described };
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
