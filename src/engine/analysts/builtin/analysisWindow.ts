// Which time the investigation looks at: the window the user gave; else around the time the incident text names;
// else the most recent data. Data far from that time is not evidence of this incident (a log that ends years
// before the outage says nothing about it), so the tools are asked for the window only.
import type { TimeWindow } from '../../analysis/analyst.js';
import type { DataOverview } from './dataOverview.js';
import { incidentTime } from './incidentTime.js';

export interface WindowChoice {
  window: TimeWindow;
  /** The time the incident text names: the incident's episode is the one at (or nearest) this time. */
  anchorMs?: number;
  notes: string[];
}

const HOUR = 3_600_000;
/** Around a named time: a day before it (the deployment behind a slow leak can be hours earlier) and after it. */
const AROUND_MS = 24 * HOUR;
/** With no time named, data spanning more than this is cut to its last day. */
const RECENT_SPAN_MS = 48 * HOUR;
const RECENT_MS = 24 * HOUR;
/** A bound that would cut off less than this is not worth changing the baselines for. */
const SLACK_MS = HOUR;

export function chooseWindow(overview: DataOverview, incident: string, given: TimeWindow, now = Date.now()): WindowChoice {
  const span = overview;
  const reference = Math.min(now, span.end ?? now);
  const named = incidentTime(incident, reference);
  const notes: string[] = [];
  if (named) notes.push(`the incident text says "${named.said}": ${iso(named.at)}`);
  if (span.end !== undefined && now - span.end > 7 * 24 * HOUR) notes.push(`the newest data is from ${iso(span.end)}, ${Math.round((now - span.end) / (24 * HOUR))} days ago`);
  if (given.since !== undefined || given.until !== undefined) return { window: given, ...(named && { anchorMs: named.at }), notes };
  if (span.start === undefined || span.end === undefined) return { window: {}, ...(named && { anchorMs: named.at }), notes };

  let since: number | undefined;
  let until: number | undefined;
  if (named) {
    if (named.at < span.start - AROUND_MS || named.at > span.end + AROUND_MS) {
      notes.push(`the data (${iso(span.start)} .. ${iso(span.end)}) does not cover that time`);
    }
    since = named.at - AROUND_MS;
    until = named.at + AROUND_MS;
  } else if (span.end - span.start > RECENT_SPAN_MS) {
    since = span.end - RECENT_MS;
    notes.push(`no time in the incident text: looking at the most recent day of data (from ${iso(since)})`);
  }
  const window: TimeWindow = {};
  if (since !== undefined && since > span.start + SLACK_MS) window.since = iso(since);
  if (until !== undefined && until < span.end - SLACK_MS) window.until = iso(until);
  return { window, ...(named && { anchorMs: named.at }), notes };
}

function iso(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}
