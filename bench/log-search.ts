// Log search at scale: search_logs through the real logs server over stdio on the generated 1 GB log, with each
// engine (ripgrep; JavaScript with --ripgrep off), against `rg -F` and `grep -F` on the same file in the same run
// (file in the page cache for all; median of 5). Two rg baselines: `rg -F -c` only counts; `rg -F -n` prints the
// matching lines with their numbers, which is the job search_logs does (numbering lines costs rg about a third). The needle is on a known number of lines and the page holds them
// all, so every search reads the whole file. Also: time to the first page of 50 matches of a frequent line, with
// and without counting the rest, and each server's peak memory.
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
const RUNS = 5;
/** About one line in twelve: a page of 50 fills in the first few kilobytes. */
const FREQUENT = 'INFO [api] GET /api/products/';

interface Structured {
  matches: unknown[];
  total: number;
  totalIsExact: boolean;
  engine: string;
}

async function startLogsServer(file: string, ripgrep: string) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(root, 'dist', 'servers', 'logs.js'), '--logs', file, '--ripgrep', ripgrep],
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-search', version: '0' });
  await client.connect(transport);
  const call = async (args: Record<string, unknown>) => {
    const t = process.hrtime.bigint();
    const out = await client.callTool({ name: 'search_logs', arguments: args }, undefined, { timeout: 10 * 60_000 });
    if (out.isError) throw new Error(JSON.stringify(out.content).slice(0, 300));
    return { ms: ms(t), s: out.structuredContent as unknown as Structured };
  };
  const peakRssMb = () => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${transport.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  return { call, peakRssMb, close: () => client.close() };
}

function timeCommand(cmd: string, args: string[]) {
  const t = process.hrtime.bigint();
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
  return { ms: ms(t), count: args.includes('-c') ? Number(out) : out.split('\n').length };
}

async function main(): Promise<void> {
  const generator = './generate/bigLog.mjs';
  const { ensureBigLog, NEEDLE } = (await import(generator)) as { NEEDLE: string; ensureBigLog(file: string, mb: number): { lines: number; bytes: number; needles: number } };
  fs.mkdirSync(path.join(root, 'bench', 'data'), { recursive: true });
  const file = path.join(root, 'bench', 'data', `app-${MB}mb.log`);
  const log = ensureBigLog(file, MB);
  const rgPath = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();

  const servers = { ripgrep: await startLogsServer(file, rgPath), javascript: await startLogsServer(file, 'off') };
  const needleArgs = { pattern: NEEDLE, case_sensitive: true, max_results: 500 };
  const times: Record<string, number[]> = { rg: [], rgN: [], grep: [], ripgrep: [], javascript: [], rgI: [], ripgrepI: [], javascriptI: [] };
  const counts = new Set<string>();
  execFileSync('cat', [file], { stdio: 'ignore' }); // warm the page cache
  for (const server of Object.values(servers)) await server.call(needleArgs); // warm each server

  // Interleaved, so a noisy moment hits every contender alike.
  for (let r = 0; r < RUNS; r++) {
    const rg = timeCommand('rg', ['-F', '-c', NEEDLE, file]);
    const rgN = timeCommand('rg', ['-F', '-n', NEEDLE, file]);
    times.rgN!.push(rgN.ms);
    counts.add(`rg -n ${rgN.count}`);
    const grep = timeCommand('grep', ['-F', '-c', NEEDLE, file]);
    const rgI = timeCommand('rg', ['-F', '-i', '-c', NEEDLE, file]);
    times.rg!.push(rg.ms);
    times.grep!.push(grep.ms);
    times.rgI!.push(rgI.ms);
    counts.add(`rg ${rg.count}`).add(`grep ${grep.count}`).add(`rg -i ${rgI.count}`);
    for (const [engine, server] of Object.entries(servers)) {
      const exact = await server.call(needleArgs);
      const anyCase = await server.call({ ...needleArgs, case_sensitive: false });
      if (exact.s.engine !== engine) throw new Error(`asked for ${engine}, the server used ${exact.s.engine}`);
      times[engine]!.push(exact.ms);
      times[`${engine}I`]!.push(anyCase.ms);
      counts.add(`${engine} ${exact.s.matches.length}`).add(`${engine} -i ${anyCase.s.matches.length}`);
    }
  }
  const expected = [...counts].every((c) => c.endsWith(` ${log.needles}`));
  if (!expected) throw new Error(`match counts differ: expected ${log.needles} everywhere, got ${[...counts].join(', ')}`);

  // Time to the first page of 50 of a frequent line: stopping at the page, and counting the rest (the default).
  const firstPage: Record<string, unknown> = {};
  for (const [engine, server] of Object.entries(servers)) {
    for (const count of [false, true]) {
      const runs: number[] = [];
      let last: Structured | undefined;
      for (let r = 0; r < RUNS; r++) {
        const { ms: t, s } = await server.call({ pattern: FREQUENT, case_sensitive: true, max_results: 50, count });
        runs.push(t);
        last = s;
      }
      firstPage[`${engine}${count ? 'Counting' : 'Stopping'}Ms`] = Math.round(median(runs) * 10) / 10;
      firstPage[`${engine}${count ? 'Counting' : 'Stopping'}Total`] = `${last!.totalIsExact ? '' : '≥ '}${last!.total}`;
    }
  }
  const peak = { ripgrep: servers.ripgrep.peakRssMb(), javascript: servers.javascript.peakRssMb() };
  for (const server of Object.values(servers)) await server.close();

  const m = (k: string) => median(times[k]!);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  writeResult('log-search', {
    file: { megabytes: Math.round(log.bytes / 1048576), lines: log.lines, needleLines: log.needles },
    baselinesMs: { rg: Math.round(m('rg')), rgLineNumbers: Math.round(m('rgN')), grep: Math.round(m('grep')), rgIgnoreCase: Math.round(m('rgI')) },
    ripgrepEngine: {
      fullScanMs: Math.round(m('ripgrep')),
      ratioToRg: r1(m('ripgrep') / m('rg')),
      ratioToRgLineNumbers: r1(m('ripgrep') / m('rgN')),
      ignoreCaseMs: Math.round(m('ripgrepI')),
      ignoreCaseRatioToRg: r1(m('ripgrepI') / m('rgI')),
      serverPeakRssMb: peak.ripgrep,
    },
    javascriptEngine: {
      fullScanMs: Math.round(m('javascript')),
      ratioToRg: r1(m('javascript') / m('rg')),
      ratioToRgLineNumbers: r1(m('javascript') / m('rgN')),
      ratioToGrep: r1(m('javascript') / m('grep')),
      ignoreCaseMs: Math.round(m('javascriptI')),
      ignoreCaseRatioToRg: r1(m('javascriptI') / m('rgI')),
      serverPeakRssMb: peak.javascript,
    },
    firstPageOf50: { pattern: FREQUENT, ...firstPage },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
