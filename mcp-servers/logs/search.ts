// Streaming search over log files: literal or regex, filtered by time window and level, with context lines.
import { forEachLine } from './lineReader.js';
import { parseLine, type Level } from './lineParser.js';
import { RecordTracker, hasFilter, recordPasses, type LineFilter } from './recordTracker.js';
import type { LogFile } from './catalog.js';

export interface SearchRequest {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  filter: LineFilter;
  context: number;
  /** Matches to skip (paging) and to return. */
  offset: number;
  maxResults: number;
  /** After the page is full, keep counting the rest for at most this long. */
  countBudgetMs: number;
}

export interface ContextLine {
  line: number;
  text: string;
}

export interface SearchMatch {
  file: string;
  line: number;
  text: string;
  time?: number;
  level?: Level;
  before?: ContextLine[];
  after?: ContextLine[];
}

export interface SearchOutcome {
  matches: SearchMatch[];
  /** Matches found in all; a lower bound when `totalIsExact` is false. */
  total: number;
  totalIsExact: boolean;
  filesSearched: number;
}

/** Longest text of a line that a result carries; the rest is replaced by a note. */
export const MAX_RESULT_LINE = 500;

export function clip(text: string): string {
  return text.length <= MAX_RESULT_LINE ? text : `${text.slice(0, MAX_RESULT_LINE)}… (+${text.length - MAX_RESULT_LINE} chars)`;
}

function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds the line test. Throws a SyntaxError for an invalid regex (the caller turns it into a tool error). */
export function compileMatcher(pattern: string, regex: boolean, caseSensitive: boolean): (text: string) => boolean {
  if (!regex && caseSensitive) return (text) => text.includes(pattern);
  const re = new RegExp(regex ? pattern : escapeRegex(pattern), caseSensitive ? '' : 'i');
  return (text) => re.test(text);
}

/**
 * Searches `files` in order. `onProgress` is called every few thousand lines (the regex worker's heartbeat).
 */
export async function searchFiles(
  files: readonly LogFile[],
  year: number,
  request: SearchRequest,
  onProgress: () => void = () => {},
): Promise<SearchOutcome> {
  const matches = compileMatcher(request.pattern, request.regex, request.caseSensitive);
  const filtered = hasFilter(request.filter);
  const wanted = request.offset + request.maxResults;
  const found: SearchMatch[] = [];
  let total = 0;
  let totalIsExact = true;
  let pageFullAt: number | undefined;
  let filesSearched = 0;

  for (const file of files) {
    filesSearched++;
    const tracker = new RecordTracker(year);
    const recent: ContextLine[] = []; // the last `context` lines, for "before" context
    const awaitingAfter: SearchMatch[] = [];
    let linesSinceProgress = 0;

    await forEachLine(file.path, (text, line) => {
      if (++linesSinceProgress >= 4096) {
        linesSinceProgress = 0;
        onProgress();
        if (pageFullAt !== undefined && Date.now() - pageFullAt > request.countBudgetMs) {
          totalIsExact = false;
          return false;
        }
      }
      for (const pending of awaitingAfter) {
        if (pending.after!.length < request.context) pending.after!.push({ line, text: clip(text) });
      }
      while (awaitingAfter.length > 0 && awaitingAfter[0]!.after!.length >= request.context) awaitingAfter.shift();

      if (filtered) tracker.advance(text);
      if ((!filtered || recordPasses(tracker, request.filter)) && matches(text)) {
        total++;
        if (total > request.offset && found.length < request.maxResults) {
          const parsed = filtered ? { time: tracker.time, level: tracker.level } : parseLine(text, year);
          const match: SearchMatch = { file: file.id, line, text: clip(text), time: parsed.time, level: parsed.level };
          if (request.context > 0) {
            match.before = recent.slice();
            match.after = [];
            awaitingAfter.push(match);
          }
          found.push(match);
          if (total === wanted) pageFullAt = Date.now();
        }
      }
      if (request.context > 0) {
        recent.push({ line, text: clip(text) });
        if (recent.length > request.context) recent.shift();
      }
      return true;
    });
    if (!totalIsExact) break;
  }
  return { matches: found, total, totalIsExact, filesSearched };
}
