// What data there is: when the logs and metrics start and end, and which log files are access logs, from the
// servers' own listings.
import type { AnalystTools } from '../../analysis/analyst.js';
import { callFor } from './toolAccess.js';

export interface DataOverview {
  start?: number;
  end?: number;
  /** Whether some metric is an error rate (the metrics server's "errors" group); unknown without a listing. */
  errorMetrics?: boolean;
  /** The log files that hold text, with the span each covers; empty when the listing was cut into pages. */
  logFiles: LogFileSpan[];
}

export interface LogFileSpan {
  file: string;
  firstTime?: string;
  lastTime?: string;
}

interface LogListing {
  files?: Array<{ file: string; format?: string; firstTime?: string; lastTime?: string }>;
  dataSpan?: { firstTime: string; lastTime: string } | null;
  total?: number;
}

export async function dataOverview(tools: AnalystTools): Promise<DataOverview> {
  const [logs, metrics] = await Promise.all([
    callFor<LogListing>(tools, 'list_log_files', {}),
    callFor<{ start?: string; end?: string; aliases?: Record<string, string[]> }>(tools, 'list_metrics', {}),
  ]);
  const files = logs?.files ?? [];
  const starts = [...files.map((f) => f.firstTime), logs?.dataSpan?.firstTime, metrics?.start].map(ms).filter(Number.isFinite);
  const ends = [...files.map((f) => f.lastTime), logs?.dataSpan?.lastTime, metrics?.end].map(ms).filter(Number.isFinite);
  return {
    ...(starts.length && { start: Math.min(...starts) }),
    ...(ends.length && { end: Math.max(...ends) }),
    ...(metrics?.aliases && { errorMetrics: (metrics.aliases.errors?.length ?? 0) > 0 }),
    // A listing cut into pages lists only some files: then no file-by-file reading, which would miss the rest.
    logFiles: logs?.total !== undefined && logs.total > files.length ? [] : files.filter((f) => f.format !== 'binary').map(({ file, firstTime, lastTime }) => ({ file, firstTime, lastTime })),
  };
}

function ms(value: string | undefined): number {
  return value === undefined ? NaN : Date.parse(value);
}
