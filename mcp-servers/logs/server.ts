import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { LogsContext } from './context.js';
import { registerListLogFilesTool } from './tools/listLogFiles.js';
import { registerReadLogsTool } from './tools/readLogs.js';
import { registerSearchLogsTool } from './tools/searchLogs.js';
import { registerLogPatternsTool } from './tools/logPatterns.js';
import { registerLogHistogramTool } from './tools/logHistogram.js';
import type { LokiContext } from './loki/context.js';
import { registerLokiListLogFilesTool } from './loki/listLogFiles.js';
import { registerLokiReadLogsTool } from './loki/readLogs.js';
import { registerLokiSearchLogsTool } from './loki/searchLogs.js';
import { registerLokiLogPatternsTool } from './loki/logPatterns.js';
import { registerLokiLogHistogramTool } from './loki/logHistogram.js';

export const LOGS_SERVER_VERSION = '0.1.0';

export function createLogsServer(ctx: LogsContext): McpServer {
  const server = new McpServer(
    { name: 'incident-analyzer-logs', version: LOGS_SERVER_VERSION },
    {
      instructions:
        'Reads application log files. Start with list_log_files, then log_patterns (with since = the suspected onset) ' +
        'to see which templates are new or spiking, then search_logs and read_logs for the exact lines. ' +
        'Cite evidence as file:line.',
    },
  );
  registerListLogFilesTool(server, ctx);
  registerReadLogsTool(server, ctx);
  registerSearchLogsTool(server, ctx);
  registerLogPatternsTool(server, ctx);
  registerLogHistogramTool(server, ctx);
  return server;
}

/** The same five tools, answered from Grafana Loki (`--loki URL`). */
export function createLokiLogsServer(ctx: LokiContext): McpServer {
  const server = new McpServer(
    { name: 'incident-analyzer-logs', version: LOGS_SERVER_VERSION },
    {
      instructions:
        'Reads application logs from Grafana Loki. Start with list_log_files (streams and when their data is; pass since/until), ' +
        'then log_patterns (with since = the suspected onset) to see which templates are new or spiking, then search_logs and ' +
        'read_logs for the exact entries. Cite evidence as file (the stream labels exactly as returned) + time_ns.',
    },
  );
  registerLokiListLogFilesTool(server, ctx);
  registerLokiReadLogsTool(server, ctx);
  registerLokiSearchLogsTool(server, ctx);
  registerLokiLogPatternsTool(server, ctx);
  registerLokiLogHistogramTool(server, ctx);
  return server;
}
