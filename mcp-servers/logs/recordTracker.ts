// A line without its own time or level (a stack-trace line, a wrapped message) belongs to the record above it.
import { decodeLine, linesBackwards } from './lineReader.js';
import { levelRank, parseLine, type Level, type ParsedLine } from './lineParser.js';

export class RecordTracker {
  time: number | undefined;
  level: Level | undefined;
  /** Whether the last line started a record of its own. */
  startsRecord = false;

  constructor(private readonly year: number) {}

  /** Parses `text` and updates the current record's time and level. */
  advance(text: string): ParsedLine {
    const parsed = parseLine(text, this.year);
    if (parsed.time !== undefined) {
      this.time = parsed.time;
      this.level = parsed.level;
      this.startsRecord = true;
    } else {
      this.startsRecord = false;
    }
    return parsed;
  }

  /** Takes the record of the last line with a time in a run of whole lines (`end` just past its last newline). */
  advanceOver(buf: Buffer, start: number, end: number): void {
    for (const { from, to } of linesBackwards(buf, start, end)) {
      const parsed = parseLine(decodeLine(buf, from, to), this.year);
      if (parsed.time !== undefined) {
        this.time = parsed.time;
        this.level = parsed.level;
        this.startsRecord = to === end - 1;
        return;
      }
    }
  }
}

export interface LineFilter {
  since?: number;
  until?: number;
  /** Lowest severity kept. */
  minLevel?: Level;
}

export function hasFilter(filter: LineFilter): boolean {
  return filter.since !== undefined || filter.until !== undefined || filter.minLevel !== undefined;
}

/** Whether the current record passes the filter (a record with no known time or level fails that part). */
export function recordPasses(tracker: { time?: number; level?: Level }, filter: LineFilter): boolean {
  if (filter.since !== undefined || filter.until !== undefined) {
    if (tracker.time === undefined) return false;
    if (filter.since !== undefined && tracker.time < filter.since) return false;
    if (filter.until !== undefined && tracker.time > filter.until) return false;
  }
  if (filter.minLevel !== undefined) {
    if (tracker.level === undefined || levelRank(tracker.level) < levelRank(filter.minLevel)) return false;
  }
  return true;
}
