// Which parser reads a metrics file, told from its content (the extension is often .txt or missing for exports):
//   starts with { or [          JSON: our {"metrics": [...]} or a Prometheus API answer (told apart once parsed)
//   # TYPE/# HELP or name{…} v  Prometheus / OpenMetrics text
//   a header line with , or tab CSV
// Only when the content fits none does the file name decide (so a broken metrics.json still gets the JSON parser's
// message about its syntax); with no telling name, the refusal lists the accepted formats.
import { UserError } from '../../common/result.js';
import { hasEofMarker } from './openMetricsText.js';

export type MetricFileFormat = 'json' | 'openmetrics-text' | 'csv';

export const ACCEPTED_FORMATS =
  'Accepted metrics files: our JSON {"metrics": [{"timestamp": "2026-02-17T14:45:00Z", "error_rate": 0.8, ...}]}; ' +
  'a saved Prometheus query_range answer {"status":"success","data":{"resultType":"matrix","result":[...]}}; ' +
  'Prometheus or OpenMetrics text with timestamps (`http_requests_total{service="api"} 1027 1771339500000`); ' +
  'CSV with a header `time,name,service,value` or `time,cpu_usage,error_rate,...`.';

const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?[ \t]+([-+]?(\d|\.\d|inf|nan))/i;

const BY_EXTENSION: Record<string, MetricFileFormat> = { json: 'json', csv: 'csv', tsv: 'csv', prom: 'openmetrics-text', om: 'openmetrics-text' };

/**
 * The format of a file's text (BOM already removed); `fileName`, when given, decides only content that fits no format.
 * Throws a UserError listing the accepted formats when nothing fits.
 */
export function detectFormat(text: string, label: string, fileName?: string): MetricFileFormat {
  const byContent = formatOfContent(text);
  if (typeof byContent === 'string') return byContent;
  const extension = /\.([a-z]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  const byName = extension === undefined ? undefined : BY_EXTENSION[extension];
  if (byName !== undefined) return byName;
  throw new UserError(`The ${label} ${byContent.problem}. ${ACCEPTED_FORMATS}`);
}

function formatOfContent(text: string): MetricFileFormat | { problem: string } {
  const start = text.search(/\S/);
  if (start < 0) return 'json'; // empty: the JSON parser says so in its own words
  const first = text[start]!;
  if (first === '{' || first === '[') return 'json';
  if (/[\0-\x08\x0e-\x1f]/.test(text.slice(0, 512))) {
    return { problem: 'is binary (compressed?), not text: decompress it or export text' };
  }
  // The first line that is not blank and, for text exposition, not a comment.
  const lines = text.slice(start, start + 64 * 1024).split('\n').map((l) => l.replace(/\r$/, ''));
  const firstLine = lines[0]!;
  if (/^#\s*(TYPE|HELP|UNIT|EOF)\b/.test(firstLine)) return 'openmetrics-text';
  const content = lines.find((l) => l.trim() !== '' && !l.startsWith('#'));
  if (content !== undefined && SAMPLE_LINE.test(content) && (content.includes('{') || !content.includes(','))) return 'openmetrics-text';
  if (firstLine.startsWith('#') && hasEofMarker(text)) return 'openmetrics-text';
  if (!firstLine.startsWith('#') && (firstLine.includes(',') || firstLine.includes('\t'))) return 'csv';
  return { problem: `is in no format I can read (it starts with ${JSON.stringify(firstLine.slice(0, 60))})` };
}
