// Turns a raw line into its token sequence with variables masked, and guesses where the message starts.
// Headers need no configuration: timestamps, pids and hosts become variables like any other value.
import { SPACE, WORD, charClass, isDigit, isLetter } from './charClass.js';
import { CONSTANT, classifyWord } from './classifyWord.js';

export const WILDCARD = '<*>';

// A unit right after a number belongs to it: "18.4 KB", "1 sec".
const unitWords = new Set([
  'B', 'KB', 'MB', 'GB', 'TB', 'kB', 'KiB', 'MiB', 'GiB', 'TiB',
  'ms', 'us', 'ns', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'hr', 'hrs', 'hour', 'hours',
]);

/**
 * How many (masked, collapsed) tokens a header may span: "Dec 10 06:55:46 LabSZ sshd[24200]:" is
 * "<*> LabSZ sshd[<*>]:", three. Further in, a "word:" is more likely part of the message.
 */
const MAX_HEADER_TOKENS = 5;

/** Reused between lines: shaping one line allocates only the strings of its tokens. */
export interface LineShape {
  /** Tokens in order; variables are WILDCARD (runs of them collapse to one), partial ones like "blk_<*>". */
  tokens: string[];
  /**
   * Index of the first message token, after a header that ends in "component:" (e.g. "sshd[24200]:") or in
   * a lone "-" ("... INFO [main] - message"); 0 when no header was recognised near the start of the line.
   */
  messageStart: number;
}

export class LineShaper {
  readonly shape: LineShape = { tokens: [], messageStart: 0 };

  constructor(
    private readonly maxLineLength: number,
    private readonly maxTokens: number,
  ) {}

  /** Fills and returns `this.shape` for the line. */
  run(line: string): LineShape {
    const shape = this.shape;
    const tokens = shape.tokens;
    tokens.length = 0;
    shape.messageStart = 0;
    const end = Math.min(line.length, this.maxLineLength);
    let rawTokens = 0;
    let componentSeen = false;
    let i = 0;
    while (i < end && rawTokens < this.maxTokens) {
      while (i < end && charClass(line.charCodeAt(i)) === SPACE) i++;
      if (i >= end) break;
      const tokenStart = i;
      // Scan one token, masking the variable words inside it.
      let masked = '';
      let copiedUpTo = tokenStart;
      let masks = 0;
      let keptLetter = false;
      let slashes = 0;
      let pathLike = false;
      let wordStart = -1;
      let wordHasDigit = false;
      let wordHasLetter = false;
      let words = 0;
      let lastWordStart = 0;
      let lastWordEnd = 0;
      for (; ; i++) {
        const code = i < end ? line.charCodeAt(i) : 32;
        const cls = charClass(code);
        if (cls === WORD) {
          if (wordStart < 0) {
            wordStart = i;
            wordHasDigit = false;
            wordHasLetter = false;
          }
          if (isDigit(code)) wordHasDigit = true;
          else if (isLetter(code)) wordHasLetter = true;
          continue;
        }
        if (wordStart >= 0) {
          words++;
          lastWordStart = wordStart;
          lastWordEnd = i;
          const kept = classifyWord(line, wordStart, i, wordHasDigit);
          if (kept === CONSTANT) {
            if (wordHasLetter) keptLetter = true;
          } else {
            masked += line.slice(copiedUpTo, wordStart + kept) + WILDCARD;
            copiedUpTo = i;
            masks++;
            if (kept > 0) keptLetter = true;
          }
          wordStart = -1;
        }
        if (cls === SPACE) break;
        // Otherwise a delimiter: kept verbatim, but paths and URLs are recognised by theirs.
        if (code === 47 /* / */) slashes++;
        else if (code === 58 /* : */ && i + 1 < end) {
          const next = line.charCodeAt(i + 1);
          if (next === 47 || next === 92) pathLike = true; // "scheme://" or "C:\"
        }
      }
      rawTokens++;
      const tokenEnd = i;
      const firstCode = line.charCodeAt(tokenStart);
      if ((firstCode === 47 || firstCode === 92 || firstCode === 126) && slashes + countBackslashes(line, tokenStart, tokenEnd) >= 2) {
        pathLike = true; // "/var/log/x", "~/x/y", "\\host\share"
      }
      let text: string;
      if (pathLike) text = WILDCARD;
      else if (masks > 0) {
        text = keptLetter && !isHostPort(line, tokenStart, tokenEnd, words) ? masked + line.slice(copiedUpTo, tokenEnd) : WILDCARD;
      } else if (words === 1 && tokens[tokens.length - 1] === WILDCARD && unitWords.has(line.slice(lastWordStart, lastWordEnd))) {
        text = WILDCARD;
      } else if (words === 0 && isEmptyValue(line, tokenStart, tokenEnd)) {
        text = WILDCARD;
      } else {
        text = line.slice(tokenStart, tokenEnd);
      }
      // Repeats of one variable shape ("<*>", "blk_<*> blk_<*> ...") vary in number; keep one.
      if (text === tokens[tokens.length - 1] && (text === WILDCARD || masks > 0)) continue;
      tokens.push(text);
      if (tokens.length <= MAX_HEADER_TOKENS && !componentSeen) {
        if (endsComponent(text)) {
          componentSeen = true;
          shape.messageStart = tokens.length;
        } else if (text === '-') shape.messageStart = tokens.length;
      }
    }
    if (shape.messageStart >= tokens.length) shape.messageStart = 0;
    return shape;
  }
}

/** "sshd[24200]:" or "dfs.DataNode$PacketResponder:": a component name closing a header. */
function endsComponent(token: string): boolean {
  if (token.length < 3 || token.charCodeAt(token.length - 1) !== 58 /* : */) return false;
  const before = token.charCodeAt(token.length - 2);
  return isLetter(before) || before === 93 /* ] */ || before === 41 /* ) */ || isDigit(before);
}

/** "proxy.example.org:5070", "10.0.0.1:80", "wpad:80": a host and a numeric port. */
function isHostPort(line: string, start: number, end: number, words: number): boolean {
  if (words !== 2) return false;
  const colon = line.indexOf(':', start);
  const portDigits = end - colon - 1;
  if (colon < 0 || portDigits < 1 || portDigits > 5) return false;
  for (let i = colon + 1; i < end; i++) if (!isDigit(line.charCodeAt(i))) return false;
  let dotted = false;
  let lowerCase = true;
  for (let i = start; i < colon; i++) {
    const c = line.charCodeAt(i);
    if (c === 46) dotted = true;
    else if (!((c >= 97 && c <= 122) || isDigit(c) || c === 45)) lowerCase = false;
  }
  // Without a dot, only a lower-case name with a multi-digit port ("retry:3" stays a key and its value).
  return dotted || (lowerCase && portDigits >= 2);
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
