// How numbers, times and series are written in tool text, so every answer reads the same way.
import { isoTime } from '../common/time.js';

/** Four significant digits for fractions, integers as they are: enough to cite, short enough to scan. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1000) return value.toFixed(1);
  return String(Number(value.toPrecision(4)));
}

/** Rounds for structured output: six significant digits, integers untouched. */
export function roundForOutput(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}

export function formatPercent(pct: number | null): string {
  if (pct === null) return 'from a baseline of 0';
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) >= 100 ? 0 : 1)}%`;
}

export function seriesLabel(metric: string, service?: string): string {
  return service === undefined ? metric : `${metric} [${service}]`;
}

export function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${formatNumber(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${formatNumber(hours)} h`;
  return `${formatNumber(hours / 24)} days`;
}

export function formatRange(from: number, to: number): string {
  return `${isoTime(from)} .. ${isoTime(to)}`;
}

/** Left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => indent + cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
