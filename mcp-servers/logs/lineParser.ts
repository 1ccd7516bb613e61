// Reads the time and severity of a log line in the common formats: `2026-02-17 14:45:23 ERROR [api] msg`,
// ISO-8601, JSON lines, BSD syslog, Apache/nginx access and Apache error logs. Times without a zone are UTC.

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export type LogFormat = 'timestamped' | 'json' | 'logfmt' | 'syslog' | 'access' | 'apache-error' | 'unknown';

export interface ParsedLine {
  /** Epoch milliseconds, or undefined when the line carries no time (e.g. a stack-trace continuation). */
  time?: number;
  level?: Level;
  format: LogFormat;
  /** For JSON lines: the message field, which is what a person reads (and what templates are mined from). */
  message?: string;
}

export const LEVEL_WORDS: Readonly<Record<string, Level>> = {
  trace: 'trace', debug: 'debug', dbg: 'debug', fine: 'debug', finer: 'trace', finest: 'trace',
  info: 'info', information: 'info', notice: 'info',
  warn: 'warn', warning: 'warn',
  error: 'error', err: 'error', severe: 'error', crit: 'fatal', critical: 'fatal',
  fatal: 'fatal', alert: 'fatal', emerg: 'fatal', panic: 'fatal',
  // Serilog's three-letter levels (.NET): [VRB] [DBG] [INF] [WRN] [ERR] [FTL].
  vrb: 'trace', inf: 'info', wrn: 'warn', ftl: 'fatal',
};

// After the time, some formats put a zone and a process id before the level: PostgreSQL's
// `2026-05-26 14:02:11.204 UTC [2211] ERROR:  canceling statement`, where LOG is its info level. Kept in step with
// the LogQL level stage (loki/logql.ts).
const HEADER_LEVEL = /^(?:\s*(?:[A-Z]{3,4}|\[[^\]]{1,40}\]|\S+@\S+|\d+))*\s*(TRACE|DEBUG|INFO|NOTICE|LOG|WARNING|WARN|ERROR|FATAL|PANIC|CRITICAL):/;

function headerLevel(rest: string): Level | undefined {
  const m = HEADER_LEVEL.exec(rest.slice(0, 120));
  if (!m) return undefined;
  return m[1] === 'LOG' ? 'info' : levelFromWord(m[1]!);
}

export function levelFromWord(word: string): Level | undefined {
  return LEVEL_WORDS[word.toLowerCase()];
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// 2026-02-17 14:45:23[.123][Z|+01:00], optionally in brackets, then an optional level word.
const ISO_START =
  /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?\]?\s*(?:[[(<]?([A-Za-z]{3,11})[\])>:]?)?/;
// Mar  5 09:12:44 host program[pid]: message
const SYSLOG_START = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;
// 127.0.0.1 - - [17/Feb/2026:14:45:23 +0000] "POST /api/checkout HTTP/1.1" 500 123
const ACCESS = /^\S+ \S+ \S+ \[(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "[^"]*" (\d{3}) /;
// [Sun Dec 04 04:47:44 2005] [error] message
// nginx's error log, `2026/06/09 06:02:57 [error] 1023#1023: *9120331 message`, and Go's log package,
// `2026/05/14 13:05:01.123456 message`.
const SLASH_DATE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (?:\[([a-z]+)\])?/;
const APACHE_ERROR = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4})\] \[(?:[a-z_]+:)?([a-z]+)\]/;
const SYSLOG_LEVEL = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRIT|CRITICAL|ALERT|EMERG|SEVERE)\b/;
// Syslog messages often carry no level at all; these words are how people spot the bad ones.
const SYSLOG_ERROR_WORDS = /\b(error|errno|failed|failure|fatal|panic|segfault|killed|out of memory|denied|cannot|can't|unable)\b/i;
const SYSLOG_WARN_WORDS = /\b(warn|warning|deprecated|retrying)\b/i;
// key=value pairs of logfmt (Go, Heroku, many others): time=… level=info msg="…"
const LOGFMT_START = /^[A-Za-z_][\w.]*=/;
const LOGFMT_PAIR = /([A-Za-z_][\w.]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
const LOGFMT_MAX_PAIRS = 30;

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function fractionMs(frac: string | undefined): number {
  return frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
}

function jsonTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string') return undefined;
  const iso = ISO_START.exec(value);
  if (iso) return isoMatchTime(iso);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function isoMatchTime(m: RegExpExecArray): number {
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fractionMs(frac));
  return utc - offsetMinutes(zone) * 60_000;
}

function parseJsonLine(line: string): ParsedLine | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const r = record as Record<string, unknown>;
  const time = jsonTime(r.ts ?? r.time ?? r.timestamp ?? r['@timestamp'] ?? r.t);
  const rawLevel = r.level ?? r.severity ?? r.lvl ?? r.loglevel ?? r.levelname ?? nested(r, 'log', 'level');
  let level: Level | undefined;
  if (typeof rawLevel === 'string') level = levelFromWord(rawLevel);
  else if (typeof rawLevel === 'number') level = pinoLevel(rawLevel);
  const text = r.msg ?? r.message ?? r.event;
  const message = withErrorDetail(typeof text === 'string' ? text : undefined, errorDetail(r));
  return { time, level, format: 'json', ...(message !== undefined && { message }) };
}

/** Where structured loggers put the error itself: pino/bunyan `err`, ECS `error.*`, Python `exc_info`, … */
const ERROR_FIELDS = ['err', 'error', 'exception', 'exc', 'exc_info', 'error.message', 'stack', 'stack_trace', 'stacktrace'];

/**
 * The error a record carries beside its message, as one line: "TypeError: Cannot read …". A record whose message
 * is generic ("request failed") says what failed only here, so people (and templates) read both.
 */
function errorDetail(r: Record<string, unknown>): string | undefined {
  for (const key of ERROR_FIELDS) {
    const value = r[key];
    if (typeof value === 'string' && value.trim()) return firstLine(value);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const e = value as Record<string, unknown>;
      const kind = [e.type, e.name, e.kind, e.class].find((v) => typeof v === 'string' && v) as string | undefined;
      const text = [e.message, e.msg, e.reason].find((v) => typeof v === 'string' && v) as string | undefined;
      if (text) return kind && !text.startsWith(kind) ? `${kind}: ${firstLine(text)}` : firstLine(text);
      const stack = e.stack ?? e.stack_trace;
      if (typeof stack === 'string' && stack.trim()) return firstLine(stack);
      if (kind) return kind;
    }
  }
  return undefined;
}

function withErrorDetail(message: string | undefined, detail: string | undefined): string | undefined {
  if (detail === undefined || (message !== undefined && message.includes(detail))) return message;
  return message?.trim() ? `${message}: ${detail}` : detail;
}

/** The line that names the error: the first, except in a Python traceback, which ends with it. */
function firstLine(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('Traceback')) return trimmed.slice(trimmed.lastIndexOf('\n') + 1).trim();
  const nl = trimmed.indexOf('\n');
  return nl < 0 ? trimmed : trimmed.slice(0, nl).trim();
}

function nested(r: Record<string, unknown>, outer: string, inner: string): unknown {
  const o = r[outer];
  return o && typeof o === 'object' ? (o as Record<string, unknown>)[inner] : undefined;
}

/** pino/bunyan numeric levels: 10 trace … 60 fatal. */
export function pinoLevel(n: number): Level | undefined {
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  if (n >= 10) return 'trace';
  return undefined;
}

function parseLogfmt(line: string): ParsedLine | undefined {
  const fields: Record<string, string> = {};
  let pairs = 0;
  for (const m of line.matchAll(LOGFMT_PAIR)) {
    const raw = m[2]!;
    fields[m[1]!.toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\"/g, '"') : raw;
    if (++pairs >= LOGFMT_MAX_PAIRS) break;
  }
  const time = jsonTime(fields.time ?? fields.ts ?? fields.timestamp ?? fields.t);
  if (time === undefined) return undefined;
  const word = fields.level ?? fields.lvl ?? fields.severity;
  const detail = fields.err ?? fields.error ?? fields.exception;
  const message = withErrorDetail(fields.msg ?? fields.message, detail === undefined ? undefined : firstLine(detail));
  return { time, level: word ? levelFromWord(word) : undefined, format: 'logfmt', ...(message !== undefined && { message }) };
}

function syslogLevel(message: string): Level | undefined {
  const word = SYSLOG_LEVEL.exec(message);
  if (word) return levelFromWord(word[1]!);
  if (SYSLOG_ERROR_WORDS.test(message)) return 'error';
  if (SYSLOG_WARN_WORDS.test(message)) return 'warn';
  return undefined;
}

/**
 * Parses one line. `year` fills in formats that omit it (BSD syslog); pass the year the catalog infers.
 */
export function parseLine(line: string, year: number): ParsedLine {
  const first = line.charCodeAt(0);
  if (first === 123 /* { */) {
    const json = parseJsonLine(line);
    if (json) return json;
  }
  if (LOGFMT_START.test(line)) {
    const logfmt = parseLogfmt(line);
    if (logfmt) return logfmt;
  }
  if (first >= 48 && first <= 57 /* digit */ || first === 91 /* [ */) {
    const iso = ISO_START.exec(line);
    if (iso) {
      const level = (iso[9] ? levelFromWord(iso[9]) : undefined) ?? headerLevel(line.slice(iso[0].length - (iso[9]?.length ?? 0)));
      return { time: isoMatchTime(iso), level, format: 'timestamped' };
    }
    const slash = SLASH_DATE.exec(line);
    if (slash) {
      const [, y, mo, d, h, mi, sec, frac, lvl] = slash;
      const time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), fractionMs(frac));
      return { time, level: lvl ? levelFromWord(lvl) : undefined, format: 'timestamped' };
    }
    const apache = APACHE_ERROR.exec(line);
    if (apache) {
      const [, mon, d, h, mi, s, y, lvl] = apache;
      const month = MONTHS[mon!.toLowerCase()];
      if (month !== undefined) {
        const time = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s));
        return { time, level: levelFromWord(lvl!), format: 'apache-error' };
      }
    }
  }
  const access = ACCESS.exec(line);
  if (access) {
    const [, d, mon, y, h, mi, s, zone, status] = access;
    const month = MONTHS[mon!.toLowerCase()];
    if (month !== undefined) {
      const time = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes(zone) * 60_000;
      const code = Number(status);
      const level: Level = code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info';
      return { time, level, format: 'access' };
    }
  }
  const syslog = SYSLOG_START.exec(line);
  if (syslog) {
    const [, mon, d, h, mi, s] = syslog;
    const month = MONTHS[mon!.toLowerCase()];
    if (month !== undefined) {
      const time = Date.UTC(year, month, Number(d), Number(h), Number(mi), Number(s));
      return { time, level: syslogLevel(line.slice(syslog[0].length, syslog[0].length + 300)), format: 'syslog' };
    }
  }
  return { format: 'unknown' };
}
