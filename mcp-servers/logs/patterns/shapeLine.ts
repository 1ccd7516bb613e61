// Turns a raw line into its token sequence with variables masked, and finds where the message starts.
// Headers need no configuration: timestamps, pids and hosts become variables like any other value, and the
// boundary is found from what headers are made of (level words, bracketed fields, "component:" and separators).
import { DELIMITER, SPACE, WORD, charClass, isDigit, isLetter } from './charClass.js';
import { CONSTANT, classifyWord } from './classifyWord.js';
import { findMessageStart } from './header.js';

export const WILDCARD = '<*>';
/** A masked name ending in a colon. */
const MASKED_NAME = WILDCARD + ':';

// A unit right after a number belongs to it: "18.4 KB", "1 sec".
const unitWords = new Set([
  'B', 'KB', 'MB', 'GB', 'TB', 'kB', 'KiB', 'MiB', 'GiB', 'TiB',
  'ms', 'us', 'ns', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'hr', 'hrs', 'hour', 'hours',
]);

/** Longest bracketed or quoted group read as one token even though it holds spaces. */
const MAX_GROUP_LENGTH = 160;

/** Reused between lines: shaping one line allocates only the strings of its tokens. */
export interface LineShape {
  /** Tokens in order; variables are WILDCARD (runs of them collapse to one), partial ones like "blk_<*>". */
  tokens: string[];
  /** Bit i set: token i (of the first 31) is a bracketed group ("[main]", "[Scheduler worker 3]", "(uid=0)"). */
  groups: number;
  /** Index of the first message token (see header.ts); 0 when no header was recognised. */
  messageStart: number;
  /** The header is a run of plain columns, found without an anchor (the miner evens its width out per file). */
  columns: boolean;
}

export class LineShaper {
  readonly shape: LineShape = { tokens: [], groups: 0, messageStart: 0, columns: false };

  constructor(
    private readonly maxLineLength: number,
    private readonly maxTokens: number,
  ) {}

  /** Fills and returns `this.shape` for the line. */
  run(line: string): LineShape {
    const shape = this.shape;
    const tokens = shape.tokens;
    let groups = 0;
    tokens.length = 0;
    shape.messageStart = 0;
    const end = Math.min(line.length, this.maxLineLength);
    let rawTokens = 0;
    let i = 0;
    while (i < end && rawTokens < this.maxTokens) {
      while (i < end && charClass(line.charCodeAt(i)) === SPACE) i++;
      if (i >= end) break;
      const tokenStart = i;
      const firstCode = line.charCodeAt(tokenStart);
      // A bracketed or quoted group with spaces inside is one field: "[Scheduler worker 3]", "(1.16 KB)".
      // Found when the group's first space is reached: most groups hold none ("[main]", "(uid=0)").
      let groupEnd = -1;
      const openCode = isOpener(firstCode) ? firstCode : -1;
      const closeCode = openCode < 0 ? -1 : closerOf(openCode);
      /** Brackets (or a quote) opened by the token's first character and not yet closed. */
      let depth = 0;
      // Scan one token, masking the variable words inside it.
      let masked = '';
      let copiedUpTo = tokenStart;
      let masks = 0;
      let keptLetter = false;
      let slashes = 0;
      let colons = 0;
      let pathLike = false;
      let wordStart = -1;
      let wordHasDigit = false;
      let wordHasLetter = false;
      let wordHasDot = false;
      let words = 0;
      let lastWordStart = 0;
      let lastWordEnd = 0;
      /** Inside a group: the previous word was masked and only spaces followed it (a unit may follow). */
      let afterMask = false;
      for (; ; i++) {
        const code = i < end ? line.charCodeAt(i) : 32;
        let cls = charClass(code);
        if (cls === SPACE) {
          // A space inside a group is kept like a delimiter.
          if (i < groupEnd) cls = DELIMITER;
          else if (depth > 0 && groupEnd < 0 && i < end) {
            groupEnd = groupClose(line, i, end, openCode, closeCode, depth, tokenStart);
            if (groupEnd > 0) cls = DELIMITER;
          }
        }
        if (cls === WORD) {
          if (wordStart < 0) {
            wordStart = i;
            wordHasDigit = false;
            wordHasLetter = false;
            wordHasDot = false;
          }
          if (isDigit(code)) wordHasDigit = true;
          else if (isLetter(code)) wordHasLetter = true;
          else if (code === 46) wordHasDot = true;
          continue;
        }
        if (wordStart >= 0) {
          words++;
          lastWordStart = wordStart;
          lastWordEnd = i;
          let kept = classifyWord(line, wordStart, i, wordHasDigit, wordHasDot);
          if (kept === CONSTANT && groupEnd > 0) {
            // Inside a group, "-" is an empty value and a unit belongs to the number before it.
            if (isPlaceholder(line, wordStart, i)) kept = 0;
            else if (afterMask && unitWords.has(line.slice(wordStart, i))) kept = 0;
          }
          if (kept === CONSTANT) {
            if (wordHasLetter) keptLetter = true;
            afterMask = false;
          } else {
            // Masks separated only by spaces say no more than one does.
            const joined = afterMask && groupEnd > 0 && masked.endsWith(WILDCARD) && isBlank(line, copiedUpTo, wordStart);
            masked += (joined ? '' : line.slice(copiedUpTo, wordStart + kept) + WILDCARD);
            copiedUpTo = i;
            masks++;
            if (kept > 0) keptLetter = true;
            afterMask = kept === 0;
          }
          wordStart = -1;
        }
        if (cls === SPACE) break;
        if (code !== 32) afterMask = false;
        if (code === closeCode) depth = openCode === closeCode && i === tokenStart ? 1 : depth - 1;
        else if (code === openCode) depth++;
        // Otherwise a delimiter: kept verbatim, but paths and URLs are recognised by theirs.
        if (code === 47 /* / */) slashes++;
        else if (code === 58 /* : */ && ++colons && i + 1 < end) {
          const next = line.charCodeAt(i + 1);
          if (next === 47 || next === 92) pathLike = true; // "scheme://" or "C:\"
        }
      }
      rawTokens++;
      const tokenEnd = i;
      if ((firstCode === 47 || firstCode === 92 || firstCode === 126) && slashes + countBackslashes(line, tokenStart, tokenEnd) >= 2) {
        pathLike = true; // "/var/log/x", "~/x/y", "\\host\share"
      }
      let text: string;
      // "fe80::1ff:fe23", "00:1a:2b:3c:4d:5e": an address, whether or not each group happens to hold a digit.
      if (pathLike || (colons >= 2 && keptLetter && isHexAddress(line, tokenStart, tokenEnd))) text = WILDCARD;
      else if (masks > 0) {
        text = keptLetter ? masked + line.slice(copiedUpTo, tokenEnd) : WILDCARD;
        // A masked name closing a header ("org.example.v2.Service:") stays recognisable as one.
        if (text === WILDCARD && isLetter(firstCode) && line.charCodeAt(tokenEnd - 1) === 58) text = MASKED_NAME;
      } else if (words === 1 && tokens[tokens.length - 1] === WILDCARD && unitWords.has(line.slice(lastWordStart, lastWordEnd))) {
        text = WILDCARD;
      } else if (words === 0 && isEmptyValue(line, tokenStart, tokenEnd)) {
        text = WILDCARD;
      } else if (words === 1 && openCode >= 0 && tokenEnd - tokenStart === lastWordEnd - lastWordStart + 2 && isPlaceholder(line, lastWordStart, lastWordEnd)) {
        text = WILDCARD; // "[-]", "(-)": a placeholder for an empty value
      } else {
        text = line.slice(tokenStart, tokenEnd);
      }
      // Repeats of one variable shape ("<*>", "blk_<*> blk_<*> ...") vary in number; keep one.
      if (text === tokens[tokens.length - 1] && (text === WILDCARD || masks > 0)) continue;
      tokens.push(text);
      if (openCode >= 0 && tokens.length <= 31 && isBracket(firstCode) && isCloser(line.charCodeAt(groupEnd > 0 ? groupEnd : tokenEnd - 1))) {
        groups |= 1 << (tokens.length - 1);
      }
      if (tokens.length >= 4 && collapseRepeat(tokens)) groups &= tokens.length >= 31 ? -1 : (1 << tokens.length) - 1;
    }
    shape.groups = groups;
    shape.messageStart = findMessageStart(tokens, groups, shape);
    return shape;
  }
}

/**
 * A run of 2–4 tokens repeated right after itself, holding a variable ("host<*> <*> OK host<*> <*> OK"), is a list
 * whose length varies: one copy stands for all.
 */
function collapseRepeat(tokens: string[]): boolean {
  const n = tokens.length;
  const last = tokens[n - 1]!;
  for (let k = 2; k <= 4 && 2 * k <= n; k++) {
    if (tokens[n - 1 - k] !== last) continue;
    let same = true;
    let variable = false;
    for (let j = 0; j < k && same; j++) {
      const t = tokens[n - 1 - j]!;
      same = t === tokens[n - 1 - j - k];
      if (t.includes(WILDCARD)) variable = true;
    }
    if (same && variable) {
      tokens.length = n - k;
      return true;
    }
  }
  return false;
}

function isBracket(code: number): boolean {
  return code === 91 /* [ */ || code === 40 /* ( */ || code === 123 /* { */;
}

function isOpener(code: number): boolean {
  return code === 91 /* [ */ || code === 40 /* ( */ || code === 123 /* { */ || code === 34 /* " */ || code === 39 /* ' */;
}

function isCloser(code: number): boolean {
  return code === 93 || code === 41 || code === 125 || code === 34 || code === 39;
}

function closerOf(code: number): number {
  return code === 91 ? 93 : code === 40 ? 41 : code === 123 ? 125 : code;
}

/**
 * Index of the character closing a group that is still open (`depth` brackets deep, or inside a quote) at the
 * space at `from`: the matching bracket or the next same quote, within MAX_GROUP_LENGTH characters of the token's
 * start; -1 if there is none.
 */
function groupClose(line: string, from: number, end: number, open: number, close: number, depth: number, tokenStart: number): number {
  const limit = Math.min(end, tokenStart + MAX_GROUP_LENGTH);
  for (let i = from; i < limit; i++) {
    const c = line.charCodeAt(i);
    if (c === close) {
      if (open === close || depth === 1) return i;
      depth--;
    } else if (c === open) depth++;
  }
  return -1;
}

function isHexAddress(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (!(isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 58 || c === 46)) return false;
  }
  return true;
}

/** A word made only of dashes: a placeholder for an empty value. */
function isPlaceholder(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (line.charCodeAt(i) !== 45) return false;
  return end > start;
}

function isBlank(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) return false;
  return true;
}

/** "()", "[]", '""': a bracketed or quoted value that happens to be empty. */
function isEmptyValue(line: string, start: number, end: number): boolean {
  if (end - start !== 2) return false;
  const pair = line.slice(start, end);
  return pair === '()' || pair === '[]' || pair === '{}' || pair === '""' || pair === "''" || pair === '<>';
}

function countBackslashes(line: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (line.charCodeAt(i) === 92) n++;
  return n;
}
