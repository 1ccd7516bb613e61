// Decides whether one word (a run of word characters inside a token) is a variable.
import { isDigit, isHexLetter, isLetter } from './charClass.js';

/** The word is part of the template. */
export const CONSTANT = -1;
/** The whole word is a variable. */
export const VARIABLE = 0;

// Calendar words vary with the timestamp, so headers like "Sun Dec 04" mask like digits do.
const calendarWords = new Set([
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
  'January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
  'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun',
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
]);
const calendarUpper = new Set([...calendarWords].filter((w) => w.length === 3).map((w) => w.toUpperCase()));

/**
 * Returns CONSTANT, VARIABLE, or a positive length p: keep the first p characters and mask the rest
 * (e.g. "blk_-6952" keeps "blk_", "Steps1514038530000" keeps "Steps").
 */
export function classifyWord(text: string, start: number, end: number, hasDigit: boolean): number {
  if (!hasDigit) return isCalendarWord(text, start, end) || isDomainName(text, start, end) ? VARIABLE : CONSTANT;
  const first = text.charCodeAt(start);
  // Numbers, versions, timestamps, sizes and durations ("30s", "250ms", "1.5GB") all start with a digit or sign.
  if (!isLetter(first) && first !== 95 /* _ */) return VARIABLE;
  if (isHexLike(text, start, end)) return VARIABLE;
  // An alphabetic stem followed by a numeric or hex tail ("blk_123", "dn228", "Steps1514038530000").
  let p = start;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) break;
    p++;
  }
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(isDigit(c) || isHexLetter(c) || c === 45 || c === 46 || c === 95)) return VARIABLE;
  }
  // Short stems are usually part of the value itself (hosts "dn228", "an430"); keep only telling ones.
  const stem = p - start;
  return stem >= 4 || (stem >= 2 && text.charCodeAt(p - 1) === 95) ? stem : VARIABLE;
}

/** Only hex digits and separators ("a692162415ae", "38101a0b-2096-447d"): ids, hashes, UUIDs, addresses. */
function isHexLike(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(isDigit(c) || isHexLetter(c) || c === 45 || c === 46 || c === 95)) return false;
  }
  return true;
}

function isCalendarWord(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 3 || length > 9) return false;
  const first = text.charCodeAt(start);
  if (first < 65 || first > 90) return false;
  const word = text.slice(start, end);
  return calendarWords.has(word) || (length === 3 && calendarUpper.has(word));
}

// Host names vary per line; a dotted lower-case name ending in a common top-level domain is one.
const topLevelDomains = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'io', 'info', 'biz', 'co', 'us', 'uk', 'de', 'fr', 'nl', 'ru', 'cn',
  'jp', 'kr', 'hk', 'tw', 'in', 'br', 'au', 'ca', 'eu', 'local', 'lan', 'internal', 'localdomain',
]);

function isDomainName(text: string, start: number, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  if (last < 97 || last > 122) return false;
  let lastDot = end - 2;
  while (lastDot > start && text.charCodeAt(lastDot) !== 46) lastDot--;
  if (lastDot <= start || lastDot >= end - 2) return false;
  if (!topLevelDomains.has(text.slice(lastDot + 1, end))) return false;
  for (let i = start; i < lastDot; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || isDigit(c) || c === 45 || c === 46)) return false;
  }
  return true;
}
