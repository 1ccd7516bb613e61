// Pushes a fixture's logs/ folder into Loki, one stream per file ({job="fixture", service="<name without extension>",
// filename="<file>"}; `labels` replaces job="fixture" by its own labels). Each line's time is the one parseLine reads; a line without its own
// time (a stack frame) takes the previous line's time plus 1 ns, and any time not after the previous line's is
// moved to 1 ns after it, so each stream is strictly ascending: the file's order is kept and (stream, time_ns)
// names exactly one entry. Times keep their millisecond, so every `time` reads as in the file. Pushes stay under
// ~3 MB each.
import fs from 'node:fs';
import path from 'node:path';
import { parseLine } from '../../mcp-servers/logs/lineParser';
import { canonicalLabels, type Labels } from '../../mcp-servers/logs/loki/labels';

export interface PushedStream {
  /** The file's name in the folder. */
  file: string;
  labels: Labels;
  /** canonicalLabels(labels): what the Loki-backed tools return as `file`. */
  stream: string;
  /** entries[n - 1] is line n of the file. */
  entries: Array<{ timeNs: string; text: string }>;
}

export interface PushOptions {
  /** Labels added to every stream. */
  labels?: Labels;
  /** Headers for each push (a tenant's X-Scope-OrgID, auth). */
  headers?: Record<string, string>;
  /** Which files to push (default: every file in the folder). */
  files?: string[];
}

const MAX_PUSH_BYTES = 3 * 1024 * 1024;
const MAX_PUSH_LINES = 20_000;

/** The year for syslog lines: that of the first timestamped line in another file (as the server infers it). */
function yearOf(dir: string, files: string[]): number {
  for (const file of files) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n', 50)) {
      const parsed = parseLine(line, 0);
      if (parsed.time !== undefined && parsed.format !== 'syslog') return new Date(parsed.time).getUTCFullYear();
    }
  }
  return new Date().getUTCFullYear();
}

/** Turns lines into strictly ascending entries as described above; `after`: the time of the slice before these lines. */
export function entriesOf(lines: readonly string[], year: number, after?: bigint): Array<{ timeNs: string; text: string }> {
  const times: Array<bigint | undefined> = lines.map((line) => {
    const t = parseLine(line, year).time;
    return t === undefined ? undefined : BigInt(t) * 1_000_000n;
  });
  const firstTime = times.find((t) => t !== undefined) ?? BigInt(Date.now()) * 1_000_000n;
  let previous = after ?? firstTime - BigInt(lines.length) - 1n;
  return lines.map((text, i) => {
    const own = times[i];
    const at = own !== undefined && own > previous ? own : previous + 1n;
    previous = at;
    return { timeNs: at.toString(), text };
  });
}

/** Lines of a stream, pushed in ascending batches. */
export async function pushEntries(
  lokiUrl: string,
  labels: Labels,
  entries: ReadonlyArray<{ timeNs: string; text: string }>,
  headers: Record<string, string> = {},
): Promise<void> {
  let batch: Array<[string, string]> = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const response = await fetch(`${lokiUrl}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ streams: [{ stream: labels, values: batch }] }),
    });
    if (response.status !== 204) throw new Error(`Loki push of ${batch.length} lines: HTTP ${response.status} ${await response.text()}`);
    batch = [];
    bytes = 0;
  };
  for (const entry of entries) {
    batch.push([entry.timeNs, entry.text]);
    bytes += entry.text.length + 40;
    if (bytes >= MAX_PUSH_BYTES || batch.length >= MAX_PUSH_LINES) await flush();
  }
  await flush();
}

export async function pushFixtureToLoki(lokiUrl: string, logsDir: string, options: PushOptions = {}): Promise<PushedStream[]> {
  const files = options.files ?? fs.readdirSync(logsDir).filter((f) => fs.statSync(path.join(logsDir, f)).isFile()).sort();
  const year = yearOf(logsDir, files);
  const pushed: PushedStream[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(logsDir, file), 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const labels: Labels = { ...(options.labels ?? { job: 'fixture' }), service: file.replace(/\.[^.]*$/, ''), filename: file };
    // Loki refuses empty lines; a single space stands in for one (its line number is kept).
    const entries = entriesOf(lines.map((l) => l.replace(/\r$/, '')), year).map((e) => ({ ...e, text: e.text === '' ? ' ' : e.text }));
    await pushEntries(lokiUrl, labels, entries, options.headers);
    pushed.push({ file, labels, stream: canonicalLabels(labels), entries });
  }
  return pushed;
}
