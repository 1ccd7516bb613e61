import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError, guarded, ok } from '../../common/result.js';
import { forEachLine, looksBinary } from '../lineReader.js';
import { clip } from '../searchRequest.js';
import { fileArg, maxLineCharsArg, timeNsArg } from '../schemas.js';
import type { LogsContext } from '../context.js';

const MAX_LIMIT = 500;

export function registerReadLogsTool(server: McpServer, ctx: LogsContext): void {
  server.registerTool(
    'read_logs',
    {
      title: 'Read log lines',
      description:
        'Returns numbered lines of one log file, starting at a line number. Use it to read around a line that ' +
        'search_logs or log_patterns pointed at (e.g. offset = line - 10). Lines over max_line_chars (500) characters are cut.',
      inputSchema: {
        file: fileArg,
        offset: z.number().int().min(1).default(1).describe('First line number to return (1-based).'),
        limit: z.number().int().min(1).max(MAX_LIMIT).default(100).describe(`How many lines to return (at most ${MAX_LIMIT}).`),
        time_ns: timeNsArg.describe('Only for a server that reads Loki; this one reads files: use offset (a line number).'),
        max_line_chars: maxLineCharsArg,
      },
      outputSchema: {
        file: z.string(),
        path: z.string().describe("Absolute path of the file where the server runs (editors use it to open the line)."),
        lines: z.array(z.object({ line: z.number().int(), text: z.string() })).describe('Evidence: file + line.'),
        endOfFile: z.boolean().describe('True when the file ends within or before this page.'),
        nextOffset: z.number().int().nullable().describe('Line number to pass as offset for the next page.'),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded('read_logs', async ({ file, offset, limit, time_ns, max_line_chars }) => {
      if (time_ns !== undefined) {
        throw new UserError('this logs server reads log files, which have line numbers, not Loki entries: use offset (the line number) instead of time_ns.');
      }
      const target = ctx.catalog.resolve(file);
      if (await looksBinary(target.path)) throw new UserError(`"${target.id}" looks like a binary file, not a log; pick a text log from list_log_files.`);
      const lines: Array<{ line: number; text: string }> = [];
      let more = false;
      const last = await forEachLine(
        target.path,
        (text, line) => {
          if (lines.length === limit) {
            more = true;
            return false;
          }
          lines.push({ line, text: clip(text, max_line_chars) });
          return true;
        },
        { fromLine: offset },
      );
      if (lines.length === 0) {
        throw new UserError(`"${target.id}" has only ${last} line(s); offset ${offset} is past its end.`);
      }
      const nextOffset = more ? offset + lines.length : null;
      const body = lines.map((l) => `${l.line}: ${l.text}`).join('\n');
      const tail = more ? `\n(more lines follow: call read_logs with offset=${nextOffset})` : '\n(end of file)';
      return ok(`${target.id}, lines ${offset}-${offset + lines.length - 1}:\n${body}${tail}`, {
        file: target.id,
        path: target.path,
        lines,
        endOfFile: !more,
        nextOffset,
      });
    }),
  );
}
