// When the incident text says it happened ("since about 14:45 UTC", "this morning", "for two hours",
// "2026-02-17 14:45"), as a time the analysis anchors on. Times are UTC unless they say otherwise, and clock times
// and relative phrases are read against the newest data (or now, if the data runs up to now): an engineer
// reporting "since 14:45" means the latest 14:45 before they wrote it.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, twenty: 20, thirty: 30, 'forty-five': 45, 'half an': 0.5 };

const ISO_DATE_TIME = /\b(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?/i;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const CLOCK = /\b([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\s*(am|pm)?\s*(UTC|GMT|Z\b|[+-]\d{2}:?\d{2})?/i;
const HOUR_AMPM = /\b(1[0-2]|[1-9])\s*(am|pm)\b\s*(UTC|GMT)?/i;
const AGO = /\b(?:for|in|over)?\s*(?:the\s+)?(?:last|past)?\s*(\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|ten|twenty|thirty|forty-five|half an)\s+(hours?|hrs?|h|minutes?|mins?)\b(?:\s+ago)?/i;
const PARTS_OF_DAY: Array<[RegExp, number]> = [
  [/\b(overnight|last night|tonight at midnight)\b/i, 0],
  [/\bthis morning\b/i, 6],
  [/\b(this afternoon|since noon|at noon)\b/i, 12],
  [/\b(this evening|tonight)\b/i, 18],
  [/\btoday\b/i, 0],
];

export interface IncidentTime {
  /** The time the text names, in ms. */
  at: number;
  /** The words it was read from, for the notes. */
  said: string;
}

/** The time an incident text names, read against `reference` (ms); undefined when it names none. */
export function incidentTime(text: string, reference: number): IncidentTime | undefined {
  const full = ISO_DATE_TIME.exec(text);
  if (full) {
    const [, y, mo, d, h, mi, s, zone] = full;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
    return valid(utc - zoneMinutes(zone) * 60_000, full[0]);
  }
  const date = ISO_DATE.exec(text);
  const clock = CLOCK.exec(text) ?? HOUR_AMPM.exec(text);
  if (clock) {
    const isAmPm = clock.length === 4;
    let hour = Number(clock[1]);
    const minute = isAmPm ? 0 : Number(clock[2]);
    const ampm = (isAmPm ? clock[2] : clock[3])?.toLowerCase();
    const zone = isAmPm ? clock[3] : clock[4];
    if (ampm === 'pm' && hour < 12) hour += 12;
    if (ampm === 'am' && hour === 12) hour = 0;
    const offset = zoneMinutes(zone) * 60_000;
    if (date) {
      const day = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
      return valid(day + hour * HOUR + minute * 60_000 - offset, `${date[0]} ${clock[0].trim()}`);
    }
    return valid(latestAtOrBefore(reference, hour * HOUR + minute * 60_000 - offset), clock[0].trim());
  }
  if (date) return valid(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])), date[0]);
  const ago = AGO.exec(text);
  if (ago && (/\b(ago|last|past|for)\b/i.test(ago[0]))) {
    const n = NUMBER_WORDS[ago[1]!.toLowerCase()] ?? Number(ago[1]);
    const unit = /^h/i.test(ago[2]!) ? HOUR : 60_000;
    if (Number.isFinite(n) && n > 0) return valid(reference - n * unit, ago[0].trim());
  }
  for (const [re, hour] of PARTS_OF_DAY) {
    const m = re.exec(text);
    if (m) return valid(latestAtOrBefore(reference, hour * HOUR), m[0]);
  }
  if (/\byesterday\b/i.test(text)) return valid(startOfDay(reference) - DAY, 'yesterday');
  return undefined;
}

function valid(at: number, said: string): IncidentTime | undefined {
  return Number.isFinite(at) ? { at, said } : undefined;
}

/** The latest moment at or before `reference` whose UTC time of day is `msOfDay` (wrapping into the day before). */
function latestAtOrBefore(reference: number, msOfDay: number): number {
  const wrapped = ((msOfDay % DAY) + DAY) % DAY;
  const candidate = startOfDay(reference) + wrapped;
  return candidate <= reference ? candidate : candidate - DAY;
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone.trim())) return 0;
  const m = /([+-])(\d{2}):?(\d{2})/.exec(zone);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
