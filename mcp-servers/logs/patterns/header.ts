// Where a line's header ends and its message begins, from what headers are made of rather than from a fixed
// format: a level word ("ERROR", "[notice]"), a bracketed field ("[main]", "[10.30 16:49:06]"), a component
// closing with a colon ("sshd[24200]:", "dfs.DataNode$PacketResponder:") and separators ("-", ":", "---").
// Header tokens are left out of grouping, so a boundary placed too late merges events; one placed too early
// (or not at all) lets header columns split them.
import { isDigit, isLetter } from './charClass.js';

const WILDCARD = '<*>';

/** Tokens (masked, collapsed) a header may span before its level word or first bracketed field. */
export const HEADER_WINDOW = 8;
/** Without a level word or bracketed field, a "component:" must come within this many tokens. */
const COMPONENT_WINDOW = 5;
/** After an anchor, how far a separator closing the header may be ("INFO [main] o.a.Foo - msg"). */
const AFTER_ANCHOR = 5;

/** A component whose name was masked ("org.example.Service:"). */
const MASKED_COMPONENT = '<*>:';

const levelWords = new Set([
  'TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'SEVERE', 'FATAL', 'CRIT', 'CRITICAL',
  'ALERT', 'EMERG', 'EMERGENCY', 'FINE', 'FINER', 'FINEST', 'CONFIG', 'VERBOSE', 'PANIC', 'INFORMATION',
]);

/**
 * "INFO", "ERROR:", "[notice]", "<warn>", "[Info]": a log level (lower case only when bracketed). `capitalised`
 * also accepts "Info", "Warning" (as Windows and .NET write them): not at the start of a line, where "Error
 * opening file" is more likely a message.
 */
export function isLevelWord(token: string, capitalised = false): boolean {
  let end = token.length;
  if (end < 3 || end > 12) return false;
  const first = token.charCodeAt(0);
  const last = token.charCodeAt(end - 1);
  if ((first === 91 && last === 93) || (first === 60 && last === 62) || (first === 40 && last === 41)) {
    const word = token.slice(1, end - 1);
    return word.length >= 3 && levelWords.has(word.toUpperCase());
  }
  if (first < 65 || first > 90) return false;
  if (last === 58 /* : */) end--;
  if (end < 3 || end > 11) return false;
  const word = end === token.length ? token : token.slice(0, end);
  if (levelWords.has(word)) return true;
  if (!capitalised) return false;
  for (let i = 1; i < end; i++) {
    const c = word.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return levelWords.has(word.toUpperCase());
}

/** "sshd[24200]:" or "dfs.DataNode$PacketResponder:": a component name closing a header. */
export function endsComponent(token: string): boolean {
  if (token.length < 3 || token.charCodeAt(token.length - 1) !== 58 /* : */) return false;
  const before = token.charCodeAt(token.length - 2);
  return isLetter(before) || before === 93 /* ] */ || before === 41 /* ) */ || isDigit(before);
}

/** "-", "--", "---", ":", "|", ">", "->", "=>": a separator between header fields or before the message. */
function isSeparator(token: string): boolean {
  switch (token) {
    case '-':
    case '--':
    case '---':
    case ':':
    case '>':
    case '->':
    case '=>':
    case '::':
      return true;
    default:
      return false;
  }
}

/**
 * A field that headers hold and messages rarely start with: a masked value (time, pid, host), a bracketed
 * field, a level, or a dotted name ("chrome.exe", "o.s.b.Application", "main.py").
 */
function isHeaderField(token: string, group: boolean): boolean {
  if (group || token.includes('<*>') || isLevelWord(token)) return true;
  return isDottedName(token);
}

/** Bit i of `groups` marks token i as a bracketed field. */
function isGroup(groups: number, i: number): boolean {
  return i < 31 && ((groups >>> i) & 1) === 1;
}

function isQuoted(token: string): boolean {
  const c = token.charCodeAt(0);
  return c === 34 || c === 39;
}

function isDottedName(token: string): boolean {
  let dots = 0;
  const n = token.length;
  if (n < 3 || !isLetter(token.charCodeAt(0))) return false;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c === 46 /* . */ || c === 36 /* $ */) {
      if (i === n - 1) return false;
      dots++;
    } else if (!(isLetter(c) || isDigit(c) || c === 95 || c === 45)) return false;
  }
  return dots > 0;
}

/**
 * Index of the first message token, or 0 when the line shows no header. Sets `out.columns` when the header was
 * found only as a run of plain columns (no level word, bracketed field or "component:" to anchor it).
 */
export function findMessageStart(tokens: readonly string[], groups: number, out: { columns: boolean }): number {
  const n = tokens.length;
  out.columns = false;
  const limit = Math.min(n, HEADER_WINDOW);
  let start = 0;
  let level = -1;
  for (let i = 0; i < limit; i++) {
    const token = tokens[i]!;
    if (token === WILDCARD) continue;
    if (isLevelWord(token, i > 0)) {
      level = i;
      break;
    }
    // "Dec 10 06:55:46 LabSZ sshd[24200]:" closes a header; further in, a "word:" is likelier part of the message.
    if (i < COMPONENT_WINDOW && endsComponent(token)) {
      start = i + 1;
      break;
    }
  }
  if (level >= 0) {
    // After the level: header fields and a separator or "component:" ("INFO [main] o.a.Foo - msg"), if any.
    start = afterAnchor(tokens, groups, level);
  } else if (start === 0) {
    // The first bracketed field anchors the header if only header fields come before it ("[10.30 16:49:06] x -").
    // Failing that, plain columns (id, host, component, epoch) with nothing ending in ":": the leading run of
    // header fields.
    while (start < limit && !isGroup(groups, start) && isHeaderField(tokens[start]!, false)) start++;
    if (start < limit && isGroup(groups, start)) start = afterAnchor(tokens, groups, start);
    else if (start === limit) start = 0;
    else out.columns = start > 0;
  }
  return start < n ? start : 0;
}

/** The message starts after the anchor, after the header fields and separator that follow it if any. */
function afterAnchor(tokens: readonly string[], groups: number, anchor: number): number {
  const n = tokens.length;
  const limit = Math.min(n, anchor + 1 + AFTER_ANCHOR);
  let separator = -1;
  for (let j = anchor + 1; j < limit; j++) {
    const token = tokens[j]!;
    if (endsComponent(token) || token === MASKED_COMPONENT) return j + 1 < n ? j + 1 : anchor + 1;
    if (isSeparator(token)) separator = j;
    else if (isQuoted(token) || !isHeaderField(token, isGroup(groups, j))) break;
  }
  if (separator >= 0) return separator + 1;
  let j = anchor + 1;
  while (j < n && isGroup(groups, j)) j++;
  return j;
}
