// Streams a file line by line without loading it whole: memory stays at one chunk plus one line.
import fs from 'node:fs';
import { UserError } from '../common/result.js';

/** Longest line kept whole; the rest of a longer line is dropped from the text (its length is still known). */
export const MAX_LINE_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;
/** How much a skipper judges at once: small enough that a rare match costs little decoding. */
const RUN_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** A line's text as every reader sees it: without a trailing CR, cut to MAX_LINE_BYTES, decoded as UTF-8. */
export function decodeLine(buf: Buffer, start: number, end: number): string {
  if (end > start && buf[end - 1] === CARRIAGE_RETURN) end--;
  if (end - start > MAX_LINE_BYTES) end = start + MAX_LINE_BYTES;
  return buf.toString('utf8', start, end);
}

/**
 * The lines of a run of whole lines (`end` just past its last newline), last first, as [from, to) byte ranges
 * without the newline.
 */
export function* linesBackwards(buf: Buffer, start: number, end: number): Generator<{ from: number; to: number }> {
  for (let to = end - 1; to >= start; ) {
    const nl = to - 1 >= start ? buf.lastIndexOf(NEWLINE, to - 1) : -1;
    const from = nl < start ? start : nl + 1;
    yield { from, to };
    to = from - 1;
  }
}

/**
 * Lets a reader pass over whole runs of lines without decoding them: `wanted` looks at the raw bytes of a run of
 * complete lines and says whether any of them needs a visit; when it says no, `skipped` gets the run and the
 * number of its first line instead.
 */
export interface RunSkipper {
  wanted(buf: Buffer, start: number, end: number): boolean;
  /** Return false to stop reading. */
  skipped(buf: Buffer, start: number, end: number, firstLine: number, lineCount: number): boolean | void;
}

export interface LineVisitor {
  /**
   * Called for each line (1-based number, text without the newline). `cut` is given only for a line longer than
   * MAX_LINE_BYTES, whose text is its first MAX_LINE_BYTES. Return false to stop reading.
   */
  (text: string, lineNumber: number, cut?: LineCut): boolean | void;
}

/** What the reader tells of a line longer than MAX_LINE_BYTES besides its cut text. */
export interface LineCut {
  /** Whether the reader's `restTest` found its text in the part past the cut (undefined without a restTest). */
  restHolds?: boolean;
}

/**
 * A test of raw bytes that the reader runs over the part of a long line past MAX_LINE_BYTES, which it otherwise
 * drops: streamed through as it is read, so memory stays bounded however long the line.
 */
export interface RestTest {
  /** True when the bytes hold the text. */
  holds(buf: Buffer, start: number, end: number): boolean;
  /** The text's length in bytes, less one: how far a match can reach back over the cut or a chunk edge. */
  overlap: number;
}

/**
 * Calls `visit` for every line of `file`, starting at `fromLine` (lines before it are counted, not decoded).
 * Resolves with the number of the last line visited. Lines longer than MAX_LINE_BYTES are cut; with a `restTest`,
 * the part past the cut is run through it and the visitor told whether it holds the text.
 */
export async function forEachLine(
  file: string,
  visit: LineVisitor,
  options: { fromLine?: number; signal?: AbortSignal; skipper?: RunSkipper; restTest?: RestTest } = {},
): Promise<number> {
  const fromLine = options.fromLine ?? 1;
  const handle = await openLogFile(file);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry: Buffer | null = null; // the unfinished line from the previous chunk (at most MAX_LINE_BYTES + 1 bytes)
  let carryOverflow = false;
  let carryLength = 0; // the unfinished line's length so far, also past what carry keeps
  let lineNumber = 0;
  let stopped = false;
  const restTest = options.restTest;
  // A match past the cut may begin up to `overlap` bytes before it: the rest is tested from there on.
  const restFrom = restTest ? MAX_LINE_BYTES - Math.min(restTest.overlap, MAX_LINE_BYTES) : 0;
  const rest = restTest && new RestScan(restTest);

  /** Visits the line [start, end) of buf; `length` is its whole length when buf holds only its start (a carry). */
  const emit = (buf: Buffer, start: number, end: number, length = end - start, restHolds?: boolean): void => {
    lineNumber++;
    if (lineNumber < fromLine) return;
    const text = decodeLine(buf, start, end);
    let cut: LineCut | undefined;
    if (length > MAX_LINE_BYTES && (length > MAX_LINE_BYTES + 1 || buf[start + MAX_LINE_BYTES] !== CARRIAGE_RETURN)) {
      cut = { restHolds: restTest && (restHolds ?? restTest.holds(buf, start + restFrom, end)) };
    }
    if (visit(text, lineNumber, cut) === false) stopped = true;
  };
  const skipper = fromLine === 1 ? options.skipper : undefined;

  try {
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      let start = 0;
      let visitUntil = 0; // lines starting before this offset are visited; past it, the skipper is asked first
      for (;;) {
        if (skipper && !carry && start >= visitUntil) {
          const run = nextRun(start, bytesRead);
          if (run === -1) break;
          if (!skipper.wanted(chunk, start, run)) {
            skip(skipper, start, run);
            start = run;
            if (stopped) return lineNumber;
            continue;
          }
          visitUntil = run;
        }
        const nl = chunk.indexOf(NEWLINE, start);
        if (nl === -1 || nl >= bytesRead) break;
        if (carry) {
          const length = carryLength + nl - start;
          let restHolds: boolean | undefined;
          if (rest && length > MAX_LINE_BYTES) {
            feedRest(start, nl, carryLength);
            restHolds = rest.found;
          }
          const joined = carryOverflow ? carry : Buffer.concat([carry, chunk.subarray(start, nl)]);
          carry = null;
          carryOverflow = false;
          rest?.reset();
          emit(joined, 0, Math.min(joined.length, length), length, restHolds);
        } else {
          emit(chunk, start, nl);
        }
        start = nl + 1;
        if (stopped) return lineNumber;
      }
      if (start < bytesRead) {
        // Keep the tail for the next chunk, but never more than one long line's worth (the rest test sees the rest).
        const tail = chunk.subarray(start, bytesRead);
        const before = carry ? carryLength : 0;
        if (!carry) carry = Buffer.from(tail.subarray(0, MAX_LINE_BYTES + 1));
        else if (!carryOverflow) carry = Buffer.concat([carry, tail]).subarray(0, MAX_LINE_BYTES + 1);
        if (carry.length > MAX_LINE_BYTES) carryOverflow = true;
        carryLength = before + tail.length;
        if (rest && carryLength > restFrom) feedRest(start, bytesRead, before);
      }
    }
    if (carry && carry.length > 0) emit(carry, 0, carry.length, carryLength, rest?.found);
    return lineNumber;
  } finally {
    await handle.close();
  }

  /** The end of the next run of complete lines from `start` (about RUN_BYTES), or -1 when no line ends in the chunk. */
  function nextRun(start: number, bytesRead: number): number {
    const windowEnd = Math.min(start + RUN_BYTES, bytesRead);
    let nl = chunk.lastIndexOf(NEWLINE, windowEnd - 1);
    if (nl < start) nl = chunk.indexOf(NEWLINE, windowEnd);
    return nl === -1 || nl < start || nl >= bytesRead ? -1 : nl + 1;
  }

  /** Feeds the rest test the part of chunk[start, end) past `restFrom` in its line, which has `before` bytes before it. */
  function feedRest(start: number, end: number, before: number): void {
    const from = Math.max(start, start + restFrom - before);
    if (from < end) rest!.feed(chunk, from, end);
  }

  function skip(s: RunSkipper, start: number, end: number): void {
    let count = 0;
    for (let at = chunk.indexOf(NEWLINE, start); at !== -1 && at < end; at = chunk.indexOf(NEWLINE, at + 1)) count++;
    if (s.skipped(chunk, start, end, lineNumber + 1, count) === false) stopped = true;
    lineNumber += count;
  }
}

/**
 * A rest test run over a line's bytes as they stream by, in pieces: a match across two pieces is found through the
 * last `overlap` bytes kept from the piece before.
 */
class RestScan {
  found = false;
  private kept: Buffer = Buffer.alloc(0);

  constructor(private readonly test: RestTest) {}

  feed(buf: Buffer, start: number, end: number): void {
    if (this.found) return;
    const overlap = this.test.overlap;
    if (this.kept.length > 0) {
      const across = Buffer.concat([this.kept, buf.subarray(start, Math.min(end, start + overlap))]);
      if (this.test.holds(across, 0, across.length)) return void (this.found = true);
    }
    if (this.test.holds(buf, start, end)) return void (this.found = true);
    if (overlap === 0) return;
    this.kept =
      end - start >= overlap
        ? Buffer.from(buf.subarray(end - overlap, end))
        : Buffer.concat([this.kept, buf.subarray(start, end)]).subarray(-overlap);
  }

  reset(): void {
    this.found = false;
    this.kept = Buffer.alloc(0);
  }
}

/**
 * Opens a log file for reading without following a link in its last part: the catalog resolved the real path
 * inside the roots, and a file swapped for a link since then (inside the catalog's cache time) must not lead out.
 */
export async function openLogFile(file: string): Promise<fs.promises.FileHandle> {
  try {
    return await fs.promises.open(file, fs.constants.O_RDONLY | NO_FOLLOW);
  } catch (err) {
    throw linkError(file, err);
  }
}

export function openLogFileSync(file: string): number {
  try {
    return fs.openSync(file, fs.constants.O_RDONLY | NO_FOLLOW);
  } catch (err) {
    throw linkError(file, err);
  }
}

/** O_NOFOLLOW where the platform has it (not Windows, where links need privileges to make). */
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

function linkError(file: string, err: unknown): unknown {
  if ((err as NodeJS.ErrnoException).code !== 'ELOOP') return err;
  return new UserError(`${file} has become a link since the log files were listed; links are not followed. Call list_log_files again.`);
}

/** True when the first bytes hold a NUL, the usual sign of a binary file. */
export async function looksBinary(file: string): Promise<boolean> {
  const handle = await openLogFile(file);
  try {
    const probe = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(probe, 0, probe.length, 0);
    return probe.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/** Reads up to `bytes` from the start and from the end of a file (for format detection and time span). */
export async function readEdges(file: string, bytes: number): Promise<{ head: string; tail: string; size: number }> {
  const handle = await openLogFile(file);
  try {
    const { size } = await handle.stat();
    const headBuf = Buffer.alloc(Math.min(bytes, size));
    await handle.read(headBuf, 0, headBuf.length, 0);
    const tailLen = Math.min(bytes, size);
    const tailBuf = Buffer.alloc(tailLen);
    await handle.read(tailBuf, 0, tailLen, size - tailLen);
    return { head: headBuf.toString('utf8'), tail: tailBuf.toString('utf8'), size };
  } finally {
    await handle.close();
  }
}
