// The ripgrep search engine for literal patterns. ripgrep finds the candidate lines (and their context) and
// streams them as JSON; each candidate then gets the same test, record lookup and paging as in the JavaScript
// engine, so both engines give the same results. Once the page is full, a plain `rg --count` counts the rest.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { LineSplitter } from '../../common/lineSplitter.js';
import { MAX_LINE_BYTES, decodeLine } from '../lineReader.js';
import { parseLine } from '../lineParser.js';
import { MatchCollector } from '../matchCollector.js';
import { RecordLookback, type RecordInfo } from '../recordLookback.js';
import { hasFilter, recordPasses } from '../recordTracker.js';
import { compileMatcher, isPlainAscii, type SearchOutcome, type SearchRequest } from '../searchRequest.js';
import type { LogFile } from '../catalog.js';
import type { RipgrepBinary } from './locate.js';
import { onCancel } from '../../common/callSignal.js';

/** ripgrep could not run or failed: the caller searches with the JavaScript engine instead. */
export class RipgrepFailed extends Error {
  constructor(
    message: string,
    /** The binary itself cannot be started, so there is no point in trying it again. */
    readonly unusable = false,
  ) {
    super(message);
  }
}

/**
 * Whether ripgrep finds exactly the lines the JavaScript engine would: literal patterns only (JavaScript and Rust
 * regexes differ), ASCII when case-insensitive (ripgrep folds case by Unicode, JavaScript's `i` flag does not
 * fold non-ASCII letters to ASCII), and nothing a decoded line can never hold (line breaks, U+FFFD, lone halves
 * of surrogate pairs).
 */
export function ripgrepCanSearch(request: SearchRequest): boolean {
  if (request.regex) return false;
  if (/[\0\r\n\uFFFD]|\p{Surrogate}/u.test(request.pattern)) return false;
  return request.caseSensitive || isPlainAscii(request.pattern);
}

interface RgText {
  text?: string;
  bytes?: string;
}

interface RgMessage {
  type: 'begin' | 'match' | 'context' | 'end' | 'summary';
  data: { path?: RgText; lines?: RgText; line_number?: number; absolute_offset?: number };
}

export async function searchWithRipgrep(
  rg: RipgrepBinary,
  files: readonly LogFile[],
  year: number,
  request: SearchRequest,
): Promise<SearchOutcome> {
  // ripgrep matches whole lines: a line it reports as a match that fails the test on its first MAX_LINE_BYTES holds
  // the text only past the cut, which the JavaScript engine reports the same way from its rest test.
  const collector = new MatchCollector(request, 'holds-match');
  if (files.length === 0) return collector.outcome();
  // rg follows links it is given by name; a file swapped for one since the catalog listed it is left to the
  // JavaScript engine, which refuses to open it.
  if (files.some((f) => isLink(f.path))) throw new RipgrepFailed('a log file has become a link since it was listed');
  const matches = compileMatcher(request.pattern, false, request.caseSensitive);
  const filtered = hasFilter(request.filter);
  const byPath = new Map(files.map((f, index) => [f.path, { ...f, index }]));
  let file: (LogFile & { index: number }) | undefined;
  let lookback: RecordLookback | undefined;

  const args = [...baseArgs(request), '--json', '--line-buffered'];
  if (request.context > 0) args.push('--context', String(request.context));
  const stream = new RgJsonStream(rg, [...args, '--', ...files.map((f) => f.path)]);
  let countRest = false;
  let stoppedEarly = false;
  try {
    for await (const message of stream.messages()) {
      const { type, data } = message;
      if (type === 'begin') {
        file = byPath.get(textOf(data.path));
        if (!file) throw new RipgrepFailed(`ripgrep reported a file it was not given: ${textOf(data.path)}`);
        collector.startFile();
        collector.filesSearched = file.index + 1; // ripgrep only reports files with matches
        lookback = filtered ? new RecordLookback(file.path, year) : undefined;
      } else if (type === 'match' || type === 'context') {
        if (!file) continue;
        const text = lineOf(data.lines);
        const offset = data.absolute_offset ?? 0;
        const line = data.line_number ?? 0;
        let record: RecordInfo | undefined;
        let matched = false;
        if (type === 'match') {
          const inCut = matches(text);
          const passes = !filtered || recordPasses((record = lookback!.recordAt(offset, text)), request.filter);
          matched = passes && inCut;
          if (passes && !inCut) {
            // Once only counting, whole lines count (as with rg --count); before, it is reported as partly searched.
            if (!filtered && collector.pageDone) matched = true;
            else collector.partlySearched(file.id, line);
          }
        }
        const goOn = collector.add(file.id, line, text, matched, (t) => record ?? parseLine(t, year));
        countRest = goOn && !filtered && request.count && collector.pageDone;
        if (!goOn || countRest) {
          stoppedEarly = true;
          break;
        }
      } else if (type === 'end') {
        lookback?.close();
        lookback = undefined;
      }
    }
  } catch (err) {
    stoppedEarly = true;
    throw err;
  } finally {
    lookback?.close();
    if (stoppedEarly) stream.stop();
  }
  await stream.finished();
  if (!stoppedEarly || countRest) collector.filesSearched = files.length;
  if (countRest) {
    const counted = await countMatches(rg, request, files, request.countBudgetMs);
    if (counted === undefined) collector.countingStopped();
    // rg --count counts whole lines: take out those reported as partly searched before the page was done.
    else collector.setTotal(counted - collector.partlyCount);
  }
  return collector.outcome();
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false; // gone: ripgrep reports it like any unreadable file
  }
}

function baseArgs(request: SearchRequest): string[] {
  const args = ['--no-config', '--threads', '1', '--text', '--no-ignore', '--hidden', '--encoding', 'none', '--fixed-strings'];
  args.push(...(request.caseSensitive ? ['--case-sensitive'] : ['--ignore-case', '--no-unicode']));
  args.push('--regexp', request.pattern);
  return args;
}

/**
 * Matching lines in all `files`, by `rg --count`; undefined if it takes longer than `budgetMs`.
 * (A line longer than MAX_LINE_BYTES counts even if the text is past the part the JavaScript engine reads.)
 */
async function countMatches(rg: RipgrepBinary, request: SearchRequest, files: readonly LogFile[], budgetMs: number): Promise<number | undefined> {
  if (budgetMs <= 0) return undefined;
  const child = spawn(rg, [...baseArgs(request), '--count', '--no-filename', '--', ...files.map((f) => f.path)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const timer = setTimeout(() => child.kill(), budgetMs);
  const release = onCancel(() => child.kill());
  const code = await exitOf(child).finally(() => {
    clearTimeout(timer);
    release();
  });
  if (code === null) return undefined; // killed: out of time
  if (code === 2) throw new RipgrepFailed(`rg --count failed: ${err.trim()}`);
  return out.split('\n').reduce((sum, n) => sum + (Number(n) || 0), 0);
}

function textOf(value: RgText | undefined): string {
  if (!value) return '';
  return value.text ?? Buffer.from(value.bytes ?? '', 'base64').toString('utf8');
}

/** The line as the line reader would give it: without its newline and one CR, cut to MAX_LINE_BYTES, decoded. */
function lineOf(value: RgText | undefined): string {
  if (value?.text !== undefined && value.text.length * 3 <= MAX_LINE_BYTES) {
    let text = value.text;
    if (text.endsWith('\n')) text = text.slice(0, -1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return text;
  }
  const raw = value?.text !== undefined ? Buffer.from(value.text, 'utf8') : Buffer.from(value?.bytes ?? '', 'base64');
  const end = raw.length > 0 && raw[raw.length - 1] === 0x0a ? raw.length - 1 : raw.length;
  return decodeLine(raw, 0, end);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('error', (err) => reject(new RipgrepFailed(`could not run ripgrep: ${err.message}`, true)));
    child.once('close', (code) => resolve(code));
  });
}

/** One `rg --json` process, read as a stream of messages; stopping it early is normal. */
class RgJsonStream {
  private readonly child: ChildProcess;
  private stderr = '';
  private stopped = false;
  private readonly exit: Promise<number | null>;

  constructor(rg: RipgrepBinary, args: string[]) {
    this.child = spawn(rg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const release = onCancel(() => this.child.kill());
    this.child.once('close', release);
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (this.stderr.length < 4000) this.stderr += d;
    });
    this.exit = exitOf(this.child);
    this.exit.catch(() => {}); // reported by finished()
  }

  async *messages(): AsyncGenerator<RgMessage> {
    const ready: string[] = [];
    const splitter = new LineSplitter((line) => {
      if (line) ready.push(line);
    });
    this.child.stdout!.setEncoding('utf8');
    try {
      for await (const chunk of this.child.stdout! as AsyncIterable<string>) {
        splitter.push(chunk);
        for (const line of ready.splice(0)) yield JSON.parse(line) as RgMessage;
      }
    } catch (err) {
      if (!this.stopped) throw err;
    }
    if (this.stopped) return;
    splitter.end();
    for (const line of ready.splice(0)) yield JSON.parse(line) as RgMessage;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.child.exitCode === null) this.child.kill();
  }

  /** Resolves when the process is gone; throws RipgrepFailed if it failed on its own. */
  async finished(): Promise<void> {
    const code = await this.exit;
    if (code === 2 && !this.stopped) throw new RipgrepFailed(`ripgrep failed: ${this.stderr.trim() || 'exit code 2'}`);
  }
}
