import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { isoTime, timeWindow } from '../../common/time.js';
import { forEachLine, looksBinary } from '../lineReader.js';
import { compileMatcher } from '../searchRequest.js';
import { RecordTracker, recordPasses } from '../recordTracker.js';
import { fileArg, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import type { Level } from '../lineParser.js';
import type { LogsContext } from '../context.js';

export const MAX_BUCKETS = 120;
/** Most buckets returned when the caller chose the width: a day of minutes. */
export const MAX_RETURNED = 1440;
const NICE_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440];

interface Bucket {
  start: number;
  count: number;
  first: { file: string; line: number };
}

export function registerLogHistogramTool(server: McpServer, ctx: LogsContext): void {
  server.registerTool(
    'log_histogram',
    {
      title: 'Log volume over time',
      description:
        'Counts matching log records per time bucket (e.g. errors per minute), to see when something started. ' +
        'Each bucket cites its first matching line. Filters: a literal text (case-insensitive), a minimum level, a window.',
      inputSchema: {
        pattern: z.string().max(1000).optional().describe('Count only records whose line contains this text (case-insensitive).'),
        file: fileArg.optional().describe('Only this file; default: all files.'),
        level: minLevelArg,
        since: sinceArg,
        until: untilArg,
        bucket_minutes: z
          .number()
          .int()
          .min(1)
          .max(1440)
          .optional()
          .describe(`Bucket width in minutes; default: chosen so there are at most ${MAX_BUCKETS} buckets.`),
      },
      outputSchema: {
        bucketMinutes: z.number().int(),
        buckets: z.array(
          z.object({
            start: z.string().describe('Bucket start, ISO-8601 UTC.'),
            count: z.number().int(),
            first: z.object({ file: z.string(), line: z.number().int() }).describe('Evidence: the first matching line.'),
          }),
        ),
        total: z.number().int(),
        peak: z.object({ start: z.string(), count: z.number().int() }).nullable(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded('log_histogram', async (args) => {
      const files = ctx.catalog.select(args.file);
      const year = await ctx.referenceYear();
      const window = timeWindow(args.since, args.until);
      const filter = { ...window, minLevel: args.level as Level | undefined };
      const matches = args.pattern ? compileMatcher(args.pattern, false, false) : () => true;

      // Counts per minute first; they are merged into wider buckets once the span is known.
      const perMinute = new Map<number, Bucket>();
      for (const file of files) {
        if (await looksBinary(file.path)) continue;
        const tracker = new RecordTracker(year);
        await forEachLine(file.path, (text, line) => {
          tracker.advance(text);
          if (!tracker.startsRecord || tracker.time === undefined) return;
          if (!recordPasses(tracker, filter) || !matches(text)) return;
          const minute = Math.floor(tracker.time / 60_000) * 60_000;
          const bucket = perMinute.get(minute);
          if (bucket) bucket.count++;
          else perMinute.set(minute, { start: minute, count: 1, first: { file: file.id, line } });
        });
      }
      if (perMinute.size === 0) {
        throw new UserError('no timestamped log records match; drop the pattern or level, or widen since/until.');
      }
      const minutes = [...perMinute.keys()];
      const from = window.since ?? minutes.reduce((a, b) => Math.min(a, b));
      const to = window.until ?? minutes.reduce((a, b) => Math.max(a, b));
      const width = args.bucket_minutes ?? niceWidth((to - from) / 60_000);
      const buckets = merge([...perMinute.values()], from, width);
      const total = buckets.reduce((n, b) => n + b.count, 0);
      const peak = buckets.reduce<Bucket | null>((p, b) => (!p || b.count > p.count ? b : p), null);
      const shown = buckets.slice(0, MAX_RETURNED);
      const text =
        `${total} record(s)${args.pattern ? ` containing "${args.pattern}"` : ''}${args.level ? ` at ${args.level} or above` : ''}, ` +
        `per ${width} min (empty buckets left out):\n` +
        shown.map((b) => `${isoTime(b.start)}  ${String(b.count).padStart(6)}  first ${b.first.file}:${b.first.line}`).join('\n') +
        (shown.length < buckets.length ? `\n(${buckets.length - shown.length} more buckets: narrow since/until or widen bucket_minutes)` : '');
      return ok(text, {
        bucketMinutes: width,
        buckets: shown.map((b) => ({ start: isoTime(b.start), count: b.count, first: b.first })),
        total,
        peak: peak ? { start: isoTime(peak.start), count: peak.count } : null,
      });
    }),
  );
}

export function niceWidth(spanMinutes: number): number {
  return NICE_MINUTES.find((w) => spanMinutes / w <= MAX_BUCKETS) ?? 1440;
}

/** Merges per-minute buckets into buckets of `width` minutes aligned on `from`, in time order. */
export function merge<B extends { start: number; count: number }>(
  perMinute: B[],
  from: number,
  width: number,
  combine: (into: B, b: B) => void = () => {},
): B[] {
  const widthMs = width * 60_000;
  const merged = new Map<number, B>();
  for (const b of perMinute.sort((x, y) => x.start - y.start)) {
    const start = from + Math.floor((b.start - from) / widthMs) * widthMs;
    const into = merged.get(start);
    if (into) {
      into.count += b.count;
      combine(into, b);
    } else merged.set(start, { ...b, start });
  }
  return [...merged.values()];
}
