import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { timeWindow } from '../../common/time.js';
import { forEachLine, looksBinary } from '../lineReader.js';
import type { Level } from '../lineParser.js';
import { RecordTracker, recordPasses } from '../recordTracker.js';
import { PatternMiner } from '../patterns/index.js';
import { TemplateTally } from '../templateStats.js';
import { Span, miningText, reportTemplates, templateShape } from '../templateReport.js';
import { fileArg, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import type { LogsContext } from '../context.js';

export function registerLogPatternsTool(server: McpServer, ctx: LogsContext): void {
  server.registerTool(
    'log_patterns',
    {
      title: 'Log patterns',
      description:
        'Groups log lines into templates (variable parts such as ids, numbers, IPs and durations shown as <*>), each ' +
        'with its count, first/last time, severity and example lines. Give since (and until) to mark templates that ' +
        'are NEW in that window or SPIKING compared with the baseline (by default everything before since). ' +
        'This is the way to see millions of lines in one page: start here, then search_logs/read_logs.',
      inputSchema: {
        file: fileArg.optional().describe('Only this file (name from list_log_files); default: all files.'),
        level: minLevelArg,
        since: sinceArg.describe('Start of the window to study (ISO-8601). Lines before it form the baseline.'),
        until: untilArg.describe('End of the window (ISO-8601).'),
        baseline_since: z.string().optional().describe('Start of the baseline (default: the beginning of the logs).'),
        baseline_until: z.string().optional().describe('End of the baseline (default: since).'),
        max_templates: z.number().int().min(1).max(200).default(30).describe('Most templates to return.'),
        offset: z.number().int().min(0).default(0).describe('Skip this many templates (for the next page).'),
      },
      outputSchema: {
        templates: z.array(templateShape(z.object({ file: z.string(), line: z.number().int() }), 'Evidence: file + line.')),
        totalTemplates: z.number().int(),
        linesInWindow: z.number().int(),
        linesInBaseline: z.number().int(),
        nextOffset: z.number().int().nullable(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded('log_patterns', async (args) => {
      const files = ctx.catalog.select(args.file);
      const year = await ctx.referenceYear();
      const window = timeWindow(args.since, args.until);
      const explicitBaseline = args.baseline_since !== undefined || args.baseline_until !== undefined;
      const baseline = explicitBaseline
        ? timeWindow(args.baseline_since, args.baseline_until ?? args.since)
        : window.since !== undefined
          ? { since: undefined, until: window.since - 1 }
          : undefined;
      const minLevel = args.level as Level | undefined;

      const miner = new PatternMiner();
      const tally = new TemplateTally<{ file: string; line: number }>();
      const spans = { window: new Span(), baseline: new Span() };
      let linesInWindow = 0;
      let linesInBaseline = 0;
      let baselineRecords = 0;
      let windowRecords = 0;

      for (const file of files) {
        if (await looksBinary(file.path)) continue;
        const tracker = new RecordTracker(year);
        await forEachLine(file.path, (text, line) => {
          const parsed = tracker.advance(text);
          // A line without its own time continues the record above (a stack trace); the record is counted once.
          if (!tracker.startsRecord && tracker.time !== undefined) return;
          const inWindow = recordPasses(tracker, window);
          const inBaseline = !inWindow && baseline !== undefined && recordPasses(tracker, baseline);
          if (!inWindow && !inBaseline) return;
          if (text.trim() === '') return;
          // Every record shows the logs covered its time, whatever its level: spans and baseline coverage count it.
          if (inWindow) {
            spans.window.add(tracker.time);
            windowRecords++;
          } else {
            spans.baseline.add(tracker.time);
            baselineRecords++;
          }
          if (minLevel && !recordPasses(tracker, { minLevel })) return;
          const id = miner.add(miningText(text, parsed));
          tally.count(id, inWindow, tracker.time, tracker.level, { file: file.id, line });
          if (inWindow) linesInWindow++;
          else linesInBaseline++;
        });
      }
      if (linesInWindow === 0) {
        // Records in the window, none at that level: an answer (nothing new there), not an error.
        if (minLevel && windowRecords > 0) {
          return ok(`No lines at ${minLevel} or above in that window (${windowRecords} record(s) at lower levels): no template is new or spiking there.`, {
            templates: [],
            totalTemplates: 0,
            linesInWindow: 0,
            linesInBaseline,
            nextOffset: null,
          });
        }
        throw new UserError('no log lines fall in that window/level; widen since/until, drop level, or check list_log_files for the time span.');
      }

      const { text, templates, totalTemplates, nextOffset } = reportTemplates({
        miner,
        tally,
        windowMinutes: spans.window.minutes(window.since, window.until),
        baselineMinutes: spans.baseline.minutes(baseline?.since, baseline?.until),
        hasBaseline: baseline !== undefined,
        linesInWindow,
        linesInBaseline,
        baselineRecords,
        offset: args.offset,
        maxTemplates: args.max_templates,
        refOf: (e) => `${e.file}:${e.line}`,
        nextPage: (offset) => `call log_patterns with offset=${offset}`,
      });
      return ok(text, { templates, totalTemplates, linesInWindow, linesInBaseline, nextOffset });
    }),
  );
}
