import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { levelRank, type Level } from '../lineParser.js';
import { contextLineSchema, fileArg, logLineShape, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import { entryPages, type LokiEntry } from './entries.js';
import { DEFAULT_SELECTOR, levelOfEntry, lineOf, mapLimited, type LokiContext } from './context.js';
import { literalFilter, minLevelStage, regexFilter } from './logql.js';
import { selectorMatchers, streamSelector } from './labels.js';

const MAX_PATTERN = 1000;
const COUNT_BUDGET_MS = 3_000;
/** Matches of a page that get context lines (two small queries each). */
const MAX_CONTEXT_MATCHES = 50;

export function registerLokiSearchLogsTool(server: McpServer, ctx: LokiContext): void {
  server.registerTool(
    'search_logs',
    {
      title: 'Search logs',
      description:
        'Finds Loki entries containing a text (literal, case-insensitive by default; with regex: true an RE2 regular ' +
        'expression as Loki runs it: no lookaround, no backreferences), optionally in one stream, within a window ' +
        '(default: the lookback before now; backfilled data needs since/until) and at or above a severity (read from ' +
        'the line as the file tools do; a stack-trace line has none of its own, so a level filter leaves it out). Returns ' +
        'matches as file (stream labels) + time_ns with their times. Paged: the text says how many more and which offset to ' +
        `ask for; counting stops after ${COUNT_BUDGET_MS / 1000} s (the total is then a lower bound).`,
      inputSchema: {
        pattern: z.string().min(1).max(MAX_PATTERN).describe('Text to look for; literal unless regex is true.'),
        file: fileArg.optional().describe('Search only this stream (its labels, as list_log_files gives them); default: every stream.'),
        regex: z.boolean().default(false).describe('Treat pattern as an RE2 regular expression (Loki\'s |~; no lookaround or backreferences).'),
        case_sensitive: z.boolean().default(false).describe('Match case exactly (default: ignore case).'),
        level: minLevelArg,
        since: sinceArg,
        until: untilArg,
        context: z.number().int().min(0).max(10).default(0).describe(`Entries of the same stream to show before and after each match (for the first ${MAX_CONTEXT_MATCHES} matches).`),
        max_results: z.number().int().min(1).max(500).default(50).describe('Most matches to return in this page.'),
        offset: z.number().int().min(0).default(0).describe('Skip this many matches (for the next page).'),
        count: z.boolean().default(true).describe('Count all matches (default, for at most 3 s). false: stop at the page; the total is then a lower bound.'),
      },
      outputSchema: {
        matches: z.array(z.object({ ...logLineShape, before: z.array(contextLineSchema).optional(), after: z.array(contextLineSchema).optional() })),
        total: z.number().int().describe('Matches in all (a lower bound when totalIsExact is false).'),
        totalIsExact: z.boolean(),
        nextOffset: z.number().int().nullable(),
        filesSearched: z.number().int().describe('Streams in which matches were seen.'),
        engine: z.literal('loki'),
        query: z.string().describe('The LogQL query that was run.'),
        window: z.object({ since: z.string(), until: z.string() }),
        notes: z.array(z.string()).describe('What was left out, if anything.'),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded('search_logs', async (args) => {
      const w = ctx.window(args.since, args.until);
      const target = args.file ? await ctx.streamQuery(args.file, w) : undefined;
      const selector = target?.selector ?? `{${await ctx.scope(w)}}`;
      const filter = args.regex ? regexFilter(args.pattern, args.case_sensitive) : literalFilter(args.pattern, args.case_sensitive);
      const minLevel = args.level as Level | undefined;
      const query = `${selector} ${filter}${minLevel ? ` ${minLevelStage(minLevel)}` : ''}`;
      const notes: string[] = [];
      const passes = (e: LokiEntry) => {
        if (target && e.stream !== target.stream) return false;
        if (!minLevel) return true;
        const level = levelOfEntry(e) as Level | undefined;
        return level !== undefined && levelRank(level) >= levelRank(minLevel);
      };
      const wanted = args.offset + args.max_results;
      const found: LokiEntry[] = [];
      const streams = new Set<string>();
      let total = 0;
      let totalIsExact = true;
      let pageFullAt: number | undefined;
      try {
        outer: for await (const page of entryPages(ctx.client, query, w.from, w.to, { onNote: (n) => notes.push(n) })) {
          for (const e of page) {
            if (!passes(e)) continue;
            total++;
            streams.add(e.stream);
            if (total > args.offset && found.length < args.max_results) found.push(e);
            if (total === wanted) pageFullAt = Date.now();
            if (pageFullAt !== undefined && total > wanted && (!args.count || Date.now() - pageFullAt > COUNT_BUDGET_MS)) {
              totalIsExact = false;
              break outer;
            }
          }
          if (pageFullAt !== undefined && args.count && Date.now() - pageFullAt > COUNT_BUDGET_MS) {
            totalIsExact = false;
            break;
          }
        }
      } catch (err) {
        if (err instanceof UserError && /parse error|error parsing regexp/i.test(err.message)) {
          throw new UserError(`invalid ${args.regex ? 'RE2 regex' : 'pattern'} for Loki: ${err.message}. Loki uses RE2 (no lookaround, no backreferences); fix it, or set regex: false.`);
        }
        throw err;
      }
      const matches = await mapLimited(found, 4, async (e, i) => {
        const line = lineOf(e);
        if (args.context === 0 || i >= MAX_CONTEXT_MATCHES) return line;
        const around = await ctx.neighbours(target?.selector ?? streamSelectorOf(ctx, e), e.stream, e.ns, args.context, args.context);
        const ctxLine = (c: LokiEntry) => ({ time_ns: c.ns.toString(), time: lineOf(c).time, text: lineOf(c).text });
        return { ...line, before: around.before.map(ctxLine), after: around.after.map(ctxLine) };
      });
      if (args.context > 0 && found.length > MAX_CONTEXT_MATCHES) notes.push(`context lines only for the first ${MAX_CONTEXT_MATCHES} matches of the page`);
      const shownEnd = args.offset + matches.length;
      const nextOffset = shownEnd < total ? shownEnd : null;
      const totalText = totalIsExact ? `${total}` : `at least ${total} (${args.count ? 'counting stopped; narrow with file/since/until' : 'not counted further'})`;
      const window = { since: ctx.describeWindow(w).split(' .. ')[0]!, until: ctx.describeWindow(w).split(' .. ')[1]! };
      const header =
        total === 0
          ? `No entries match "${args.pattern}" in ${window.since} .. ${window.until} (${query}).`
          : `${totalText} match(es) for "${args.pattern}" in ${window.since} .. ${window.until}; showing ${args.offset + 1}-${shownEnd}:`;
      const body = matches
        .map((m) => {
          const rows: string[] = [];
          for (const c of ('before' in m ? m.before : undefined) ?? []) rows.push(`  ${m.file}@${c.time_ns}- ${c.text}`);
          rows.push(`${m.file}@${m.time_ns} ${m.time}: ${m.text}`);
          for (const c of ('after' in m ? m.after : undefined) ?? []) rows.push(`  ${m.file}@${c.time_ns}- ${c.text}`);
          return rows.join('\n');
        })
        .join('\n');
      const more = nextOffset !== null ? `\n(more matches: call search_logs with offset=${nextOffset})` : '';
      const noteText = notes.length ? `\n(${notes.join('; ')})` : '';
      return ok(`${header}\n${body}${more}${noteText}`.trimEnd(), {
        matches,
        total,
        totalIsExact,
        nextOffset,
        filesSearched: streams.size,
        engine: 'loki',
        query,
        window,
        notes,
      });
    }),
  );
}

function streamSelectorOf(ctx: LokiContext, e: LokiEntry): string {
  return streamSelector(ctx.configuredMatchers ?? selectorMatchers(DEFAULT_SELECTOR), e.labels);
}
