// `logs.js patterns FILE [--assignments] [--json]`: runs the template miner over one file from the command line.
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { assignments, defaultMinerOptions, mineFile, type MinerOptions } from './patterns/index.js';

const USAGE = `usage: logs.js patterns FILE [--assignments] [--json] [--set NAME=VALUE ...]
  (default)      templates sorted by line count: count, id, template
  --assignments  one JSON line per input line: {"line": N, "template_id": "...", "template": "..."}
  --json         templates as JSON lines: {"template_id": "...", "count": N, "template": "..."}
  --set          a miner option (numeric), e.g. --set similarityThreshold=0.65; options: ${Object.keys(defaultMinerOptions).join(', ')}
`;

export async function runPatternsCli(args: string[], out: Writable = process.stdout): Promise<number> {
  const files: string[] = [];
  let wantAssignments = false;
  let wantJson = false;
  const options: Partial<MinerOptions> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--set') {
      const setting = args[++i] ?? '';
      const eq = setting.indexOf('=');
      const name = setting.slice(0, eq);
      const value = Number(setting.slice(eq + 1));
      if (eq < 0 || !(name in defaultMinerOptions) || Number.isNaN(value) || setting.slice(eq + 1).trim() === '') {
        return usageError(`--set wants NAME=NUMBER with a known option, got "${setting}"`);
      }
      options[name as keyof MinerOptions] = value;
    } else if (arg === '--assignments') wantAssignments = true;
    else if (arg === '--json') wantJson = true;
    else if (arg === '--help' || arg === '-h') {
      process.stderr.write(USAGE);
      return 0;
    } else if (arg.startsWith('--')) return usageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1) return usageError(files.length === 0 ? 'no FILE given' : 'give exactly one FILE');
  const file = files[0]!;
  try {
    if (!(await stat(file)).isFile()) return usageError(`${file} is not a file`);
  } catch {
    return usageError(`cannot read ${file}: no such file`);
  }

  const mined = await mineFile(file, options);
  const writer = new BufferedWriter(out);
  if (wantAssignments) {
    for (const a of assignments(mined)) await writer.write(JSON.stringify(a) + '\n');
  } else {
    const sorted = mined.miner.templates().sort((a, b) => b.count - a.count);
    for (const t of sorted) {
      await writer.write(
        wantJson
          ? JSON.stringify({ template_id: t.id, count: t.count, template: t.template }) + '\n'
          : `${String(t.count).padStart(8)}  ${t.id.padEnd(6)}  ${t.template}\n`,
      );
    }
  }
  await writer.flush();
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`patterns: ${message}\n${USAGE}`);
  return 2;
}

/** Collects output into large chunks and respects back-pressure, so millions of lines print quickly. */
class BufferedWriter {
  private chunk = '';
  /** Set when the reader went away (e.g. `| head`): the rest of the output is dropped quietly. */
  private closed = false;

  constructor(private readonly out: Writable) {
    out.on('error', () => {
      this.closed = true;
    });
  }

  async write(text: string): Promise<void> {
    if (this.closed) return;
    this.chunk += text;
    if (this.chunk.length >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunk === '') return;
    const text = this.chunk;
    this.chunk = '';
    if (this.closed || this.out.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.once('drain', done);
      this.out.once('error', done);
    });
  }
}
