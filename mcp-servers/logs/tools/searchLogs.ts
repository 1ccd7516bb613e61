import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { isoTime, timeWindow } from '../../common/time.js';
import { logToStderr } from '../../common/stdio.js';
import { searchFiles } from '../search.js';
import { searchInWorker } from '../regexWorker.js';
import { looksBinary } from '../lineReader.js';
import { RipgrepFailed, ripgrepCanSearch, searchWithRipgrep } from '../ripgrep/ripgrepSearch.js';
import { MAX_LINE_BYTES } from '../lineReader.js';
import { MAX_PARTLY_SHOWN } from '../matchCollector.js';
import type { PartlySearched, SearchMatch, SearchOutcome, SearchRequest } from '../searchRequest.js';
import type { LogFile } from '../catalog.js';
import { contextLineSchema, fileArg, logLineShape, minLevelArg, sinceArg, untilArg } from '../schemas.js';
import type { Level } from '../lineParser.js';
import type { LogsContext } from '../context.js';

const MAX_PATTERN = 1000;
const COUNT_BUDGET_MS = 3_000;

export function registerSearchLogsTool(server: McpServer, ctx: LogsContext): void {
  server.registerTool(
    'search_logs',
    {
      title: 'Search logs',
      description:
        'Finds log lines containing a text (literal, case-insensitive by default; a JavaScript regex with regex: true), ' +
        'optionally within a time window and at or above a severity. Returns file:line matches with their times. ' +
        'Results are paged: the text says how many more there are and which offset to ask for. Lines longer than ' +
        '64 KB are searched in their first 64 KB only: the answer names those whose text appears only further on ' +
        '(for a regex: every such line, whose rest is not searched); binary files are not searched (the answer names them).',
      inputSchema: {
        pattern: z.string().min(1).max(MAX_PATTERN).describe('Text to look for; literal unless regex is true.'),
        file: fileArg.optional().describe('Search only this file (name from list_log_files); default: all files.'),
        regex: z.boolean().default(false).describe('Treat pattern as a JavaScript regular expression.'),
        case_sensitive: z.boolean().default(false).describe('Match case exactly (default: ignore case).'),
        level: minLevelArg,
        since: sinceArg,
        until: untilArg,
        context: z.number().int().min(0).max(10).default(0).describe('Lines of context to show before and after each match.'),
        max_results: z.number().int().min(1).max(500).default(50).describe('Most matches to return in this page.'),
        offset: z.number().int().min(0).default(0).describe('Skip this many matches (for the next page).'),
        count: z
          .boolean()
          .default(true)
          .describe('Count all matches (default). false: stop as soon as the page is full; the total is then a lower bound.'),
      },
      outputSchema: {
        matches: z.array(
          z.object({ ...logLineShape, before: z.array(contextLineSchema).optional(), after: z.array(contextLineSchema).optional() }),
        ),
        total: z.number().int().describe('Matches in all (a lower bound when totalIsExact is false).'),
        totalIsExact: z.boolean(),
        nextOffset: z.number().int().nullable(),
        filesSearched: z.number().int(),
        engine: z.enum(['ripgrep', 'javascript']).describe('Which engine searched: ripgrep for literal text when available.'),
        skippedBinary: z.array(z.string()).optional().describe('Files not searched because they are binary, not text logs.'),
        partlySearched: z
          .object({
            count: z.number().int(),
            lines: z.array(z.object({ file: z.string(), line: z.number().int() })).describe(`The first ${MAX_PARTLY_SHOWN}.`),
            rest: z
              .enum(['holds-match', 'not-searched'])
              .describe(
                'holds-match (literal text): each line holds the text past its first 64 KB, so it is a match that is not listed. ' +
                  'not-searched (regex): the part past 64 KB was not searched; each line may hold a match.',
              ),
          })
          .optional()
          .describe(
            'Lines longer than 64 KB, searched only in their first 64 KB, that are not among the matches (in the lines searched ' +
              'one by one: up to the page, or all of them with level/since/until; the total counts whole lines after the page). ' +
              'Absent when there are none.',
          ),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded('search_logs', async (args, call) => {
      const selected = ctx.catalog.select(args.file);
      // A binary file would give garbage "lines" (read_logs refuses them too): leave it out and say so.
      const binary = new Set<string>();
      for (const f of selected) if (await looksBinary(f.path)) binary.add(f.id);
      if (args.file && binary.size > 0) throw new UserError(`"${args.file}" looks like a binary file, not a log; pick a text log from list_log_files.`);
      const files = selected.filter((f) => !binary.has(f.id));
      const year = await ctx.referenceYear();
      const { since, until } = timeWindow(args.since, args.until);
      if (args.regex) {
        try {
          new RegExp(args.pattern);
        } catch (err) {
          throw new UserError(`invalid regex: ${(err as Error).message}. Fix it, or set regex: false to search the literal text.`);
        }
      }
      const request: SearchRequest = {
        pattern: args.pattern,
        regex: args.regex,
        caseSensitive: args.case_sensitive,
        filter: { since, until, minLevel: args.level as Level | undefined },
        context: args.context,
        offset: args.offset,
        maxResults: args.max_results,
        count: args.count,
        countBudgetMs: COUNT_BUDGET_MS,
      };
      const { outcome, engine } = await ctx.searchSlots.run(() => search(ctx, files, year, request, call.signal), call.signal);
      return render(args.pattern, request, outcome, engine, [...binary]);
    }),
  );
}

type Engine = 'ripgrep' | 'javascript';

async function search(
  ctx: LogsContext,
  files: LogFile[],
  year: number,
  request: SearchRequest,
  signal?: AbortSignal,
): Promise<{ outcome: SearchOutcome; engine: Engine }> {
  if (request.regex) return { outcome: await searchInWorker(ctx.workerScript, { files, year, request }, undefined, signal), engine: 'javascript' };
  if (ctx.ripgrep && ripgrepCanSearch(request)) {
    try {
      return { outcome: await searchWithRipgrep(ctx.ripgrep, files, year, request), engine: 'ripgrep' };
    } catch (err) {
      // A cancelled call kills rg: nothing more to do, and no reason to doubt ripgrep.
      if (signal?.aborted) throw new UserError('the call was cancelled');
      if (!(err instanceof RipgrepFailed)) throw err;
      logToStderr('logs', `${err.message}; searching with JavaScript${err.unusable ? ' from now on' : ''}`);
      if (err.unusable) ctx.ripgrep = undefined;
    }
  }
  return { outcome: await searchFiles(files, year, request), engine: 'javascript' };
}

function render(pattern: string, request: SearchRequest, outcome: SearchOutcome, engine: Engine, skippedBinary: string[]) {
  const { matches, total, totalIsExact } = outcome;
  const shownEnd = request.offset + matches.length;
  const nextOffset = shownEnd < total ? shownEnd : null;
  const matchesOut = matches.map((m) => ({ ...m, time: m.time !== undefined ? isoTime(m.time) : undefined }));
  const totalText = totalIsExact
    ? `${total}`
    : `at least ${total} (${request.count ? 'counting stopped; narrow with file/since/until' : 'not counted further'})`;
  const header =
    total === 0
      ? `No lines match "${pattern}" in ${outcome.filesSearched} file(s).`
      : `${totalText} match(es) for "${pattern}"; showing ${request.offset + 1}-${shownEnd}:`;
  const body = matches.map((m) => formatMatch(m)).join('\n');
  const more = nextOffset !== null ? `\n(more matches: call search_logs with offset=${nextOffset})` : '';
  const skipped = skippedBinary.length > 0 ? `\n(not searched, binary: ${skippedBinary.join(', ')})` : '';
  const partly = outcome.partlySearched ? `\n${partlyText(pattern, outcome.partlySearched)}` : '';
  return ok(`${header}${body ? `\n${body}` : ''}${more}${partly}${skipped}`.trimEnd(), {
    matches: matchesOut,
    total,
    totalIsExact,
    nextOffset,
    filesSearched: outcome.filesSearched,
    engine,
    ...(skippedBinary.length > 0 && { skippedBinary }),
    ...(outcome.partlySearched && { partlySearched: outcome.partlySearched }),
  });
}

/** The note on long lines searched only in their first 64 KB: which, and what that means for the matches. */
function partlyText(pattern: string, p: PartlySearched): string {
  const kb = MAX_LINE_BYTES / 1024;
  const more = p.count > p.lines.length ? ` and ${p.count - p.lines.length} more` : '';
  const where = p.lines.map((l) => `${l.file}:${l.line}`).join(', ') + more;
  const long = `${p.count} line(s) longer than ${kb} KB`;
  const what =
    p.rest === 'holds-match'
      ? `${long} hold "${pattern}" only past their first ${kb} KB, the part that is searched, so they are not among the matches`
      : `${long} have no match in their first ${kb} KB and were not searched further (a regex is run on the first ` +
        `${kb} KB of a line only), so matches may be missing`;
  return `(${what}: ${where}. read_logs shows how they begin.)`;
}

function formatMatch(m: SearchMatch): string {
  const lines: string[] = [];
  for (const c of m.before ?? []) lines.push(`  ${m.file}:${c.line}- ${c.text}`);
  lines.push(`${m.file}:${m.line}: ${m.text}`);
  for (const c of m.after ?? []) lines.push(`  ${m.file}:${c.line}- ${c.text}`);
  return lines.join('\n');
}
