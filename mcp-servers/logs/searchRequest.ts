// What a log search asks for and gives back, shared by the JavaScript and the ripgrep engines.
import type { Level } from './lineParser.js';
import type { LineFilter } from './recordTracker.js';

export interface SearchRequest {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  filter: LineFilter;
  context: number;
  /** Matches to skip (paging) and to return. */
  offset: number;
  maxResults: number;
  /** Whether to count every match; when false the search stops one match past the page. */
  count: boolean;
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
  /** Lines longer than MAX_LINE_BYTES that may hold a match the search did not see; absent when there are none. */
  partlySearched?: PartlySearched;
}

/**
 * Lines longer than MAX_LINE_BYTES (64 KB) whose first 64 KB, the only part searched, holds no match, among the lines
 * searched one by one (with the filters applied, as for matches): until the page is full, or to the end with a time
 * or level filter. Once the page is full and only counted, whole lines count. Which lines:
 * - `holds-match` (literal text, both engines): exactly those whose rest holds the text — matches that are missing;
 * - `not-searched` (a regex, JavaScript only): every such line, since a regex cannot be run over an unbounded line
 *   in bounded memory; each may or may not hold a match further on.
 */
export interface PartlySearched {
  count: number;
  /** The first few (MAX_PARTLY_SHOWN), in search order. */
  lines: Array<{ file: string; line: number }>;
  rest: 'holds-match' | 'not-searched';
}

/** Longest text of a line that a result carries; the rest is replaced by a note. */
export const MAX_RESULT_LINE = 500;

export function clip(text: string, max = MAX_RESULT_LINE): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (+${text.length - max} chars)`;
}

/**
 * Printable ASCII and tabs: a pattern whose case-insensitive matches are the same under JavaScript's `i` flag,
 * ripgrep's ASCII-only folding, and a Latin-1 reading of UTF-8 bytes.
 */
export function isPlainAscii(pattern: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(pattern);
}

export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds the line test. Throws a SyntaxError for an invalid regex (the caller turns it into a tool error). */
export function compileMatcher(pattern: string, regex: boolean, caseSensitive: boolean): (text: string) => boolean {
  if (!regex && caseSensitive) return (text) => text.includes(pattern);
  const re = new RegExp(regex ? pattern : escapeRegex(pattern), caseSensitive ? '' : 'i');
  return (text) => re.test(text);
}
