// Pattern mining at scale: log_patterns through the real logs server over stdio on a generated log (1 GB by
// default), against reading the same file with `wc -l` in the same run. Lines per second, and the server's peak
// memory at full size and at a quarter of it (bounded by templates, it should not grow with the lines).
// Usage: npm run build && npx tsx bench/log-patterns.ts [--mb 1024]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { msSince as ms, writeResult } from './support.js';

const root = path.resolve(__dirname, '..');
const i = process.argv.indexOf('--mb');
const MB = i > 0 ? Number(process.argv[i + 1]) : 1024;

/** The process's peak resident memory (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

async function mine(file: string): Promise<{ ms: number; templates: number; peakRssMb: number }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(root, 'dist', 'servers', 'logs.js'), '--logs', file], stderr: 'ignore' });
  const client = new Client({ name: 'bench-patterns', version: '0' });
  await client.connect(transport);
  const t = process.hrtime.bigint();
  const out = await client.callTool({ name: 'log_patterns', arguments: { max_templates: 200 } }, undefined, { timeout: 30 * 60_000 });
  const elapsed = ms(t);
  if (out.isError) throw new Error(JSON.stringify(out.content).slice(0, 300));
  const peak = peakRssMb(transport.pid!);
  await client.close();
  return { ms: elapsed, templates: ((out.structuredContent as { templates?: unknown[] })?.templates ?? []).length, peakRssMb: peak };
}

async function main(): Promise<void> {
  const generator = './generate/bigLog.mjs';
  const { ensureBigLog } = (await import(generator)) as { ensureBigLog(file: string, mb: number): { lines: number; bytes: number; built: boolean } };
  fs.mkdirSync(path.join(root, 'bench', 'data'), { recursive: true });
  const full = ensureBigLog(path.join(root, 'bench', 'data', `app-${MB}mb.log`), MB);
  const quarter = ensureBigLog(path.join(root, 'bench', 'data', `app-${MB / 4}mb.log`), MB / 4);
  const fullFile = path.join(root, 'bench', 'data', `app-${MB}mb.log`);
  const tw = process.hrtime.bigint();
  execFileSync('wc', ['-l', fullFile], { stdio: 'ignore' });
  const wcMs = ms(tw);
  const small = await mine(path.join(root, 'bench', 'data', `app-${MB / 4}mb.log`));
  const big = await mine(fullFile);
  writeResult('log-patterns', {
    file: { megabytes: Math.round(full.bytes / 1048576), lines: full.lines },
    logPatterns: {
      seconds: Math.round(big.ms / 100) / 10,
      linesPerSecond: Math.round(full.lines / (big.ms / 1000)),
      templates: big.templates,
      peakRssMb: big.peakRssMb,
      ratioToWcL: Math.round((big.ms / wcMs) * 10) / 10,
    },
    baselineWcLMs: Math.round(wcMs),
    quarterSize: { lines: quarter.lines, linesPerSecond: Math.round(quarter.lines / (small.ms / 1000)), peakRssMb: small.peakRssMb },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
