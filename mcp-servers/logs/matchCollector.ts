// What both search engines share once a line is known to match or not: counting, the page, context lines
// and when to stop. Engines feed lines in file order; lines that are neither matches nor near one may be left out.
import type { Level } from './lineParser.js';
import {
  clip,
  type ContextLine,
  type PartlySearched,
  type SearchMatch,
  type SearchOutcome,
  type SearchRequest,
} from './searchRequest.js';

/** Lines named in PartlySearched; the rest are only counted. */
export const MAX_PARTLY_SHOWN = 5;
/** How often (in lines fed) the count budget is looked at: Date.now() per line would cost more than the search. */
const CLOCK_EVERY = 4096;

export class MatchCollector {
  total = 0;
  totalIsExact = true;
  filesSearched = 0;
  readonly found: SearchMatch[] = [];
  private readonly wanted: number;
  private pageFullAt: number | undefined;
  private recent: ContextLine[] = []; // the last `context` lines, for "before" context
  private awaitingAfter: SearchMatch[] = [];
  private sinceClock = 0;
  private stopped = false;
  private readonly partly: PartlySearched;

  /** `rest` says what a line reported as partly searched is: see PartlySearched. */
  constructor(
    private readonly request: SearchRequest,
    rest: PartlySearched['rest'],
  ) {
    this.wanted = request.offset + request.maxResults;
    this.partly = { count: 0, lines: [], rest };
  }

  /** A line longer than MAX_LINE_BYTES that did not match in its first part (see PartlySearched for which). */
  partlySearched(file: string, line: number): void {
    this.partly.count++;
    if (this.partly.lines.length < MAX_PARTLY_SHOWN) this.partly.lines.push({ file, line });
  }

  /** How many lines were reported as partly searched. */
  get partlyCount(): number {
    return this.partly.count;
  }

  startFile(): void {
    this.filesSearched++;
    this.recent = [];
    this.awaitingAfter = [];
  }

  /** Whether some match still waits for lines after it. */
  get awaitingContext(): boolean {
    return this.awaitingAfter.length > 0;
  }

  /** The page is full and has its context: from here on, matches are only counted. */
  get pageDone(): boolean {
    return this.pageFullAt !== undefined && this.awaitingAfter.length === 0;
  }

  /**
   * Feeds one line. `record` gives the match's time and level (asked only for matches that go into the page).
   * Returns false when the search should stop.
   */
  add(file: string, line: number, text: string, matched: boolean, record: (text: string) => { time?: number; level?: Level }): boolean {
    const context = this.request.context;
    if (context > 0) {
      while (this.awaitingAfter.length > 0 && line > this.awaitingAfter[0]!.line + context) this.awaitingAfter.shift();
      for (const pending of this.awaitingAfter) {
        if (line <= pending.line + context && pending.after!.length < context) pending.after!.push({ line, text: clip(text) });
      }
      while (this.awaitingAfter.length > 0 && this.awaitingAfter[0]!.after!.length >= context) this.awaitingAfter.shift();
    }
    if (matched) {
      this.total++;
      if (this.total > this.request.offset && this.found.length < this.request.maxResults) {
        const { time, level } = record(text);
        const match: SearchMatch = { file, line, text: clip(text), time, level };
        if (context > 0) {
          match.before = this.recent.filter((c) => c.line >= line - context);
          match.after = [];
          this.awaitingAfter.push(match);
        }
        this.found.push(match);
        if (this.total === this.wanted) this.pageFullAt = Date.now();
      }
    }
    if (context > 0) {
      this.recent.push({ line, text: clip(text) });
      if (this.recent.length > context) this.recent.shift();
    }
    return this.mayGoOn();
  }

  /** Whether to go on (also after `lines` were passed over without being fed). Once false, always false. */
  mayGoOn(lines = 1): boolean {
    if (this.stopped) return false;
    this.stopped = !this.goOn(lines);
    return !this.stopped;
  }

  private goOn(lines: number): boolean {
    if (this.pageFullAt === undefined || this.awaitingAfter.length > 0) return true;
    if (!this.request.count) {
      // One match past the page is enough to know there are more.
      if (this.total > this.wanted) this.totalIsExact = false;
      return this.total <= this.wanted;
    }
    this.sinceClock += lines;
    if (this.request.countBudgetMs > 0 && this.sinceClock < CLOCK_EVERY) return true;
    this.sinceClock = 0;
    if (this.request.countBudgetMs > 0 && Date.now() - this.pageFullAt <= this.request.countBudgetMs) return true;
    this.totalIsExact = false;
    return false;
  }

  /** Matches counted without being fed (by a raw count once the page is done). */
  addCounted(matches: number): void {
    this.total += matches;
  }

  /** The total from a counting pass over everything, after the page is done. */
  setTotal(total: number): void {
    this.total = Math.max(this.total, total);
  }

  /** Counting was cut short: the total is a lower bound. */
  countingStopped(): void {
    this.totalIsExact = false;
  }

  outcome(): SearchOutcome {
    return {
      matches: this.found,
      total: this.total,
      totalIsExact: this.totalIsExact,
      filesSearched: this.filesSearched,
      ...(this.partly.count > 0 && { partlySearched: this.partly }),
    };
  }
}
