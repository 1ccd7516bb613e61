// The JavaScript search engine: streams each file line by line, filtered by time window and level, with context.
// For a literal pattern it first looks at the raw bytes of each run of lines and decodes only runs that hold it.
import { decodeLine, forEachLine, linesBackwards, type RestTest, type RunSkipper } from './lineReader.js';
import { parseLine } from './lineParser.js';
import { MatchCollector } from './matchCollector.js';
import { RecordTracker, hasFilter, recordPasses } from './recordTracker.js';
import { compileMatcher, escapeRegex, isPlainAscii, type SearchOutcome, type SearchRequest } from './searchRequest.js';
import type { LogFile } from './catalog.js';

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
  const raw = rawTests(request);
  const filtered = hasFilter(request.filter);
  // Past the first MAX_LINE_BYTES of a long line, a literal is looked for in the raw bytes (as ripgrep sees them);
  // a regex cannot be run there in bounded memory, so such lines are only reported as not searched to the end.
  const restTest = raw?.rest;
  const collector = new MatchCollector(request, restTest ? 'holds-match' : 'not-searched');
  // With the page done and nothing to filter, matching lines are counted in the raw bytes, never decoded.
  const countingRaw = () => raw !== undefined && !filtered && collector.pageDone;

  for (const file of files) {
    collector.startFile();
    const tracker = new RecordTracker(year);
    const record = (text: string) => (filtered ? { time: tracker.time, level: tracker.level } : parseLine(text, year));
    let linesSinceProgress = 0;

    const skipper: RunSkipper | undefined = raw && {
      wanted: (buf, start, end) => !countingRaw() && (collector.awaitingContext || raw.holds(buf, start, end)),
      skipped: (buf, start, end, firstLine, lineCount) => {
        onProgress();
        if (countingRaw()) {
          // Not counting, one match past the page is all there is to know (the other engines stop right there).
          const found = raw.countLines(buf, start, end);
          collector.addCounted(request.count ? found : Math.min(found, 1));
          return collector.mayGoOn(lineCount);
        }
        if (filtered) tracker.advanceOver(buf, start, end);
        feedLastLines(buf, start, end, firstLine + lineCount - 1, request.context, (line, lineText) =>
          collector.add(file.id, line, lineText, false, record),
        );
        return collector.mayGoOn(lineCount);
      },
    };
    await forEachLine(
      file.path,
      (text, line, cut) => {
        if (++linesSinceProgress >= 4096) {
          linesSinceProgress = 0;
          onProgress();
        }
        if (filtered) tracker.advance(text);
        const passes = !filtered || recordPasses(tracker, request.filter);
        let matched = passes && matches(text);
        if (cut && passes && !matched && cut.restHolds !== false) {
          // Once only counting, whole lines count (as with the raw counts, and rg --count); before, the line is
          // reported as searched only in part.
          if (cut.restHolds && countingRaw()) matched = true;
          else collector.partlySearched(file.id, line);
        }
        return collector.add(file.id, line, text, matched, record);
      },
      { skipper, restTest },
    );
    if (!collector.mayGoOn()) break;
  }
  return collector.outcome();
}

interface RawTests {
  /** True for every run of whole lines that holds a match (and cheap). */
  holds(buf: Buffer, start: number, end: number): boolean;
  /** The number of lines in the run that hold the pattern. */
  countLines(buf: Buffer, start: number, end: number): number;
  /** The test of a long line's part past the cut; none for a pattern with a CR (a line's text has no trailing CR). */
  rest?: RestTest;
}

/**
 * Tests on raw bytes, for literal patterns only. Case-insensitive runs are read as Latin-1, where an ASCII pattern
 * matches exactly the bytes it matches in UTF-8. (Counting sees whole lines, also past MAX_LINE_BYTES, like rg.)
 */
function rawTests(request: SearchRequest): RawTests | undefined {
  if (request.regex) return undefined;
  if (request.caseSensitive) {
    const needle = Buffer.from(request.pattern, 'utf8');
    const holds = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).indexOf(needle) !== -1;
    return {
      holds,
      rest: restTestFor(request.pattern, holds, needle.length),
      countLines(buf, start, end) {
        const run = buf.subarray(start, end);
        let count = 0;
        for (let at = run.indexOf(needle); at !== -1; at = run.indexOf(needle, run.indexOf(0x0a, at) + 1)) count++;
        return count;
      },
    };
  }
  if (!isPlainAscii(request.pattern)) return undefined;
  const once = new RegExp(escapeRegex(request.pattern), 'i');
  const every = new RegExp(escapeRegex(request.pattern), 'gi');
  const holds = (buf: Buffer, start: number, end: number) => once.test(buf.toString('latin1', start, end));
  return {
    holds,
    rest: restTestFor(request.pattern, holds, request.pattern.length),
    countLines(buf, start, end) {
      const run = buf.toString('latin1', start, end);
      let count = 0;
      every.lastIndex = 0;
      for (let m = every.exec(run); m !== null; m = every.exec(run)) {
        count++;
        every.lastIndex = run.indexOf('\n', m.index) + 1;
      }
      return count;
    },
  };
}

function restTestFor(pattern: string, holds: RestTest['holds'], bytes: number): RestTest | undefined {
  return pattern.includes('\r') ? undefined : { holds, overlap: bytes - 1 };
}

/** Feeds the last `count` lines of a run (which ends with a newline) in order, decoding only those. */
function feedLastLines(
  buf: Buffer,
  start: number,
  end: number,
  lastLine: number,
  count: number,
  feed: (line: number, text: string) => void,
): void {
  if (count === 0) return;
  const lines: Array<{ line: number; from: number; to: number }> = [];
  let line = lastLine;
  for (const range of linesBackwards(buf, start, end)) {
    if (lines.length === count) break;
    lines.unshift({ line: line--, ...range });
  }
  for (const l of lines) feed(l.line, decodeLine(buf, l.from, l.to));
}
