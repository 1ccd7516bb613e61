// MCP overhead: the round trip of a trivial tool call through the engine's client manager against a bare SDK
// Client on the same kind of server, in the same process, interleaved in blocks so machine noise hits both;
// and the cold start of the three bundled servers until every tool list is in, against starting a bare Node.
// Usage: npm run build && npm run fixtures && npx tsx bench/mcp-overhead.ts [--calls 10000]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildServerList } from '../src/engine/config/serverList.js';
import { McpClientManager } from '../src/engine/mcp/clientManager.js';
import { median, msSince as ms, writeResult } from './support.js';

const root = path.resolve(__dirname, '..');
const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = flag('--calls', 10_000);
const BLOCK = 1000;
const COLD_RUNS = flag('--cold-runs', 7);
const echoServer = [path.join(root, 'test', 'support', 'misbehaving-server.mjs'), 'ok'];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function roundTrips(): Promise<Record<string, number>> {
  const bare = new Client({ name: 'bench-bare', version: '0' });
  await bare.connect(new StdioClientTransport({ command: process.execPath, args: echoServer, stderr: 'ignore' }));
  const manager = new McpClientManager([{ name: 'echo', type: 'stdio', command: process.execPath, args: echoServer, env: {} }]);
  await manager.start();
  const args = { text: 'ping' };
  const timings = { bare: [] as number[], manager: [] as number[] };
  const runBlock = async (who: 'bare' | 'manager', n: number, record: boolean) => {
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      if (who === 'bare') await bare.callTool({ name: 'echo', arguments: args });
      else await manager.callTool('echo', args);
      if (record) timings[who].push(ms(t));
    }
  };
  await runBlock('bare', 300, false); // warm up both: JIT, buffers
  await runBlock('manager', 300, false);
  for (let done = 0; done < CALLS; done += BLOCK) {
    const n = Math.min(BLOCK, CALLS - done);
    // alternate which goes first, so neither always gets the warmer machine
    const order: Array<'bare' | 'manager'> = (done / BLOCK) % 2 === 0 ? ['bare', 'manager'] : ['manager', 'bare'];
    for (const who of order) await runBlock(who, n, true);
  }
  await bare.close();
  await manager.stop();
  const sorted = { bare: [...timings.bare].sort((a, b) => a - b), manager: [...timings.manager].sort((a, b) => a - b) };
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    calls: CALLS,
    bareP50Ms: r(quantile(sorted.bare, 0.5)),
    bareP99Ms: r(quantile(sorted.bare, 0.99)),
    managerP50Ms: r(quantile(sorted.manager, 0.5)),
    managerP99Ms: r(quantile(sorted.manager, 0.99)),
    p50Ratio: r(quantile(sorted.manager, 0.5) / quantile(sorted.bare, 0.5)),
    p99Ratio: r(quantile(sorted.manager, 0.99) / quantile(sorted.bare, 0.99)),
  };
}

async function coldStart(): Promise<Record<string, number>> {
  const workspace = path.join(root, 'fixtures', 'checkout-500');
  const { servers } = buildServerList({ sources: { workspace, repo: path.join(workspace, 'repo') }, serversDir: path.join(root, 'dist', 'servers') });
  const starts: number[] = [];
  const nodes: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }); // baseline: one bare Node start
    nodes.push(ms(t0));
    const t = process.hrtime.bigint();
    const manager = new McpClientManager(servers);
    const statuses = await manager.start();
    starts.push(ms(t));
    if (!statuses.every((s) => s.state === 'ready' && s.toolCount > 0)) throw new Error(`a server did not start: ${JSON.stringify(statuses)}`);
    await manager.stop();
  }
  const r = (x: number) => Math.round(x);
  return { servers: servers.length, coldStartMedianMs: r(median(starts)), bareNodeStartMedianMs: r(median(nodes)), ratioToBareNode: Math.round((median(starts) / median(nodes)) * 100) / 100 };
}

async function main(): Promise<void> {
  const roundTrip = await roundTrips();
  const cold = await coldStart();
  writeResult('mcp-overhead', { roundTrip, coldStart: cold });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
