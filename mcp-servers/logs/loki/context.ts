// What every Loki-backed tool needs: the client, the scope of streams it may read (--loki-selector, or every stream),
// the default window (--loki-lookback back from now), and the few queries several tools share: the span of the data,
// metric counts per bucket, and an entry's neighbours in its stream.
import { UserError } from '../../common/result.js';
import { isoTime, timeWindow } from '../../common/time.js';
import { levelFromWord, parseLine } from '../lineParser.js';
import { clip } from '../searchRequest.js';
import type { LokiClient, LokiSeries } from './client.js';
import { collectEntries, type LokiEntry } from './entries.js';
import { canonicalLabels, parseStreamLabels, selectorMatchers, streamSelector, type Labels } from './labels.js';

export const NS_PER_MS = 1_000_000n;
const DAY_MS = 86_400_000;
/** Metric queries are cut into spans of at most this long (Loki refuses more than 721 h)… */
const MAX_METRIC_SPAN_MS = 29 * DAY_MS;
/** …and of at most this many points (Loki refuses more than 11,000). */
const MAX_POINTS = 10_000;
/** How far read_logs and search context look for an entry's neighbours. */
const NEIGHBOUR_SPAN_NS = 24n * 3_600_000n * NS_PER_MS;
/**
 * Without --loki-selector: every stream with a job label (Promtail, Alloy and most shippers set one). Loki needs a
 * matcher that does not match the empty string, and its /series and /labels endpoints do not see data still in the
 * ingester beyond query_ingesters_within, so the streams cannot be discovered reliably without one.
 */
export const DEFAULT_SELECTOR = '{job=~".+"}';

export interface NsWindow {
  /** Inclusive start, ns. */
  from: bigint;
  /** Exclusive end, ns. */
  to: bigint;
  sinceGiven: boolean;
  untilGiven: boolean;
}

export interface LineOut {
  file: string;
  time_ns: string;
  time: string;
  text: string;
  level?: string;
}

export function nsOfMs(ms: number): bigint {
  return BigInt(ms) * NS_PER_MS;
}

export function msOfNs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

export function isoOfNs(ns: bigint): string {
  return isoTime(msOfNs(ns));
}

/** The level of an entry: from its text as the file tools read it, else from a `level` label of its stream. */
export function levelOfEntry(e: LokiEntry): string | undefined {
  const parsed = parseLine(e.text, new Date(msOfNs(e.ns)).getUTCFullYear());
  return parsed.level ?? (e.labels.level ? levelFromWord(e.labels.level) : undefined);
}

export function lineOf(e: LokiEntry, maxChars?: number): LineOut {
  const level = levelOfEntry(e);
  return { file: e.stream, time_ns: e.ns.toString(), time: isoOfNs(e.ns), text: clip(e.text, maxChars), ...(level && { level }) };
}

export class LokiContext {
  private scopes = new Map<string, { at: number; matchers: string }>();
  readonly configuredMatchers: string | undefined;

  constructor(
    readonly client: LokiClient,
    /** --loki-selector, or undefined for every stream. */
    readonly selector: string | undefined,
    readonly lookbackMs: number,
    readonly now: () => number = Date.now,
  ) {
    this.configuredMatchers = selector !== undefined ? selectorMatchers(selector) : undefined;
    if (this.configuredMatchers === '') throw new UserError('--loki-selector "{}" selects nothing; give at least one matcher such as {job=~".+"}.');
  }

  describe(): string {
    return `Loki ${this.client.url}, streams ${this.selector ?? `${DEFAULT_SELECTOR} (default)`}, lookback ${Math.round(this.lookbackMs / DAY_MS)} d`;
  }

  /**
   * The window of a call: since (inclusive) to until (inclusive to the millisecond: Loki's end is exclusive, so
   * it is until + 1 ms); without them, the lookback up to now.
   */
  window(since: string | undefined, until: string | undefined): NsWindow {
    const w = timeWindow(since, until);
    const now = this.now();
    const to = w.until !== undefined ? nsOfMs(w.until + 1) : nsOfMs(now + 1);
    const from = w.since !== undefined ? nsOfMs(w.since) : (w.until !== undefined ? nsOfMs(w.until) : nsOfMs(now)) - nsOfMs(this.lookbackMs);
    return { from, to, sinceGiven: w.since !== undefined, untilGiven: w.until !== undefined };
  }

  describeWindow(w: NsWindow): string {
    return `${isoOfNs(w.from)} .. ${isoOfNs(w.to - 1n)}`;
  }

  /** The inside of the stream selector: --loki-selector, or DEFAULT_SELECTOR. */
  async scope(_w: NsWindow): Promise<string> {
    return this.configuredMatchers ?? selectorMatchers(DEFAULT_SELECTOR);
  }

  /** A selector for the given stream (its canonical labels as `file`), inside the scope. */
  async streamQuery(file: string, w: NsWindow): Promise<{ labels: Labels; stream: string; selector: string }> {
    const labels = parseStreamLabels(file);
    return { labels, stream: canonicalLabels(labels), selector: streamSelector(await this.scope(w), labels) };
  }

  /**
   * Counts per bucket of `stepMs` of a metric query, epoch-aligned: `build("[60s]")` must give the query. Loki's
   * point at t counts (t - step, t], keyed here by its start t - step: an entry exactly on a boundary is counted in
   * the bucket before (`offset 1ns` would fix that, but Loki 2.8 returns nothing for an offset query it splits).
   * Long windows are cut into several queries (at most 29 days and 10,000 points each).
   */
  async bucketCounts(
    build: (range: string) => string,
    from: bigint,
    to: bigint,
    stepMs: number,
  ): Promise<Map<string, { metric: Labels; buckets: Map<number, number> }>> {
    const out = new Map<string, { metric: Labels; buckets: Map<number, number> }>();
    const first = Math.floor(msOfNs(from) / stepMs) * stepMs;
    const last = Math.floor(msOfNs(to - 1n) / stepMs) * stepMs;
    const span = Math.max(stepMs, Math.floor(Math.min(MAX_METRIC_SPAN_MS, MAX_POINTS * stepMs) / stepMs) * stepMs);
    const query = build(`[${stepMs / 1000}s]`);
    for (let chunk = first; chunk <= last; chunk += span) {
      // Points at the end of each bucket of this chunk.
      const startPoint = chunk + stepMs;
      const endPoint = Math.min(chunk + span, last + stepMs);
      const series: LokiSeries[] = await this.client.queryMatrix(query, nsOfMs(startPoint), nsOfMs(endPoint), stepMs / 1000);
      for (const s of series) {
        const metric = Object.fromEntries(Object.entries(s.metric).filter(([, v]) => v !== ''));
        const key = canonicalLabels(metric);
        let into = out.get(key);
        if (!into) out.set(key, (into = { metric, buckets: new Map() }));
        for (const [t, v] of s.values) {
          const bucket = Math.round(t * 1000) - stepMs;
          const count = Number(v);
          if (count > 0 && bucket >= first && bucket <= last) into.buckets.set(bucket, (into.buckets.get(bucket) ?? 0) + count);
        }
      }
    }
    return out;
  }

  /** The first (or last) entry of `selector` in [from, to). */
  async edgeEntry(selector: string, from: bigint, to: bigint, which: 'first' | 'last', stream?: string): Promise<LokiEntry | undefined> {
    const { entries } = await collectEntries(
      this.client,
      selector,
      from,
      to,
      1,
      (e) => stream === undefined || e.stream === stream,
      { direction: which === 'first' ? 'forward' : 'backward' },
    );
    return entries[0];
  }

  /**
   * The span of the data of `selector` in the window: coarse counts (hours, or wider for long windows) find the
   * first and last non-empty bucket, then one query each finds the exact first and last entry.
   */
  async dataSpan(selector: string, w: NsWindow): Promise<{ first: LokiEntry; last: LokiEntry } | undefined> {
    const stepMs = coarseStep(w);
    const counts = await this.bucketCounts((range) => `sum(count_over_time(${selector}${range}))`, w.from, w.to, stepMs);
    const buckets = [...counts.values()].flatMap((s) => [...s.buckets.keys()]);
    if (buckets.length === 0) return undefined;
    const firstBucket = Math.min(...buckets);
    const lastBucket = Math.max(...buckets);
    const clampFrom = (ns: bigint) => (ns < w.from ? w.from : ns);
    const clampTo = (ns: bigint) => (ns > w.to ? w.to : ns);
    const first = await this.edgeEntry(selector, clampFrom(nsOfMs(firstBucket)), clampTo(nsOfMs(firstBucket + stepMs)), 'first');
    const last = await this.edgeEntry(selector, clampFrom(nsOfMs(lastBucket)), clampTo(nsOfMs(lastBucket + stepMs)), 'last');
    if (!first || !last) return undefined;
    return { first, last };
  }

  /** Up to `before` entries before and `after` entries after `ns` in one stream (looking at most a day each way). */
  async neighbours(selector: string, stream: string, ns: bigint, before: number, after: number) {
    const same = (e: LokiEntry) => e.stream === stream;
    const earlier =
      before > 0
        ? await collectEntries(this.client, selector, ns - NEIGHBOUR_SPAN_NS, ns, before, same, { direction: 'backward' })
        : { entries: [], more: undefined };
    const later =
      after > 0 ? await collectEntries(this.client, selector, ns + 1n, ns + 1n + NEIGHBOUR_SPAN_NS, after, same) : { entries: [], more: undefined };
    return { before: earlier.entries.reverse(), moreBefore: earlier.more, after: later.entries, moreAfter: later.more };
  }
}

/** Bucket width for finding where data is: an hour, or wider so that a long window stays within a few queries. */
export function coarseStep(w: NsWindow): number {
  const spanMs = msOfNs(w.to - w.from);
  const hours = Math.max(1, Math.ceil(spanMs / 3_600_000 / 2_000));
  return hours * 3_600_000;
}

/** Runs `work` over items with at most `limit` at a time, keeping order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
  return results;
}
