// Cron schedules a change adds (crontab lines, `schedule: "40 13 * * 1-5"` in a CronJob): a job that a release
// moved to start at the very minute an incident began is tied to it, though it changed no code that fails.

export interface Schedule {
  expression: string;
  minutes: ReadonlySet<number> | 'any';
  hours: ReadonlySet<number> | 'any';
  weekdays: ReadonlySet<number> | 'any';
}

// minute hour day-of-month month day-of-week, at the start of a line or as a quoted value.
const CRON = /(?:^|["'=:]\s*)([\d*,/-]+)\s+([\d*,/-]+)\s+([\d*,/?LW-]+)\s+([\d*,/A-Za-z-]+)\s+([\d*,/?A-Za-z#-]+)(?=\s|["']|$)/;

/** The schedules in some added lines. */
export function schedulesIn(lines: readonly string[]): Schedule[] {
  const out: Schedule[] = [];
  for (const line of lines) {
    const m = CRON.exec(line.trim());
    if (!m) continue;
    const minutes = field(m[1]!, 0, 59);
    const hours = field(m[2]!, 0, 23);
    const weekdays = field(m[5]!.replace(/^(\d)-7$/, '$1-6'), 0, 7);
    if (!minutes || !hours || !weekdays) continue;
    out.push({ expression: [m[1], m[2], m[3], m[4], m[5]].join(' '), minutes, hours, weekdays });
  }
  return out;
}

/** Whether a schedule starts a run within `toleranceMin` minutes before `at` (UTC: a server's clock usually is). */
export function startsAt(schedule: Schedule, at: number, toleranceMin = 2): boolean {
  for (let back = 0; back <= toleranceMin; back++) {
    const d = new Date(at - back * 60_000);
    const weekday = d.getUTCDay();
    if (has(schedule.minutes, d.getUTCMinutes()) && has(schedule.hours, d.getUTCHours()) && (has(schedule.weekdays, weekday) || (weekday === 0 && has(schedule.weekdays, 7)))) return true;
  }
  return false;
}

function has(set: ReadonlySet<number> | 'any', value: number): boolean {
  return set === 'any' || set.has(value);
}

/** A cron field as the values it allows; undefined when it is not a cron field (so the line is not a schedule). */
function field(text: string, min: number, max: number): ReadonlySet<number> | 'any' | undefined {
  if (text === '*' || text === '?') return 'any';
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = m[1] === '*' ? min : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? max : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
