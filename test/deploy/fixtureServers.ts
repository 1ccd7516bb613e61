// The four bundled servers in service mode on the checkout-500 fixture (the incidents server on a throwaway
// workspace), as the deploy tests and the HTTP bench start them; the tool calls the deploy tests make on them; the
// metric names a PromQL expression reads. Starting, connecting and scraping are test/support/httpServers.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectHttp, startHttpServer, type HttpServerProcess, type ServerName } from '../support/httpServers';
import { fixturesDir, repoRoot } from '../support/servers';

export { repoRoot };
export type { ServerName };
export const deployDir = path.join(repoRoot, 'deploy');
const fixture = path.join(fixturesDir, 'checkout-500');

export const SERVER_NAMES: readonly ServerName[] = ['logs', 'git', 'metrics', 'incidents'];

/** How many tools each server offers (its /health `tools`). */
export const TOOL_COUNTS: Record<ServerName, number> = { logs: 5, git: 5, metrics: 5, incidents: 9 };

/** The data the read-only servers read: the checkout-500 fixture (its git repo is built by `npm run fixtures`). */
export function dataArgs(name: Exclude<ServerName, 'incidents'>): string[] {
  switch (name) {
    case 'logs':
      return ['--logs', path.join(fixture, 'logs')];
    case 'git':
      return ['--repo', path.join(fixture, 'repo')];
    case 'metrics':
      return ['--metrics', path.join(fixture, 'metrics.json')];
  }
}

/**
 * Starts a server on its fixture data, with the token when one is given. The incidents server writes its journals
 * into a fresh temporary workspace, removed when it stops.
 */
export async function startFixtureServer(name: ServerName, options: { token?: string } = {}): Promise<HttpServerProcess> {
  const env: Record<string, string> = options.token ? { INCIDENT_MCP_TOKEN: options.token } : {};
  if (name !== 'incidents') return startHttpServer(name, dataArgs(name), env);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-incidents-'));
  try {
    const server = await startHttpServer(name, ['--workspace', workspace], env);
    const stop = server.stop;
    return { ...server, stop: () => stop().finally(() => fs.rmSync(workspace, { recursive: true, force: true })) };
  } catch (err) {
    fs.rmSync(workspace, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The tool calls each deploy test makes on each server: cheap, real, none that changes anything outside the
 * server's own data, and one that fails on purpose (an unknown commit, an unknown incident).
 */
export const CALLS: Record<ServerName, Array<{ tool: string; args: Record<string, unknown>; fails?: boolean }>> = {
  logs: [
    { tool: 'list_log_files', args: {} },
    { tool: 'search_logs', args: { pattern: 'timeout', max_results: 5 } },
    { tool: 'search_logs', args: { pattern: 'ERROR', max_results: 5, count: false } },
  ],
  git: [
    { tool: 'get_recent_commits', args: { limit: 5 } },
    { tool: 'get_recent_commits', args: { limit: 2 } },
    { tool: 'search_commits', args: { query: 'checkout', limit: 3 } },
    { tool: 'get_commit', args: { hash: 'deadbeefdeadbeef' }, fails: true },
  ],
  metrics: [
    { tool: 'list_metrics', args: {} },
    { tool: 'list_metrics', args: { limit: 5 } },
    { tool: 'get_error_rates', args: {} },
  ],
  incidents: [
    { tool: 'create_incident', args: { title: 'Checkout 500s', severity: 'SEV2', service: 'checkout', summary: 'deploy test' } },
    { tool: 'list_incidents', args: {} },
    { tool: 'list_incidents', args: { status: 'investigating', limit: 5 } },
    { tool: 'get_incident', args: { id: 'INC-999999' }, fails: true },
  ],
};

/** Expected `server/tool` → [calls, errors] after every call in CALLS was made `times` times. */
export function expectedCounts(times = 1): Map<string, { calls: number; errors: number }> {
  const counts = new Map<string, { calls: number; errors: number }>();
  for (const name of SERVER_NAMES) {
    for (const call of CALLS[name]) {
      const key = `${name}/${call.tool}`;
      const c = counts.get(key) ?? { calls: 0, errors: 0 };
      c.calls += times;
      if (call.fails) c.errors += times;
      counts.set(key, c);
    }
  }
  return counts;
}

/** Makes every call of CALLS[server.name] in one session; throws when a call's outcome is not the one expected. */
export async function makeCalls(server: HttpServerProcess, token?: string): Promise<void> {
  const session = await connectHttp(server.url, token, 'incident-analyzer-deploy-tests');
  try {
    for (const { tool, args, fails } of CALLS[server.name]) {
      const result = await session.call(tool, args);
      if (Boolean(result.isError) !== Boolean(fails)) {
        const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
        throw new Error(`${server.name} ${tool}: expected ${fails ? 'an error' : 'success'}, got ${result.isError ? 'an error' : 'success'}: ${text.slice(0, 300)}`);
      }
    }
  } finally {
    await session.close();
  }
}

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, keywords, label names (inside
 * `{…}` or a `by`/`without`/`on`/`ignoring`/`group_*` list), durations, numbers or strings. Grafana variables
 * (`$server`, `$__rate_interval`) only occur inside those and go with them.
 */
export function metricNamesIn(expr: string): string[] {
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings
    .replace(/#[^\n]*/g, ' ') // comments
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  s = s.replace(/\boffset\s+-?[0-9a-z]+/g, ' ');
  const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
  const names = new Set<string>();
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = s.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith('(')) continue; // a function or aggregation
    if (keywords.has(m[0].toLowerCase())) continue;
    if (m.index! > 0 && /[0-9.]/.test(s[m.index! - 1]!)) continue; // 1e3, 5m
    names.add(m[0]);
  }
  return [...names].sort();
}
