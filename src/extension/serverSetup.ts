// Which servers a workspace gets: the bundled three over its data (settings override each location), then
// servers from the settings and, if asked, from .vscode/mcp.json. A broken definition is set aside with the
// reason, so one typo never takes the bundled servers down with it.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, parseMcpJson, resolveServers, validateDefinitions, type ResolvedServer, type ServerDefinitions } from '../engine/config/serverDefinitions.js';
import { checkBackendUrl } from '../engine/config/backendSources.js';
import { bundledServers } from '../engine/config/workspaceDefaults.js';
import type { ExtensionSettings } from './settings.js';

export interface ServerSetup {
  servers: ResolvedServer[];
  /** Servers left out, with why: shown in the Servers view. */
  skipped: Array<{ name: string; reason: string }>;
  /** Configuration mistakes the user should fix (shown once as a notification). */
  problems: string[];
  /** What each bundled server reads, for the Servers view (absent for a server replaced by the user's own). */
  sources: Record<string, string>;
}

export interface SetupInputs {
  settings: ExtensionSettings;
  workspace: string;
  serversDir: string;
  nodePath: string;
  /** VS Code's own ripgrep, for the logs server. */
  ripgrep?: string;
  env: NodeJS.ProcessEnv;
  /** False in an untrusted workspace: only bundled servers and the user's own settings run. */
  trusted: boolean;
  /** Prometheus and Loki credentials from secret storage, as the variables the servers read. */
  credentials?: { prometheus?: Record<string, string>; loki?: Record<string, string> };
}

export const WORKSPACE_MCP_JSON = path.join('.vscode', 'mcp.json');

export function serverSetup(inputs: SetupInputs): ServerSetup {
  const { settings, workspace } = inputs;
  const problems: string[] = [];
  const backend = (setting: string, url: string) => {
    const problem = url ? checkBackendUrl(`setting incidentAnalyzer.${setting}`, url) : undefined;
    if (problem) problems.push(problem);
    return url && !problem ? url : undefined;
  };
  const prometheusUrl = backend('prometheusUrl', settings.prometheusUrl);
  const lokiUrl = backend('lokiUrl', settings.lokiUrl);
  const tenant: Record<string, string> = settings.lokiTenant ? { INCIDENT_LOKI_TENANT: settings.lokiTenant } : {};
  const bundled = bundledServers(
    {
      workspace,
      logs: settings.logs.length ? settings.logs : undefined,
      repo: settings.repository || undefined,
      metrics: settings.metricsFile || undefined,
      deployments: settings.deploymentsFile || undefined,
      prometheus: prometheusUrl
        ? { url: prometheusUrl, signals: settings.prometheusSignalsFile || undefined, env: inputs.credentials?.prometheus }
        : undefined,
      loki: lokiUrl ? { url: lokiUrl, selector: settings.lokiSelector || undefined, env: { ...inputs.credentials?.loki, ...tenant } } : undefined,
    },
    inputs.serversDir,
    inputs.nodePath,
    inputs.ripgrep,
  );
  const skipped = [...bundled.skipped];

  const extra: ServerDefinitions = {};
  const collect = (read: () => ServerDefinitions) => {
    try {
      Object.assign(extra, read());
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
    }
  };
  if (settings.useWorkspaceMcpJson && inputs.trusted) {
    const file = path.join(workspace, WORKSPACE_MCP_JSON);
    if (fs.existsSync(file)) collect(() => parseMcpJson(fs.readFileSync(file, 'utf8'), WORKSPACE_MCP_JSON));
  }
  if (Object.keys(settings.servers).length) collect(() => validateDefinitions(settings.servers, 'setting incidentAnalyzer.servers'));

  const resolved: ResolvedServer[] = [];
  for (const [name, def] of Object.entries(extra)) {
    try {
      resolved.push(...resolveServers({ [name]: def }, { workspaceFolder: workspace, env: inputs.env }));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      skipped.push({ name, reason: err.message });
      problems.push(err.message);
    }
  }
  const replaced = new Set(resolved.map((s) => s.name));
  return {
    servers: [...bundled.servers.filter((s) => !replaced.has(s.name)), ...resolved],
    skipped: skipped.filter((s) => !replaced.has(s.name)),
    problems,
    sources: Object.fromEntries(Object.entries(bundled.sources).filter(([name]) => !replaced.has(name))),
  };
}

/** A stable key for a server list, to tell whether a settings change needs the servers restarted. */
export function setupKey(setup: ServerSetup): string {
  return JSON.stringify(setup.servers);
}
