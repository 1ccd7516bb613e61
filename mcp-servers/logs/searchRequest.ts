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
