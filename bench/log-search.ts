// Log search at scale: search_logs through the real logs server over stdio on the generated 1 GB log, against
// `rg -F` and `grep -F` on the same file in the same run (file in the page cache for all; median of 3).
// The needle is on a known number of lines; the page is large enough to hold them all, so the server reads the
// whole file. Also: time to the first page of 50 matches, and the server's peak memory.
// Usage: npm run build && npx tsx bench/log-search.ts [--mb 1024]   (needs rg and grep on PATH)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { median, msSince as ms, writeResult } from './support.js';

const root = path.resolve(__dirname, '..');
const i = process.argv.indexOf('--mb');
const MB = i > 0 ? Number(process.argv[i + 1]) : 1024;
const RUNS = 3;

async function main(): Promise<void> {
  const generator = './generate/bigLog.mjs';
  const { ensureBigLog, NEEDLE } = (await import(generator)) as { NEEDLE: string; ensureBigLog(file: string, mb: number): { lines: number; bytes: number; needles: number } };
  fs.mkdirSync(path.join(root, 'bench', 'data'), { recursive: true });
  const file = path.join(root, 'bench', 'data', `app-${MB}mb.log`);
  const log = ensureBigLog(file, MB);
  const timeCommand = (cmd: string, args: string[]) => {
    execFileSync(cmd, args, { stdio: 'ignore' }); // warm the page cache
    const times: number[] = [];
    let out = '';
    for (let r = 0; r < RUNS; r++) {
      const t = process.hrtime.bigint();
      out = execFileSync(cmd, args, { encoding: 'utf8' });
      times.push(ms(t));
    }
    return { ms: median(times), count: Number(out.trim()) };
  };
  const rg = timeCommand('rg', ['-F', '-c', NEEDLE, file]);
  const grep = timeCommand('grep', ['-F', '-c', NEEDLE, file]);

  const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(root, 'dist', 'servers', 'logs.js'), '--logs', file], stderr: 'ignore' });
  const client = new Client({ name: 'bench-search', version: '0' });
  await client.connect(transport);
  const call = async (args: Record<string, unknown>) => {
    const t = process.hrtime.bigint();
    const out = await client.callTool({ name: 'search_logs', arguments: { pattern: NEEDLE, case_sensitive: true, ...args } }, undefined, { timeout: 10 * 60_000 });
    if (out.isError) throw new Error(JSON.stringify(out.content).slice(0, 300));
    return { ms: ms(t), s: out.structuredContent as { matches: unknown[]; total: number; totalIsExact: boolean } };
  };
  await call({ max_results: 500 }); // warm
  const full: number[] = [];
  let found = 0;
  for (let r = 0; r < RUNS; r++) {
    const { ms: t, s } = await call({ max_results: 500 });
    full.push(t);
    found = s.matches.length;
  }
  const first: number[] = [];
  let firstPage = { matches: 0, total: 0, exact: false };
  for (let r = 0; r < RUNS; r++) {
    const { ms: t, s } = await call({ max_results: 50 });
    first.push(t);
    firstPage = { matches: s.matches.length, total: s.total, exact: s.totalIsExact };
  }
  const status = fs.readFileSync(`/proc/${transport.pid}/status`, 'utf8');
  const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
  await client.close();
  if (found !== log.needles || rg.count !== log.needles || grep.count !== log.needles) {
    throw new Error(`match counts differ: expected ${log.needles}, server ${found}, rg ${rg.count}, grep ${grep.count}`);
  }
  const r1 = (x: number) => Math.round(x * 10) / 10;
  writeResult('log-search', {
    file: { megabytes: Math.round(log.bytes / 1048576), lines: log.lines, needleLines: log.needles },
    engine: 'JavaScript (streaming)',
    rgMs: Math.round(rg.ms),
    grepMs: Math.round(grep.ms),
    searchLogsFullScanMs: Math.round(median(full)),
    ratioToRg: r1(median(full) / rg.ms),
    ratioToGrep: r1(median(full) / grep.ms),
    firstPageOf50Ms: Math.round(median(first)),
    firstPage,
    serverPeakRssMb: peakRssMb,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
