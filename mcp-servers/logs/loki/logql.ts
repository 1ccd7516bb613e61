// LogQL pieces that say in Loki what lineParser.ts says in JavaScript: which lines start a record (carry their own
// time), and each line's severity. Both are RE2 approximations of the parser, for the formats it reads; results
// that a tool returns are checked again with parseLine where it matters.
import { LEVELS, LEVEL_WORDS, levelFromWord, levelRank, pinoLevel, type Level } from '../lineParser.js';
import { escapeRegex } from '../searchRequest.js';
import { quoteLogql, type Labels } from './labels.js';

/** Literal text, case-insensitive as the file tools search: `|~ "(?i)…"` with the text escaped for RE2. */
export function literalFilter(text: string, caseSensitive = false): string {
  if (caseSensitive) return `|= ${quoteLogql(text)}`;
  return `|~ ${quoteLogql(`(?i)${escapeRegex(text)}`)}`;
}

/** A regex line filter (RE2 semantics, checked by Loki). */
export function regexFilter(pattern: string, caseSensitive = false): string {
  return `|~ ${quoteLogql(caseSensitive ? pattern : `(?i)${pattern}`)}`;
}

const ISO = String.raw`\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}`;
const ACCESS = String.raw`\S+ \S+ \S+ \[\d{2}/[A-Za-z]{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[^"]*" `;
const APACHE = String.raw`\[[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4}\] `;
const SYSLOG = String.raw`[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} `;
const SLASH_DATE = String.raw`\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? `;
const JSON_TIME = String.raw`\{.*"(?:ts|time|timestamp|@timestamp|t)"\s*:`;
const LOGFMT_TIME = String.raw`(?i:(?:time|ts|timestamp|t)=|[A-Za-z_][\w.]*=.*\s(?:time|ts|timestamp|t)=)`;

/** Lines that carry their own time: a stack frame or a wrapped message is not a record of its own. */
export const RECORD_FILTER = `|~ ${quoteLogql(`^(?:${ISO}|${JSON_TIME}|${ACCESS}|${APACHE}|${SYSLOG}|${SLASH_DATE}|${LOGFMT_TIME})`)}`;

const SYSLOG_WORDS = 'TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRIT|CRITICAL|ALERT|EMERG|SEVERE';
const SYSLOG_ERROR = "error|errno|failed|failure|fatal|panic|segfault|killed|out of memory|denied|cannot|can't|unable";
const SYSLOG_WARN = 'warn|warning|deprecated|retrying';

/** Labels the level stage extracts (prefixed so they never collide with a stream's own labels). */
export const LEVEL_LABELS = ['ia_lvl', 'ia_hdr', 'ia_json', 'ia_kv', 'ia_st', 'ia_ap', 'ia_ng', 'ia_sys', 'ia_syserr', 'ia_syswarn'] as const;

const LEVEL_REGEX =
  '^(?:' +
  [
    String.raw`\{.*?"(?:level|severity|lvl|loglevel)"\s*:\s*"?(?P<ia_json>[A-Za-z]+|\d+)`,
    // …and, as lineParser's headerLevel reads it, a level after a zone and a process id (PostgreSQL: `UTC [2211] ERROR:`).
    String.raw`\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\s?(?:Z|[+-]\d{2}:?\d{2})?\]?\s*(?:[\[(<]?(?P<ia_lvl>[A-Za-z]{3,11}))?(?:[\])>:]?(?:\s*(?:[A-Z]{3,4}|\[[^\]]{1,40}\]|\S+@\S+|\d+))*\s*(?P<ia_hdr>TRACE|DEBUG|INFO|NOTICE|LOG|WARNING|WARN|ERROR|FATAL|PANIC|CRITICAL):)?`,
    String.raw`${SLASH_DATE}(?:\[(?P<ia_ng>[a-z]+)\])?`,
    String.raw`\[[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4}\] \[(?:[a-z_]+:)?(?P<ia_ap>[a-z]+)\]`,
    String.raw`${ACCESS}(?P<ia_st>\d)\d\d `,
    `${SYSLOG}(?:.*?\\b(?P<ia_sys>${SYSLOG_WORDS})\\b|.*?(?P<ia_syserr>(?i)\\b(?:${SYSLOG_ERROR})\\b)|.*?(?P<ia_syswarn>(?i)\\b(?:${SYSLOG_WARN})\\b))?`,
    String.raw`(?:(?i:level|lvl|severity)=|[A-Za-z_][\w.]*=.*?\s(?i:level|lvl|severity)=)"?(?P<ia_kv>[A-Za-z]+)`,
  ].join('|') +
  ')';

/** `| regexp …`: extracts the severity word of a line (or an access log's status class) into LEVEL_LABELS. */
export const LEVEL_STAGE = `| regexp ${quoteLogql(LEVEL_REGEX)}`;

/** The level of a line from what LEVEL_STAGE extracted, falling back to a `level` label the stream carries. */
export function levelOfLabels(labels: Labels): Level | undefined {
  const word = (name: string) => (labels[name] ? levelFromWord(labels[name]!) : undefined);
  if (labels.ia_json) return /^\d+$/.test(labels.ia_json) ? pinoLevel(Number(labels.ia_json)) : levelFromWord(labels.ia_json);
  const found =
    word('ia_lvl') ??
    (labels.ia_hdr === 'LOG' ? 'info' : word('ia_hdr')) ??
    word('ia_ap') ??
    word('ia_ng') ??
    word('ia_sys') ??
    word('ia_kv') ??
    (labels.ia_st ? (labels.ia_st >= '5' ? 'error' : labels.ia_st === '4' ? 'warn' : 'info') : undefined) ??
    (labels.ia_syserr ? 'error' : undefined) ??
    (labels.ia_syswarn ? 'warn' : undefined);
  if (found) return found;
  const extracted = LEVEL_LABELS.some((name) => labels[name]);
  return extracted ? undefined : word('level');
}

/** `| regexp … | (…)`: keeps lines at `min` or above (by the words lineParser maps to each level). */
export function minLevelStage(min: Level): string {
  const kept = LEVELS.filter((l) => levelRank(l) >= levelRank(min));
  const words = Object.entries(LEVEL_WORDS)
    .filter(([, level]) => kept.includes(level))
    .map(([word]) => escapeRegex(word))
    .join('|');
  const anyCase = quoteLogql(`(?i)(?:${words})`);
  // pino numbers: 10 trace … 60 fatal; `min` and above.
  const digit = levelRank(min) + 1;
  const pino = quoteLogql(`(?i)(?:${words}|[${digit}-9]\\d|[1-9]\\d{2,})`);
  const clauses = [`ia_json=~${pino}`, `ia_lvl=~${anyCase}`, `ia_hdr=~${anyCase}`, `ia_ap=~${anyCase}`, `ia_ng=~${anyCase}`, `ia_sys=~${anyCase}`, `ia_kv=~${anyCase}`];
  if (levelRank(min) <= levelRank('info')) clauses.push('ia_hdr="LOG"');
  if (levelRank(min) <= levelRank('error')) clauses.push('ia_st=~"5"', 'ia_syserr!=""');
  if (levelRank(min) <= levelRank('warn')) clauses.push('ia_st=~"4"', 'ia_syswarn!=""');
  if (levelRank(min) <= levelRank('info')) clauses.push('ia_st=~"[123]"');
  const none = LEVEL_LABELS.map((name) => `${name}=""`).join(' and ');
  clauses.push(`(${none} and level=~${anyCase})`);
  return `${LEVEL_STAGE} | (${clauses.join(' or ')})`;
}
