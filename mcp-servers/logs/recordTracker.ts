// A line without its own time or level (a stack-trace line, a wrapped message) belongs to the record above it.
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
export function recordPasses(tracker: RecordTracker, filter: LineFilter): boolean {
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
