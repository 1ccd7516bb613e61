// Streams a log file through a miner; the only per-line state kept is the template id of each line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PatternMiner } from './miner.js';
import type { MinerOptions } from './options.js';

export interface LineAssignment {
  /** 1-based line number. */
  line: number;
  template_id: string;
  /** The final template of that id, after the whole file was read. */
  template: string;
}

export interface MinedFile {
  miner: PatternMiner;
  /** ids[n - 1] is the template id of line n. */
  ids: string[];
}

export async function mineFile(file: string, options?: Partial<MinerOptions>): Promise<MinedFile> {
  const miner = new PatternMiner(options);
  const ids: string[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) ids.push(miner.add(line));
  return { miner, ids };
}

/** Line-by-line assignments with final templates (each id's text is rendered once). */
export function* assignments({ miner, ids }: MinedFile): Generator<LineAssignment> {
  const texts = new Map<string, string>();
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    let template = texts.get(id);
    if (template === undefined) texts.set(id, (template = miner.template(id)));
    yield { line: n + 1, template_id: id, template };
  }
}
