import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok, omittedNote } from '../../common/result.js';
import { isoTime, timeWindow } from '../../common/time.js';
import { forEachLine, looksBinary } from '../lineReader.js';
import { clip } from '../searchRequest.js';
import { levelRank, type Level, type ParsedLine } from '../lineParser.js';
import { RecordTracker, recordPasses } from '../recordTracker.js';
import { PatternMiner } from '../patterns/index.js';
import { TemplateTally, trendOf, type TemplateTrend } from '../templateStats.js';
import { fileArg, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import type { LogsContext } from '../context.js';

const TREND_ORDER: Record<TemplateTrend, number> = { new: 0, spiking: 1, steady: 2, gone: 3 };

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
        templates: z.array(
          z.object({
            template: z.string(),
            trend: z.enum(['new', 'spiking', 'steady', 'gone']).describe('Compared with the baseline.'),
            count: z.number().int().describe('Lines in the window.'),
            baselineCount: z.number().int(),
            level: z.string().optional(),
            firstTime: z.string().optional(),
            lastTime: z.string().optional(),
            examples: z.array(z.object({ file: z.string(), line: z.number().int() })).describe('Evidence: file + line.'),
          }),
        ),
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
      const tally = new TemplateTally();
      const spans = { window: new Span(), baseline: new Span() };
      let linesInWindow = 0;
      let linesInBaseline = 0;

      for (const file of files) {
        if (await looksBinary(file.path)) continue;
        const tracker = new RecordTracker(year);
        await forEachLine(file.path, (text, line) => {
          const parsed = tracker.advance(text);
          // A line without its own time continues the record above (a stack trace); the record is counted once.
          if (!tracker.startsRecord && tracker.time !== undefined) return;
          if (minLevel && !recordPasses(tracker, { minLevel })) return;
          const inWindow = recordPasses(tracker, window);
          const inBaseline = !inWindow && baseline !== undefined && recordPasses(tracker, baseline);
          if (!inWindow && !inBaseline) return;
          if (text.trim() === '') return;
          const id = miner.add(miningText(text, parsed));
          tally.count(id, inWindow, tracker.time, tracker.level, file.id, line);
          if (inWindow) {
            linesInWindow++;
            spans.window.add(tracker.time);
          } else {
            linesInBaseline++;
            spans.baseline.add(tracker.time);
          }
        });
      }
      if (linesInWindow === 0) {
        throw new UserError('no log lines fall in that window/level; widen since/until, drop level, or check list_log_files for the time span.');
      }

      const windowMinutes = spans.window.minutes(window.since, window.until);
      const baselineMinutes = spans.baseline.minutes(baseline?.since, baseline?.until);
      const ranked = [...tally.byId.values()]
        .map((t) => ({ t, trend: trendOf(t, windowMinutes, baselineMinutes, linesInBaseline) }))
        .filter(({ t, trend }) => t.windowCount > 0 || trend === 'gone')
        .sort(
          (a, b) =>
            TREND_ORDER[a.trend] - TREND_ORDER[b.trend] ||
            rank(b.t.level) - rank(a.t.level) ||
            b.t.windowCount - a.t.windowCount,
        );
      const page = ranked.slice(args.offset, args.offset + args.max_templates);
      const templates = page.map(({ t, trend }) => ({
        template: clip(miner.template(t.id)),
        trend,
        count: t.windowCount,
        baselineCount: t.baselineCount,
        level: t.level,
        firstTime: t.firstTime !== undefined ? isoTime(t.firstTime) : undefined,
        lastTime: t.lastTime !== undefined ? isoTime(t.lastTime) : undefined,
        examples: t.examples,
      }));
      const end = args.offset + templates.length;
      const nextOffset = end < ranked.length ? end : null;

      const header =
        `${ranked.length} template(s) over ${linesInWindow} line(s) in the window` +
        (baseline ? `, compared with ${linesInBaseline} baseline line(s)` : ' (give since to compare with a baseline)') +
        ':';
      const body = templates.map((t) => {
        const mark = t.trend === 'steady' ? '' : `[${t.trend.toUpperCase()}] `;
        const span = t.firstTime ? ` ${t.firstTime}..${t.lastTime}` : '';
        const refs = t.examples.map((e) => `${e.file}:${e.line}`).join(', ');
        return `${mark}${(t.level ?? '-').toUpperCase()} x${t.count} (baseline ${t.baselineCount})${span}\n  ${t.template}\n  e.g. ${refs}`;
      });
      const text =
        header + '\n' + body.join('\n') + omittedNote(end, ranked.length, `call log_patterns with offset=${nextOffset}`);
      return ok(text, { templates, totalTemplates: ranked.length, linesInWindow, linesInBaseline, nextOffset });
    }),
  );
}

function rank(level: Level | undefined): number {
  return level ? levelRank(level) : -1;
}

/** The first and last time seen, to turn counts into rates. */
class Span {
  private first: number | undefined;
  private last: number | undefined;

  add(time: number | undefined): void {
    if (time === undefined) return;
    if (this.first === undefined || time < this.first) this.first = time;
    if (this.last === undefined || time > this.last) this.last = time;
  }

  /** Minutes covered, preferring the bounds the caller asked for over the ones seen. */
  minutes(from?: number, to?: number): number {
    const start = from ?? this.first;
    const end = to ?? this.last;
    return start === undefined || end === undefined ? 0 : (end - start) / 60_000;
  }
}

/**
 * What a line is grouped by. A JSON or logfmt line's keys and ids would swamp the grouping, so its level and message
 * stand for it; other lines are mined whole (the miner copes with their headers).
 */
function miningText(text: string, parsed: ParsedLine): string {
  if ((parsed.format !== 'json' && parsed.format !== 'logfmt') || parsed.message === undefined) return text;
  return `${parsed.level ?? '-'} ${parsed.message.trim() || '(empty message)'}`;
}
