import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote, pageOf } from '../../common/result.js';
import { parseLine } from '../lineParser.js';
import { sinceArg, untilArg } from '../schemas.js';
import { DEFAULT_SELECTOR, coarseStep, isoOfNs, mapLimited, msOfNs, nsOfMs, type LokiContext } from './context.js';
import { canonicalLabels, streamSelector } from './labels.js';

const PAGE = 100;

export function registerLokiListLogFilesTool(server: McpServer, ctx: LokiContext): void {
  server.registerTool(
    'list_log_files',
    {
      title: 'List log streams',
      description:
        `Lists the Loki streams this server reads (selector ${ctx.selector ?? `${DEFAULT_SELECTOR}: every stream with a job label`}), each named by its ` +
        'labels, keys sorted ({app="checkout",filename="app.log"}): pass that as `file` to the other tools. Gives entries, ' +
        `detected format and the first/last entry time in the window (default: the last ${Math.round(ctx.lookbackMs / 86_400_000)} days), and ` +
        'the span of all the data: call it first to find when the logs are, then pass since/until to the other tools.',
      inputSchema: {
        since: sinceArg.describe('Start of the window to look in (ISO-8601); default: the lookback before now.'),
        until: untilArg.describe('End of the window (ISO-8601); default: now.'),
        offset: z.number().int().min(0).default(0).describe('Skip this many streams (for paging through long lists).'),
      },
      outputSchema: {
        files: z.array(
          z.object({
            file: z.string().describe("The stream's labels, keys sorted: the name to pass to the other tools."),
            labels: z.record(z.string()),
            entries: z.number().int().describe('Entries in the window.'),
            format: z.string().describe('Format of the first entry: timestamped, json, logfmt, syslog, access, apache-error or unknown.'),
            firstTime: z.string().optional(),
            lastTime: z.string().optional(),
            first_time_ns: z.string().optional(),
            last_time_ns: z.string().optional(),
          }),
        ),
        total: z.number().int(),
        nextOffset: z.number().int().nullable(),
        window: z.object({ since: z.string(), until: z.string() }),
        dataSpan: z.object({ firstTime: z.string(), lastTime: z.string() }).nullable().describe('When the data in the window starts and ends.'),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded('list_log_files', async ({ since, until, offset }) => {
      const w = ctx.window(since, until);
      const scope = await ctx.scope(w);
      const stepMs = coarseStep(w);
      // One metric query: counts per stream and coarse bucket (an hour, or wider for long windows). Bytes would cost a
      // second query as long (a 30-day window is 1,440 sub-queries for Loki), so they are not given.
      const counts = await ctx.bucketCounts((range) => `count_over_time({${scope}}${range})`, w.from, w.to, stepMs);
      const streams = [...counts.values()]
        .filter((s) => s.buckets.size > 0)
        .map((s) => {
          const starts = [...s.buckets.keys()];
          const key = canonicalLabels(s.metric);
          return {
            file: key,
            labels: s.metric,
            entries: [...s.buckets.values()].reduce((a, b) => a + b, 0),
            firstBucket: Math.min(...starts),
            lastBucket: Math.max(...starts),
          };
        })
        .sort((a, b) => a.file.localeCompare(b.file));
      const page = pageOf(streams, offset, PAGE);
      const clamp = (ns: bigint) => (ns < w.from ? w.from : ns > w.to ? w.to : ns);
      const files = await mapLimited(page.items, 6, async (s) => {
        const selector = streamSelector(scope, s.labels);
        const first = await ctx.edgeEntry(selector, clamp(nsOfMs(s.firstBucket)), clamp(nsOfMs(s.firstBucket + stepMs)), 'first', s.file);
        const last = await ctx.edgeEntry(selector, clamp(nsOfMs(s.lastBucket)), clamp(nsOfMs(s.lastBucket + stepMs)), 'last', s.file);
        const format = first ? parseLine(first.text, new Date(msOfNs(first.ns)).getUTCFullYear()).format : 'unknown';
        return {
          file: s.file,
          labels: s.labels,
          entries: s.entries,
          format,
          ...(first && { firstTime: isoOfNs(first.ns), first_time_ns: first.ns.toString() }),
          ...(last && { lastTime: isoOfNs(last.ns), last_time_ns: last.ns.toString() }),
        };
      });
      const firsts = files.flatMap((f) => (f.first_time_ns ? [BigInt(f.first_time_ns)] : []));
      const lasts = files.flatMap((f) => (f.last_time_ns ? [BigInt(f.last_time_ns)] : []));
      const dataSpan =
        firsts.length > 0 && page.omitted === 0
          ? { firstTime: isoOfNs(firsts.reduce((a, b) => (a < b ? a : b))), lastTime: isoOfNs(lasts.reduce((a, b) => (a > b ? a : b))) }
          : streams.length > 0
            ? { firstTime: isoOfNs(nsOfMs(Math.min(...streams.map((s) => s.firstBucket)))), lastTime: isoOfNs(nsOfMs(Math.max(...streams.map((s) => s.lastBucket)) + stepMs)) }
            : null;
      const window = { since: isoOfNs(w.from), until: isoOfNs(w.to - 1n) };
      const lines = files.map((f) => `${f.file}  ${f.entries} entries  ${f.format}` + (f.firstTime ? `  ${f.firstTime} .. ${f.lastTime ?? '?'}` : ''));
      const text =
        (streams.length === 0
          ? `No Loki streams${ctx.selector ? ` matching ${ctx.selector}` : ''} have entries in ${window.since} .. ${window.until}; give since/until where the logs are (backfilled data can be months old).`
          : `${streams.length} Loki stream(s) with entries in ${window.since} .. ${window.until} (data from ${dataSpan!.firstTime} to ${dataSpan!.lastTime}):\n${lines.join('\n')}`) +
        omittedNote(offset + files.length, streams.length, `call list_log_files with offset=${page.nextOffset}`);
      return ok(text, { files, total: streams.length, nextOffset: page.nextOffset, window, dataSpan });
    }),
  );
}
