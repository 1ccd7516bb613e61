// What data there is: when the logs and metrics start and end, and which log files are access logs, from the
// servers' own listings.
import type { AnalystTools } from '../../analysis/analyst.js';
import { callFor } from './toolAccess.js';

export interface DataOverview {
  start?: number;
  end?: number;
  /** The log files that hold text; empty when the listing was cut into pages. */
  logFiles: string[];
}

interface LogListing {
  files?: Array<{ file: string; format?: string; firstTime?: string; lastTime?: string }>;
  dataSpan?: { firstTime: string; lastTime: string } | null;
  total?: number;
}

export async function dataOverview(tools: AnalystTools): Promise<DataOverview> {
  const [logs, metrics] = await Promise.all([
    callFor<LogListing>(tools, 'list_log_files', {}),
    callFor<{ start?: string; end?: string }>(tools, 'list_metrics', {}),
  ]);
  const files = logs?.files ?? [];
  const starts = [...files.map((f) => f.firstTime), logs?.dataSpan?.firstTime, metrics?.start].map(ms).filter(Number.isFinite);
  const ends = [...files.map((f) => f.lastTime), logs?.dataSpan?.lastTime, metrics?.end].map(ms).filter(Number.isFinite);
  return {
    ...(starts.length && { start: Math.min(...starts) }),
    ...(ends.length && { end: Math.max(...ends) }),
    // A listing cut into pages lists only some files: then no file-by-file reading, which would miss the rest.
    logFiles: logs?.total !== undefined && logs.total > files.length ? [] : files.filter((f) => f.format !== 'binary').map((f) => f.file),
  };
}

function ms(value: string | undefined): number {
  return value === undefined ? NaN : Date.parse(value);
}
