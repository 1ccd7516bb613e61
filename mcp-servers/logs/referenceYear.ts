// BSD syslog lines carry no year. Logs of one incident come from one period, so the year is taken from the
// other files that do carry one; failing that, from the file's modification time.
import { readEdges } from './lineReader.js';
import { parseLine } from './lineParser.js';
import type { LogFile } from './catalog.js';

const PROBE_BYTES = 16 * 1024;
const PROBE_FILES = 20;

export async function referenceYear(files: readonly LogFile[]): Promise<number> {
  let best: number | undefined;
  for (const file of files.slice(0, PROBE_FILES)) {
    let head: string;
    try {
      head = (await readEdges(file.path, PROBE_BYTES)).head;
    } catch {
      continue;
    }
    for (const line of head.split('\n', 50)) {
      const parsed = parseLine(line, 0);
      if (parsed.time !== undefined && parsed.format !== 'syslog') {
        const year = new Date(parsed.time).getUTCFullYear();
        best = best === undefined ? year : Math.max(best, year);
        break;
      }
    }
  }
  if (best !== undefined) return best;
  const newest = Math.max(0, ...files.map((f) => f.mtimeMs));
  return new Date(newest || Date.now()).getUTCFullYear();
}
