// Starts the three bundled MCP servers on a fixture scenario and asks each a few questions over stdio,
// the way any MCP client would. Usage: node scripts/demo-servers.mjs fixtures/checkout-500
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

const scenarioDir = path.resolve(process.argv[2] ?? 'fixtures/checkout-500');
const scenarioFile = path.join(scenarioDir, 'scenario.json');
if (!fs.existsSync(scenarioFile)) {
  console.error(`No scenario at ${scenarioDir}: give a folder under fixtures/ that has scenario.json.`);
  process.exit(2);
}
const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
const dist = path.resolve('dist', 'servers');

const servers = {
  logs: ['--logs', path.join(scenarioDir, 'logs')],
  git: ['--repo', path.join(scenarioDir, 'repo'), '--deployments', path.join(scenarioDir, 'deployments.json')],
  metrics: ['--metrics', path.join(scenarioDir, 'metrics.json')],
};

async function connect(name, args) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(dist, `${name}.js`), ...args],
    env: getDefaultEnvironment(),
    stderr: 'pipe',
  });
  const client = new Client({ name: 'incident-analyzer-demo', version: '0.1.0' });
  await client.connect(transport);
  return client;
}

function show(title, result) {
  const text = result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
  const lines = text.split('\n');
  const shown = lines.slice(0, 14).join('\n');
  console.log(`\n── ${title}${result.isError ? ' (error)' : ''}\n${shown}${lines.length > 14 ? `\n… (${lines.length - 14} more lines)` : ''}`);
}

console.log(`Incident: "${scenario.incident}" (${path.basename(scenarioDir)})`);
const started = Date.now();
const clients = Object.fromEntries(
  await Promise.all(Object.entries(servers).map(async ([name, args]) => [name, await connect(name, args)])),
);
for (const [name, client] of Object.entries(clients)) {
  const { tools } = await client.listTools();
  console.log(`[${name}] ready: ${tools.map((t) => t.name).join(', ')}`);
}
console.log(`3 servers ready in ${Date.now() - started} ms`);

const since = scenario.window?.since;
const call = (server, name, args = {}) => clients[server].callTool({ name, arguments: args });
show('metrics.get_anomalies', await call('metrics', 'get_anomalies', since ? { since } : {}));
show('git.get_deployments', await call('git', 'get_deployments'));
show('logs.log_patterns (errors, new or spiking since the window start)', await call('logs', 'log_patterns', { since, level: 'error', max_templates: 5 }));
show('logs.search_logs "pool"', await call('logs', 'search_logs', { pattern: 'pool', level: 'error', max_results: 3 }));

await Promise.all(Object.values(clients).map((c) => c.close()));
