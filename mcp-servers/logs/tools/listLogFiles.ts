import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote, pageOf } from '../../common/result.js';
import { isoTime } from '../../common/time.js';
import { looksBinary, readEdges } from '../lineReader.js';
import { parseLine, type LogFormat } from '../lineParser.js';
import type { LogFile } from '../catalog.js';
import type { LogsContext } from '../context.js';

const EDGE_BYTES = 64 * 1024;
const PAGE = 200;

interface FileSummary {
  file: string;
  path: string;
  sizeBytes: number;
  format: LogFormat | 'binary';
  firstTime?: string;
  lastTime?: string;
}

/** Format and time span from the first and last 64 KB, so listing stays fast for huge files. */
async function summarise(file: LogFile, year: number): Promise<FileSummary> {
  const base = { file: file.id, path: file.path, sizeBytes: file.size };
  if (await looksBinary(file.path)) return { ...base, format: 'binary' };
  const { head, tail } = await readEdges(file.path, EDGE_BYTES);
  const firstParsed = head.split('\n').map((l) => parseLine(l, year)).find((p) => p.time !== undefined);
  const tailLines = tail.split('\n').slice(1).reverse(); // the first tail line may be partial
  const lastParsed = tailLines.map((l) => parseLine(l, year)).find((p) => p.time !== undefined);
  return {
    ...base,
    format: firstParsed?.format ?? 'unknown',
    firstTime: firstParsed?.time !== undefined ? isoTime(firstParsed.time) : undefined,
    lastTime: lastParsed?.time !== undefined ? isoTime(lastParsed.time) : undefined,
  };
}

export function registerListLogFilesTool(server: McpServer, ctx: LogsContext): void {
  server.registerTool(
    'list_log_files',
    {
      title: 'List log files',
      description:
        'Lists the log files this server can read, with size, detected format and the time span each covers. ' +
        'Use the file names it returns in the other tools.',
      inputSchema: {
        offset: z.number().int().min(0).default(0).describe('Skip this many files (for paging through long lists).'),
      },
      outputSchema: {
        files: z.array(
          z.object({
            file: z.string().describe('Name to pass to the other tools.'),
            path: z.string().describe('Absolute path on disk.'),
            sizeBytes: z.number(),
            format: z.string().describe('timestamped, json, syslog, access, apache-error, unknown or binary.'),
            firstTime: z.string().optional(),
            lastTime: z.string().optional(),
          }),
        ),
        total: z.number().int(),
        nextOffset: z.number().int().nullable(),
      },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded('list_log_files', async ({ offset }) => {
      const all = ctx.catalog.files();
      const year = await ctx.referenceYear(all);
      const page = pageOf(all, offset, PAGE);
      const files = await Promise.all(page.items.map((f) => summarise(f, year)));
      const lines = files.map(
        (f) =>
          `${f.file}  ${formatSize(f.sizeBytes)}  ${f.format}` +
          (f.firstTime ? `  ${f.firstTime} .. ${f.lastTime ?? '?'}` : ''),
      );
      const text =
        (all.length === 0
          ? `No log files found in ${ctx.catalog.describeRoots()}.`
          : `${all.length} log file(s) in ${ctx.catalog.describeRoots()}:\n${lines.join('\n')}`) +
        omittedNote(offset + files.length, all.length, `call list_log_files with offset=${page.nextOffset}`);
      return ok(text, { files, total: all.length, nextOffset: page.nextOffset });
    }),
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
