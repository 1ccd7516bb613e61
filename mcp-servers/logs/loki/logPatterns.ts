import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { timeWindow } from '../../common/time.js';
import type { Level } from '../lineParser.js';
import { RecordTracker, recordPasses } from '../recordTracker.js';
import { PatternMiner } from '../patterns/index.js';
import { TemplateTally } from '../templateStats.js';
import { Span, miningText, reportTemplates, templateShape } from '../templateReport.js';
import { fileArg, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import { entryPages, type LokiEntry } from './entries.js';
import { isoOfNs, msOfNs, nsOfMs, type LokiContext } from './context.js';
import { minLevelStage } from './logql.js';

const DEFAULT_MAX_LINES = 100_000;
/** Without baseline_since: the day before since (reading a whole lookback back would cost Loki a query per 30 min). */
const DEFAULT_BASELINE_MS = 86_400_000;

interface Example {
  file: string;
  time_ns: string;
  time: string;
}

export function registerLokiLogPatternsTool(server: McpServer, ctx: LokiContext): void {
  server.registerTool(
    'log_patterns',
    {
      title: 'Log patterns',
      description:
        'Groups Loki log lines into templates (variable parts such as ids, numbers, IPs and durations shown as <*>), each with ' +
        'its count, first/last time, severity and example entries (file + time_ns). Give since (and until) to mark templates ' +
        'that are NEW in that window or SPIKING compared with the baseline (by default the 24 hours before since). Lines are ' +
        `read page by page up to max_lines (default ${DEFAULT_MAX_LINES.toLocaleString('en')}): the window from since on, the ` +
        'baseline backwards from since; the answer says how many were read and whether the budget cut either. Stack-trace ' +
        'lines (no time of their own) belong to their record and are not mined. Start here, then search_logs/read_logs.',
      inputSchema: {
        file: fileArg.optional().describe('Only this stream (its labels, as list_log_files gives them); default: every stream.'),
        level: minLevelArg,
        since: sinceArg.describe('Start of the window to study (ISO-8601). Lines before it form the baseline.'),
        until: untilArg.describe('End of the window (ISO-8601).'),
        baseline_since: z.string().optional().describe('Start of the baseline (default: 24 hours before since).'),
        baseline_until: z.string().optional().describe('End of the baseline (default: since).'),
        max_templates: z.number().int().min(1).max(200).default(30).describe('Most templates to return.'),
        offset: z.number().int().min(0).default(0).describe('Skip this many templates (for the next page).'),
        max_lines: z.number().int().min(100).max(2_000_000).default(DEFAULT_MAX_LINES).describe('Most lines to read from Loki (window and baseline together).'),
      },
      outputSchema: {
        templates: z.array(templateShape(z.object({ file: z.string(), time_ns: z.string(), time: z.string() }), 'Evidence: file + time_ns.')),
        totalTemplates: z.number().int(),
        linesInWindow: z.number().int(),
        linesInBaseline: z.number().int(),
        nextOffset: z.number().int().nullable(),
        linesRead: z.number().int().describe('Entries read from Loki (window and baseline).'),
        windowCut: z.boolean().describe('The line budget ran out before the end of the window.'),
        baselineCut: z.boolean().describe('The line budget ran out before the start of the baseline (its most recent part was read).'),
        notes: z.array(z.string()),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded('log_patterns', async (args) => {
      const w = ctx.window(args.since, args.until);
      const target = args.file ? await ctx.streamQuery(args.file, w) : undefined;
      const selector = target?.selector ?? `{${await ctx.scope(w)}}`;
      const minLevel = args.level as Level | undefined;
      const query = `${selector}${minLevel ? ` ${minLevelStage(minLevel)}` : ''}`;
      const explicitBaseline = args.baseline_since !== undefined || args.baseline_until !== undefined;
      let baseline: { from: bigint; to: bigint } | undefined;
      if (explicitBaseline) {
        const b = timeWindow(args.baseline_since, args.baseline_until ?? args.since);
        const to = b.until !== undefined ? nsOfMs(b.until + 1) : w.from;
        baseline = { from: b.since !== undefined ? nsOfMs(b.since) : to - nsOfMs(ctx.lookbackMs), to };
      } else if (w.sinceGiven) {
        baseline = { from: w.from - nsOfMs(DEFAULT_BASELINE_MS), to: w.from };
      }
      const notes: string[] = [];
      const miner = new PatternMiner();
      const tally = new TemplateTally<Example>();
      const spans = { window: new Span(), baseline: new Span() };
      const counts = { window: 0, baseline: 0, read: 0 };
      const trackers = new Map<string, RecordTracker>();
      const timed = new Set<string>();

      const feed = (e: LokiEntry, inWindow: boolean) => {
        if (target && e.stream !== target.stream) return;
        let tracker = trackers.get(e.stream);
        if (!tracker) trackers.set(e.stream, (tracker = new RecordTracker(new Date(msOfNs(e.ns)).getUTCFullYear())));
        const parsed = tracker.advance(e.text);
        // A line without its own time continues the record above it (a stack trace): the record is counted once.
        if (parsed.time === undefined && timed.has(e.stream)) return;
        if (parsed.time !== undefined) timed.add(e.stream);
        if (minLevel && !recordPasses(tracker, { minLevel })) return;
        if (e.text.trim() === '') return;
        const time = msOfNs(e.ns);
        const id = miner.add(miningText(e.text, parsed));
        tally.count(id, inWindow, time, tracker.level, { file: e.stream, time_ns: e.ns.toString(), time: isoOfNs(e.ns) });
        if (inWindow) {
          counts.window++;
          spans.window.add(time);
        } else {
          counts.baseline++;
          spans.baseline.add(time);
        }
      };

      /** Reads [from, to) in `direction` until `budget` entries; returns whether the budget cut it, and where. */
      const read = async (from: bigint, to: bigint, direction: 'forward' | 'backward', budget: number, inWindow: boolean) => {
        let used = 0;
        let reached: bigint | undefined;
        for await (const page of entryPages(ctx.client, query, from, to, { direction, onNote: (n) => notes.push(n) })) {
          // Records are tracked per stream in time order, also when the pages come newest first.
          const ordered = direction === 'forward' ? page : [...page].reverse();
          const take = direction === 'forward' ? ordered.slice(0, budget - used) : ordered.slice(Math.max(0, ordered.length - (budget - used)));
          for (const e of take) feed(e, inWindow);
          used += take.length;
          if (take.length > 0) reached = direction === 'forward' ? take[take.length - 1]!.ns : take[0]!.ns;
          if (used >= budget) return { used, cut: true, reached };
        }
        return { used, cut: false, reached };
      };

      const windowBudget = baseline ? Math.ceil(args.max_lines / 2) : args.max_lines;
      let windowRead = await read(w.from, w.to, 'forward', windowBudget, true);
      let baselineRead = { used: 0, cut: false, reached: undefined as bigint | undefined };
      if (baseline) {
        baselineRead = await read(baseline.from, baseline.to, 'backward', args.max_lines - windowRead.used, false);
        if (windowRead.cut && !baselineRead.cut && args.max_lines - windowRead.used - baselineRead.used > 0) {
          // The baseline left budget over: the window goes on from where it stopped.
          const more = await read(windowRead.reached! + 1n, w.to, 'forward', args.max_lines - windowRead.used - baselineRead.used, true);
          windowRead = { used: windowRead.used + more.used, cut: more.cut, reached: more.reached ?? windowRead.reached };
        }
      }
      counts.read = windowRead.used + baselineRead.used;
      if (windowRead.cut) notes.push(`the line budget (max_lines=${args.max_lines}) ran out in the window at ${isoOfNs(windowRead.reached!)}: later lines were not mined`);
      if (baselineRead.cut) notes.push(`the baseline was read back to ${isoOfNs(baselineRead.reached!)} only (line budget)`);
      if (counts.window === 0 && minLevel) {
        // Loki filtered by level: nothing at that level is an answer (nothing new there), not an error.
        return ok(`No entries at ${minLevel} or above in ${ctx.describeWindow(w)}: no template is new or spiking there (drop level to see the entries at every level).`, {
          templates: [],
          totalTemplates: 0,
          linesInWindow: 0,
          linesInBaseline: counts.baseline,
          nextOffset: null,
          linesRead: counts.read,
          windowCut: false,
          baselineCut: baselineRead.cut,
          notes,
        });
      }
      if (counts.window === 0) {
        throw new UserError(`no log lines fall in ${ctx.describeWindow(w)}${minLevel ? ` at ${minLevel} or above` : ''}; widen since/until, drop level, or check list_log_files for the time span.`);
      }
      // Rates over what was read when the budget cut a span, else over the span asked for.
      const windowMinutes = windowRead.cut ? spans.window.minutes(msOfNs(w.from)) : spans.window.minutes(w.sinceGiven ? msOfNs(w.from) : undefined, w.untilGiven ? msOfNs(w.to) - 1 : undefined);
      const baselineMinutes = baselineRead.cut || !explicitBaseline ? spans.baseline.minutes(undefined, baseline ? msOfNs(baseline.to) - 1 : undefined) : spans.baseline.minutes(msOfNs(baseline!.from), msOfNs(baseline!.to) - 1);
      const report = reportTemplates({
        miner,
        tally,
        windowMinutes,
        baselineMinutes,
        hasBaseline: baseline !== undefined,
        linesInWindow: counts.window,
        linesInBaseline: counts.baseline,
        offset: args.offset,
        maxTemplates: args.max_templates,
        refOf: (e) => `${e.file}@${e.time_ns}`,
        nextPage: (offset) => `call log_patterns with offset=${offset}`,
      });
      const text = `${report.text}\n(read ${counts.read} entries from Loki${notes.length ? `; ${notes.join('; ')}` : ''})`;
      return ok(text, {
        templates: report.templates,
        totalTemplates: report.totalTemplates,
        linesInWindow: counts.window,
        linesInBaseline: counts.baseline,
        nextOffset: report.nextOffset,
        linesRead: counts.read,
        windowCut: windowRead.cut,
        baselineCut: baselineRead.cut,
        notes,
      });
    }),
  );
}
