import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { fileArg, maxLineCharsArg, sinceArg, timeNsArg } from '../schemas.js';
import { collectEntries } from './entries.js';
import { isoOfNs, lineOf, type LokiContext } from './context.js';

const MAX_AROUND = 200;
const MAX_LIMIT = 500;

export function registerLokiReadLogsTool(server: McpServer, ctx: LokiContext): void {
  server.registerTool(
    'read_logs',
    {
      title: 'Read log entries',
      description:
        'Reads one Loki stream (file = its labels as list_log_files gives them). With time_ns: that exact entry (marked ' +
        'cited: true) and the entries before and after it in the same stream, in time order; an entry that does not exist ' +
        'at that time_ns is an error. With since instead: `limit` entries from that time on. Neighbours are looked for ' +
        'within a day of the entry. Lines over max_line_chars (500) characters are cut.',
      inputSchema: {
        file: fileArg.describe('The stream: its labels, keys sorted, as list_log_files/search_logs return them.'),
        time_ns: timeNsArg.describe('The entry to read: its time in nanoseconds (decimal string), as the tools return it.'),
        before: z.number().int().min(0).max(MAX_AROUND).default(10).describe('Entries to show before it.'),
        after: z.number().int().min(0).max(MAX_AROUND).default(10).describe('Entries to show after it.'),
        since: sinceArg.describe('Without time_ns: read from this time on (ISO-8601).'),
        limit: z.number().int().min(1).max(MAX_LIMIT).default(100).describe(`Without time_ns: how many entries to return (at most ${MAX_LIMIT}).`),
        offset: z.number().int().optional().describe('Log files only; Loki has no line numbers: use time_ns.'),
        max_line_chars: maxLineCharsArg,
      },
      outputSchema: {
        file: z.string(),
        lines: z
          .array(z.object({ time_ns: z.string(), time: z.string(), text: z.string(), level: z.string().optional(), cited: z.boolean().optional() }))
          .describe('Evidence: file + time_ns.'),
        moreBefore: z.boolean().optional().describe('Whether the stream has more entries before these (within a day).'),
        moreAfter: z.boolean().describe('Whether the stream has more entries after these (within a day).'),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded('read_logs', async (args) => {
      if (args.offset !== undefined) throw new UserError('this logs server reads Loki, which has no line numbers: give time_ns (and before/after) or since instead of offset.');
      const w = ctx.window(args.since, undefined);
      const { stream, selector } = await ctx.streamQuery(args.file, w);
      const strip = ({ file: _file, ...rest }: ReturnType<typeof lineOf>) => rest;
      if (args.time_ns === undefined) {
        if (!args.since) throw new UserError('give time_ns (an entry, as the other tools return it) or since (a time to read from).');
        const { entries, more } = await collectEntries(ctx.client, selector, w.from, w.to, args.limit, (e) => e.stream === stream);
        if (entries.length === 0) throw new UserError(`${stream} has no entries from ${args.since} on (up to now); check list_log_files for its span.`);
        const lines = entries.map((e) => strip(lineOf(e, args.max_line_chars)));
        const body = lines.map((l) => `${l.time_ns} ${l.time}: ${l.text}`).join('\n');
        return ok(`${stream}, ${lines.length} entries from ${args.since}:\n${body}${more ? `\n(more follow: call read_logs with since=${lines[lines.length - 1]!.time})` : ''}`, {
          file: stream,
          lines,
          moreAfter: more,
        });
      }
      const ns = BigInt(args.time_ns);
      const { entries: at } = await collectEntries(ctx.client, selector, ns, ns + 1n, 100, (e) => e.stream === stream);
      if (at.length === 0) {
        throw new UserError(
          `${stream} has no entry at time_ns ${args.time_ns} (${isoOfNs(ns)}); cite a time_ns exactly as search_logs/read_logs returned it, ` +
            'with the stream labels as list_log_files gives them.',
        );
      }
      const around = await ctx.neighbours(selector, stream, ns, args.before, args.after);
      const lines = [
        ...around.before.map((e) => strip(lineOf(e, args.max_line_chars))),
        ...at.map((e) => ({ ...strip(lineOf(e, args.max_line_chars)), cited: true })),
        ...around.after.map((e) => strip(lineOf(e, args.max_line_chars))),
      ];
      const body = lines.map((l) => `${'cited' in l ? '>' : ' '} ${l.time_ns} ${l.time}: ${l.text}`).join('\n');
      return ok(`${stream}, the entry at ${args.time_ns} with ${around.before.length} before and ${around.after.length} after:\n${body}`, {
        file: stream,
        lines,
        moreBefore: around.moreBefore ?? false,
        moreAfter: around.moreAfter ?? false,
      });
    }),
  );
}
