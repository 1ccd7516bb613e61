// Reads every entry of a LogQL log query in a window, page by page, within Loki's limits: at most 5,000 entries per
// query (smaller when Loki says so), at most 30 days per query (longer windows are split). Paging goes on from the
// last timestamp returned; start (or, backwards, end) is moved to that timestamp, so the entries already seen at it
// are skipped by identity (stream, time, text) — nothing is lost or returned twice.
import { LokiHttpError, type LokiClient } from './client.js';
import type { Labels } from './labels.js';

export interface LokiEntry {
  labels: Labels;
  /** Canonical labels: the `file` of every result. */
  stream: string;
  ns: bigint;
  text: string;
}

export const MAX_ENTRIES_PER_QUERY = 5_000;
export const MAX_QUERY_SPAN_NS = 30n * 24n * 3_600n * 1_000_000_000n;
const MIN_PAGE = 50;

export interface PageOptions {
  direction?: 'forward' | 'backward';
  /** Entries per query (≤ 5,000). */
  pageSize?: number;
  /** Called with a note when something had to be left out (more entries at one timestamp than a query returns). */
  onNote?: (note: string) => void;
}

/** The window [from, to) cut into spans of at most 30 days, in the order they are read. */
export function splitWindow(from: bigint, to: bigint, direction: 'forward' | 'backward' = 'forward'): Array<[bigint, bigint]> {
  const spans: Array<[bigint, bigint]> = [];
  for (let start = from; start < to; start += MAX_QUERY_SPAN_NS) {
    const end = start + MAX_QUERY_SPAN_NS < to ? start + MAX_QUERY_SPAN_NS : to;
    spans.push([start, end]);
  }
  return direction === 'forward' ? spans : spans.reverse();
}

/** Pages of entries of `query` in [from, to), each page in the reading direction's time order. */
export async function* entryPages(client: LokiClient, query: string, from: bigint, to: bigint, options: PageOptions = {}): AsyncGenerator<LokiEntry[]> {
  const direction = options.direction ?? 'forward';
  let limit = Math.min(options.pageSize ?? MAX_ENTRIES_PER_QUERY, MAX_ENTRIES_PER_QUERY);
  for (const [spanStart, spanEnd] of splitWindow(from, to, direction)) {
    let start = spanStart;
    let end = spanEnd;
    /** Identities of the entries already returned at the boundary timestamp. */
    let seenAtBoundary = new Set<string>();
    for (;;) {
      if (start >= end) break;
      let streams;
      try {
        streams = await client.queryStreams(query, start, end, limit, direction);
      } catch (err) {
        const smaller = limitAfterError(err, limit);
        if (smaller === undefined) throw err;
        limit = smaller;
        continue;
      }
      const entries = flatten(streams, direction);
      const fresh = entries.filter((e) => !seenAtBoundary.has(identity(e)));
      if (fresh.length > 0) yield fresh;
      if (entries.length < limit) break; // this span is done
      const boundary = entries[entries.length - 1]!.ns;
      const atBoundary = entries.filter((e) => e.ns === boundary);
      if (fresh.length === 0 || atBoundary.length === entries.length) {
        // More entries share one timestamp than a query returns: step past it and say so.
        options.onNote?.(`more than ${limit} entries at ${boundary} ns; only ${limit} of them were read`);
        if (direction === 'forward') start = boundary + 1n;
        else end = boundary;
        seenAtBoundary = new Set();
        continue;
      }
      seenAtBoundary = new Set(atBoundary.map(identity));
      if (direction === 'forward') start = boundary;
      else end = boundary + 1n;
    }
  }
}

/** The next page size when Loki refused one as too large; undefined when the error is something else. */
function limitAfterError(err: unknown, limit: number): number | undefined {
  if (!(err instanceof LokiHttpError) || limit <= MIN_PAGE) return undefined;
  const text = err.body.toLowerCase();
  const tooMany = /max entries limit|max_entries_limit|too many|larger than the max|message size|response too large/.test(text);
  if (!tooMany || (err.status !== 400 && err.status !== 413 && err.status !== 500 && err.status !== 422)) return undefined;
  const allowed = /\(\d+ > (\d+)\)/.exec(err.body);
  const next = allowed ? Number(allowed[1]) : Math.floor(limit / 2);
  return next < limit ? Math.max(MIN_PAGE, next) : Math.max(MIN_PAGE, Math.floor(limit / 2));
}

function identity(e: LokiEntry): string {
  return `${e.stream}\u0000${e.ns}\u0000${e.text}`;
}

function flatten(streams: Awaited<ReturnType<LokiClient['queryStreams']>>, direction: 'forward' | 'backward'): LokiEntry[] {
  const all: LokiEntry[] = [];
  for (const s of streams) {
    for (const [ts, text] of s.values) all.push({ labels: s.labels, stream: s.stream, ns: BigInt(ts), text });
  }
  // Within one timestamp, a stable order (stream, then Loki's order) so that paging is repeatable.
  all.sort((a, b) => (a.ns === b.ns ? (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) : a.ns < b.ns ? -1 : 1));
  if (direction === 'backward') all.reverse();
  return all;
}

/** Reads entries until `wanted` of them pass `keep` (or the window ends). */
export async function collectEntries(
  client: LokiClient,
  query: string,
  from: bigint,
  to: bigint,
  wanted: number,
  keep: (e: LokiEntry) => boolean,
  options: PageOptions = {},
): Promise<{ entries: LokiEntry[]; more: boolean }> {
  const entries: LokiEntry[] = [];
  const pageSize = Math.min(MAX_ENTRIES_PER_QUERY, Math.max(wanted + 1, options.pageSize ?? 0, 100));
  for await (const page of entryPages(client, query, from, to, { ...options, pageSize })) {
    for (const e of page) {
      if (!keep(e)) continue;
      if (entries.length === wanted) return { entries, more: true };
      entries.push(e);
    }
  }
  return { entries, more: false };
}
