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
  // Time-zone abbreviations belong to the timestamp too (and change with daylight saving).
  'UTC', 'GMT', 'EST', 'EDT', 'CST', 'CDT', 'MST', 'MDT', 'PST', 'PDT', 'AKST', 'AKDT', 'HST', 'CET', 'CEST', 'EET',
  'EEST', 'WET', 'BST', 'IST', 'JST', 'KST', 'HKT', 'SGT', 'AEST', 'AEDT', 'ACST', 'AWST', 'NZST', 'NZDT', 'MSK',
]);
const calendarUpper = new Set([...calendarWords].filter((w) => w.length === 3).map((w) => w.toUpperCase()));

/**
 * Returns CONSTANT, VARIABLE, or a positive length p: keep the first p characters and mask the rest
 * (e.g. "blk_-6952" keeps "blk_", "Steps1514038530000" keeps "Steps"). `hasDot`: whether the word holds a ".".
 */
export function classifyWord(text: string, start: number, end: number, hasDigit: boolean, hasDot = true): number {
  if (!hasDigit) {
    if (hasDot) return isDomainName(text, start, end) || isQualifiedName(text, start, end) ? VARIABLE : CONSTANT;
    return isCalendarWord(text, start, end) ? VARIABLE : CONSTANT;
  }
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
  const stem = p - start;
  // A short stem and one digit name a thing rather than hold a value: "eth0", "ssh2", "md5", "sda1".
  if (stem >= 2 && stem <= 3 && end - p === 1) return CONSTANT;
  // Short stems are usually part of the value itself (hosts "dn228", "an430"); keep only telling ones: long, or
  // set off by a separator ("blk_-6952", "Ab.123" like "Name.123").
  if (stem >= 4) return stem;
  if (stem >= 2) {
    const next = text.charCodeAt(p);
    if (text.charCodeAt(p - 1) === 95 || next === 46 || next === 95) return stem;
  }
  return VARIABLE;
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

/**
 * "org.example.jobs.nightly", "spark.executor.memory", "mail.example.xyz": three or more dotted parts name a class,
 * a setting or a host, which vary like any other value (two parts, "NameSystem.addStoredBlock", are kept: those
 * are usually a component and its method; a last part in capitals is a named constant).
 */
function isQualifiedName(text: string, start: number, end: number): boolean {
  let dots = 0;
  let partLength = 0;
  let partLower = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (partLength === 0) return false;
      dots++;
      partLength = 0;
      partLower = false;
    } else if (isLetter(c) || c === 95 || c === 36 || c === 45) {
      partLength++;
      if (c >= 97 && c <= 122) partLower = true;
    } else return false;
  }
  // A last part in capitals names a constant ("android.intent.action.SCREEN_ON", "TimeUnit.SECONDS"): kept.
  return dots >= 2 && partLength > 0 && partLower;
}
