// The JavaScript search engine: streams each file line by line, filtered by time window and level, with context.
// For a literal pattern it first looks at the raw bytes of each run of lines and decodes only runs that hold it.
import { decodeLine, forEachLine, type RunSkipper } from './lineReader.js';
import { parseLine } from './lineParser.js';
import { MatchCollector } from './matchCollector.js';
import { RecordTracker, hasFilter, recordPasses } from './recordTracker.js';
import { compileMatcher, escapeRegex, type SearchOutcome, type SearchRequest } from './searchRequest.js';
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
  const holds = rawTest(request);
  const filtered = hasFilter(request.filter);
  const collector = new MatchCollector(request);

  for (const file of files) {
    collector.startFile();
    const tracker = new RecordTracker(year);
    const record = (text: string) => (filtered ? { time: tracker.time, level: tracker.level } : parseLine(text, year));
    let linesSinceProgress = 0;

    const skipper: RunSkipper | undefined = holds && {
      wanted: (buf, start, end) => collector.awaitingContext || holds(buf, start, end),
      skipped: (buf, start, end, firstLine, lineCount) => {
        onProgress();
        if (filtered) tracker.advanceOver(buf, start, end);
        feedLastLines(buf, start, end, firstLine + lineCount - 1, request.context, (line, lineText) =>
          collector.add(file.id, line, lineText, false, record),
        );
        return collector.mayGoOn();
      },
    };
    await forEachLine(
      file.path,
      (text, line) => {
        if (++linesSinceProgress >= 4096) {
          linesSinceProgress = 0;
          onProgress();
        }
        if (filtered) tracker.advance(text);
        const matched = (!filtered || recordPasses(tracker, request.filter)) && matches(text);
        return collector.add(file.id, line, text, matched, record);
      },
      { skipper },
    );
    if (!collector.mayGoOn()) break;
  }
  return collector.outcome();
}

/**
 * A test on raw bytes that is true for every run of lines holding a match (and cheap): for literal patterns only.
 * Case-insensitive runs are read as Latin-1, where an ASCII pattern matches exactly the bytes it would in UTF-8.
 */
function rawTest(request: SearchRequest): ((buf: Buffer, start: number, end: number) => boolean) | undefined {
  if (request.regex) return undefined;
  if (request.caseSensitive) {
    const needle = Buffer.from(request.pattern, 'utf8');
    return (buf, start, end) => buf.subarray(start, end).indexOf(needle) !== -1;
  }
  if (!/^[\x20-\x7e]*$/.test(request.pattern)) return undefined;
  const re = new RegExp(escapeRegex(request.pattern), 'i');
  return (buf, start, end) => re.test(buf.toString('latin1', start, end));
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
  let to = end - 1;
  for (let line = lastLine; lines.length < count && to >= start; line--) {
    const nl = to - 1 >= start ? buf.lastIndexOf(0x0a, to - 1) : -1;
    const from = nl < start ? start : nl + 1;
    lines.unshift({ line, from, to });
    to = from - 1;
  }
  for (const l of lines) feed(l.line, decodeLine(buf, l.from, l.to));
}
