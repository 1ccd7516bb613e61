// Times given by callers (since/until) and the one rule for times without a zone: they are UTC.
import { UserError } from './result.js';

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
/** The calendar and clock fields every accepted form starts with. */
const FIELDS = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/**
 * Parses an ISO-8601 time, or `YYYY-MM-DD HH:MM[:SS]` read as UTC. Returns epoch milliseconds or undefined.
 * Impossible dates and times (February 30th, 25:61) are refused, not rolled over into the next month or day.
 */
export function parseTime(text: string): number | undefined {
  const trimmed = text.trim();
  if (!fieldsExist(trimmed)) return undefined;
  const naive = NAIVE.exec(trimmed);
  if (naive) {
    const [, y, mo, d, h, mi, s, frac] = naive;
    const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return Date.parse(`${trimmed}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function fieldsExist(text: string): boolean {
  const m = FIELDS.exec(text);
  if (!m) return true; // not a date-time at all: the caller's own checks say so
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((f) => (f === undefined ? undefined : Number(f))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

/** Parses a since/until argument, or explains the accepted forms. */
export function parseTimeArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = parseTime(value);
  if (parsed === undefined) {
    throw new UserError(
      `${name} "${value}" is not a time I can read. Use ISO-8601 such as 2026-02-17T14:45:00Z ` +
        `(or "2026-02-17 14:45:00", read as UTC).`,
    );
  }
  return parsed;
}

/** Checks that a window is not backwards; returns it unchanged. */
export function timeWindow(since?: string, until?: string): { since?: number; until?: number } {
  const from = parseTimeArg(since, 'since');
  const to = parseTimeArg(until, 'until');
  if (from !== undefined && to !== undefined && from > to) {
    throw new UserError(`since (${since}) is after until (${until}): swap them or widen the window.`);
  }
  return { since: from, until: to };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
