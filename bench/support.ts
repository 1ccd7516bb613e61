// What every benchmark script shares: timing helpers and writing its result, stamped with the machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCH_ROOT = path.resolve(__dirname, '..');

/** Milliseconds since `start` (from process.hrtime.bigint()). */
export const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Writes bench/results/<name>.json with the machine and time, prints it, and returns it. */
export function writeResult(name: string, figures: Record<string, unknown>): Record<string, unknown> {
  const out = { machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`, at: new Date().toISOString(), ...figures };
  const dir = path.join(BENCH_ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));
  return out;
}

/** RSS in kB of `pid` and all its descendants. */
export function treeRssKb(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      rss.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}
