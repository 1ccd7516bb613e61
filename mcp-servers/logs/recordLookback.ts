// The record a line belongs to, found by reading backwards from it: what RecordTracker knows after reading every
// line above, for an engine (ripgrep) that only sees the matching lines. Reads each byte at most once per file,
// because lookups come in file order and each one stops where the previous one began.
import fs from 'node:fs';
import { MAX_LINE_BYTES, decodeLine, openLogFileSync } from './lineReader.js';
import { parseLine, type Level } from './lineParser.js';

export interface RecordInfo {
  time?: number;
  level?: Level;
}

const BLOCK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class RecordLookback {
  private fd: number | undefined;
  private readonly block = Buffer.allocUnsafe(BLOCK_BYTES);
  private blockStart = 0;
  private blockEnd = 0;
  /** The record in effect at the line starting at `lineStart`, from the last lookup. */
  private known: { lineStart: number; record: RecordInfo } | undefined;

  constructor(
    private readonly file: string,
    private readonly year: number,
  ) {}

  /** The record of the line that starts at byte `lineStart` and reads `text`. Calls must come in file order. */
  recordAt(lineStart: number, text: string): RecordInfo {
    const own = parseLine(text, this.year);
    const record = own.time !== undefined ? { time: own.time, level: own.level } : this.recordAbove(lineStart);
    this.known = { lineStart, record };
    return record;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private recordAbove(lineStart: number): RecordInfo {
    const known = this.known && this.known.lineStart < lineStart ? this.known : undefined;
    for (let lineEnd = lineStart - 1; lineEnd >= 0; ) {
      const start = this.startOfLineEndingAt(lineEnd);
      if (known && start === known.lineStart) return known.record;
      const parsed = parseLine(this.lineText(start, lineEnd), this.year);
      if (parsed.time !== undefined) return { time: parsed.time, level: parsed.level };
      lineEnd = start - 1;
    }
    return {};
  }

  /** Where the line whose newline is at `lineEnd` starts. */
  private startOfLineEndingAt(lineEnd: number): number {
    let searchEnd = lineEnd; // look for a newline strictly before this offset
    while (searchEnd > 0) {
      this.load(searchEnd);
      const at = this.block.lastIndexOf(NEWLINE, searchEnd - 1 - this.blockStart);
      if (at !== -1) return this.blockStart + at + 1;
      if (this.blockStart === 0) return 0;
      searchEnd = this.blockStart;
    }
    return 0;
  }

  /** The text of the line [start, end) as the line reader gives it. */
  private lineText(start: number, end: number): string {
    const length = Math.min(end - start, MAX_LINE_BYTES + 1);
    if (start >= this.blockStart && start + length <= this.blockEnd) {
      return decodeLine(this.block, start - this.blockStart, start - this.blockStart + length);
    }
    const buf = Buffer.allocUnsafe(length);
    const read = fs.readSync(this.open(), buf, 0, length, start);
    return decodeLine(buf, 0, read);
  }

  /** Makes the block hold the bytes just before `end`. */
  private load(end: number): void {
    if (end > this.blockStart && end <= this.blockEnd) return;
    const start = Math.max(0, end - BLOCK_BYTES);
    const read = fs.readSync(this.open(), this.block, 0, end - start, start);
    this.blockStart = start;
    this.blockEnd = start + read;
  }

  private open(): number {
    this.fd ??= openLogFileSync(this.file);
    return this.fd;
  }
}
