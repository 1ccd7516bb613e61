// The optional time window typed into "Analyze Incident": empty for all the data, `FROM..TO`, `FROM..` or
// `..TO` (ISO-8601, or "YYYY-MM-DD HH:MM" read as UTC), or `last 2h` / `last 30m` / `last 1d`.
import { parseTime } from '../../mcp-servers/common/time.js';
import type { TimeWindow } from '../engine/analysis/analyst.js';

export const WINDOW_HELP = 'e.g. "2026-02-17 14:00..2026-02-17 16:00", "2026-02-17T14:00Z..", "last 2h"; empty: all the data (UTC unless a zone is given)';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseWindowInput(text: string, now = Date.now()): { window: TimeWindow } | { error: string } {
  const input = text.trim();
  if (!input) return { window: {} };
  const last = /^last\s+(\d+(?:\.\d+)?)\s*([mhd])$/i.exec(input);
  if (last) {
    const span = Number(last[1]) * UNIT_MS[last[2]!.toLowerCase()]!;
    return { window: { since: new Date(now - span).toISOString(), until: new Date(now).toISOString() } };
  }
  const [fromText, toText, ...rest] = input.split('..');
  if (rest.length || toText === undefined) return { error: `"${input}" is not a window: ${WINDOW_HELP}.` };
  const from = fromText!.trim() ? parseTime(fromText!) : undefined;
  const to = toText.trim() ? parseTime(toText) : undefined;
  if (fromText!.trim() && from === undefined) return { error: `"${fromText!.trim()}" is not a time: ${WINDOW_HELP}.` };
  if (toText.trim() && to === undefined) return { error: `"${toText.trim()}" is not a time: ${WINDOW_HELP}.` };
  if (from !== undefined && to !== undefined && from > to) return { error: 'The window ends before it starts: swap the two times.' };
  return {
    window: {
      ...(from !== undefined ? { since: new Date(from).toISOString() } : {}),
      ...(to !== undefined ? { until: new Date(to).toISOString() } : {}),
    },
  };
}
