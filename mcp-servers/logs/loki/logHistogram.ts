import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { LEVELS, levelRank, type Level } from '../lineParser.js';
import { fileArg, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import { MAX_BUCKETS, MAX_RETURNED, merge, niceWidth } from '../tools/logHistogram.js';
import { collectEntries } from './entries.js';
import { isoOfNs, levelOfEntry, mapLimited, msOfNs, nsOfMs, type LokiContext, type NsWindow } from './context.js';
import { LEVEL_LABELS, LEVEL_STAGE, RECORD_FILTER, levelOfLabels, literalFilter, minLevelStage } from './logql.js';

/** Buckets whose first line is looked up (one small query each). */
const MAX_FIRST_LINES = 200;
/** Per-minute counts are asked for windows up to this long; longer ones are counted per bucket directly. */
const PER_MINUTE_MAX_MS = 7 * 86_400_000;

interface Bucket {
  start: number;
  count: number;
  levels: Partial<Record<Level | 'none', number>>;
}

export function registerLokiLogHistogramTool(server: McpServer, ctx: LokiContext): void {
  server.registerTool(
    'log_histogram',
    {
      title: 'Log volume over time',
      description:
        'Counts log records in Loki per time bucket and per level (e.g. errors per minute), to see when something started, ' +
        'with LogQL sum by (level) (count_over_time(…)); a record is an entry that carries its own time (stack-trace lines are ' +
        'not counted unless records_only is false), its level read from the line as the file tools do (a stream `level` label ' +
        'when the line has none). Loki counts each bucket as (start, start + width], so a line exactly on a bucket boundary ' +
        '(e.g. at 14:45:00.000) is counted in the bucket before (count_over_time\'s behaviour). Each bucket cites its first matching entry ' +
        `(file + time_ns) for the first ${MAX_FIRST_LINES} buckets. Filters: literal text (case-insensitive), minimum level, window.`,
      inputSchema: {
        pattern: z.string().max(1000).optional().describe('Count only records whose line contains this text (case-insensitive).'),
        file: fileArg.optional().describe('Only this stream (its labels, as list_log_files gives them); default: every stream.'),
        level: minLevelArg,
        since: sinceArg,
        until: untilArg,
        bucket_minutes: z.number().int().min(1).max(1440).optional().describe(`Bucket width in minutes; default: chosen so there are at most ${MAX_BUCKETS} buckets.`),
        records_only: z.boolean().default(true).describe('Count only entries that carry their own time (as the file tools count records); false: every entry.'),
      },
      outputSchema: {
        bucketMinutes: z.number().int(),
        buckets: z.array(
          z.object({
            start: z.string().describe('Bucket start, ISO-8601 UTC.'),
            count: z.number().int(),
            byLevel: z.record(z.number().int()).describe('Counts per level; "none" for records without one.'),
            first: z.object({ file: z.string(), time_ns: z.string(), time: z.string() }).optional().describe('Evidence: the first matching entry.'),
          }),
        ),
        total: z.number().int(),
        byLevel: z.record(z.number().int()),
        peak: z.object({ start: z.string(), count: z.number().int() }).nullable(),
        query: z.string(),
        notes: z.array(z.string()),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded('log_histogram', async (args) => {
      let w = ctx.window(args.since, args.until);
      const target = args.file ? await ctx.streamQuery(args.file, w) : undefined;
      const selector = target?.selector ?? `{${await ctx.scope(w)}}`;
      const minLevel = args.level as Level | undefined;
      const lineFilters = `${args.records_only ? ` ${RECORD_FILTER}` : ''}${args.pattern ? ` ${literalFilter(args.pattern)}` : ''}`;
      const notes: string[] = [];
      if (!w.sinceGiven || !w.untilGiven) {
        // Without a full window, the span of the matching data within the lookback.
        const span = await ctx.dataSpan(`${selector}${lineFilters}`, w);
        if (!span) throw new UserError(`no log records match in ${ctx.describeWindow(w)}; give since/until where the logs are (list_log_files finds them).`);
        w = { ...w, from: w.sinceGiven ? w.from : span.first.ns, to: w.untilGiven ? w.to : span.last.ns + 1n };
      }
      const grouped = `sum by (${[...LEVEL_LABELS, 'level'].join(', ')}) (count_over_time(${selector}${lineFilters} ${LEVEL_STAGE} RANGE))`;
      const spanMs = msOfNs(w.to - w.from);
      const width = args.bucket_minutes ?? niceWidth(spanMs / 60_000);
      const baseMs = spanMs <= PER_MINUTE_MAX_MS ? 60_000 : width * 60_000;
      const series = await ctx.bucketCounts((range) => grouped.replace('RANGE', range), w.from, w.to, baseMs);
      // Base buckets (epoch-aligned minutes) that straddle since/until are cut to the window by the first/last query below.
      const perBase = new Map<number, Bucket>();
      for (const { metric, buckets } of series.values()) {
        const level = levelOfLabels(metric);
        if (minLevel && (level === undefined || levelRank(level) < levelRank(minLevel))) continue;
        for (const [start, count] of buckets) {
          let b = perBase.get(start);
          if (!b) perBase.set(start, (b = { start, count: 0, levels: {} }));
          b.count += count;
          b.levels[level ?? 'none'] = (b.levels[level ?? 'none'] ?? 0) + count;
        }
      }
      const fromMs = msOfNs(w.from);
      if (fromMs % 60_000 !== 0 || (msOfNs(w.to) - 1) % 60_000 !== 0) {
        notes.push('since/until not on whole minutes: the first and last minute are counted whole');
      }
      if (perBase.size === 0) throw new UserError('no timestamped log records match; drop the pattern or level, or widen since/until.');
      const from = args.since !== undefined ? fromMs : Math.min(...perBase.keys());
      const buckets = merge([...perBase.values()], from, width, (into, b) => {
        for (const [k, v] of Object.entries(b.levels)) into.levels[k as Level] = (into.levels[k as Level] ?? 0) + v;
      });
      const shown = buckets.slice(0, MAX_RETURNED);
      const withFirst = shown.slice(0, MAX_FIRST_LINES);
      const firstQuery = `${selector}${lineFilters}${minLevel ? ` ${minLevelStage(minLevel)}` : ''}`;
      const firsts = await mapLimited(withFirst, 6, async (b) => {
        const start = nsOfMs(b.start) < w.from ? w.from : nsOfMs(b.start);
        const endRaw = nsOfMs(b.start + width * 60_000);
        const end = endRaw > w.to ? w.to : endRaw;
        const pass = (e: Parameters<typeof levelOfEntry>[0]) =>
          (!target || e.stream === target.stream) && (!minLevel || ((l) => l !== undefined && levelRank(l as Level) >= levelRank(minLevel))(levelOfEntry(e)));
        const { entries } = await collectEntries(ctx.client, firstQuery, start, end, 1, pass);
        const e = entries[0];
        return e ? { file: e.stream, time_ns: e.ns.toString(), time: isoOfNs(e.ns) } : undefined;
      });
      if (shown.length > MAX_FIRST_LINES) notes.push(`first entries cited for the first ${MAX_FIRST_LINES} buckets only`);
      const total = buckets.reduce((n, b) => n + b.count, 0);
      const byLevel: Record<string, number> = {};
      for (const b of buckets) for (const [k, v] of Object.entries(b.levels)) byLevel[k] = (byLevel[k] ?? 0) + (v ?? 0);
      const peak = buckets.reduce<Bucket | null>((p, b) => (!p || b.count > p.count ? b : p), null);
      const out = shown.map((b, i) => ({
        start: isoTime(b.start),
        count: b.count,
        byLevel: orderLevels(b.levels),
        ...(firsts[i] && { first: firsts[i] }),
      }));
      const text =
        `${total} record(s)${args.pattern ? ` containing "${args.pattern}"` : ''}${args.level ? ` at ${args.level} or above` : ''} in ${describe(w)}, ` +
        `per ${width} min (empty buckets left out):\n` +
        out
          .map((b) => `${b.start}  ${String(b.count).padStart(6)}  ${Object.entries(b.byLevel).map(([k, v]) => `${k}=${v}`).join(' ')}${b.first ? `  first ${b.first.file}@${b.first.time_ns}` : ''}`)
          .join('\n') +
        (shown.length < buckets.length ? `\n(${buckets.length - shown.length} more buckets: narrow since/until or widen bucket_minutes)` : '') +
        (notes.length ? `\n(${notes.join('; ')})` : '');
      return ok(text, {
        bucketMinutes: width,
        buckets: out,
        total,
        byLevel: orderLevels(byLevel),
        peak: peak ? { start: isoTime(peak.start), count: peak.count } : null,
        query: grouped.replace('RANGE', `[${baseMs / 1000}s]`),
        notes,
      });
    }),
  );
}

function orderLevels(levels: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...LEVELS, 'none']) if (levels[k]) out[k] = levels[k]!;
  return out;
}

function describe(w: NsWindow): string {
  return `${isoOfNs(w.from)} .. ${isoOfNs(w.to - 1n)}`;
}
