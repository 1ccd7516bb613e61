// What the logs newly say: templates that are new or spiking after the onset, at warning level or above,
// compared with everything before it.
import type { AnalystTools, TimeWindow } from '../../analysis/analyst.js';
import type { LogFileSpan } from './dataOverview.js';
import { callFor, type LogLineRef } from './toolAccess.js';

export interface IncidentTemplate {
  template: string;
  trend: string;
  count: number;
  baselineCount: number;
  level?: string;
  firstTime?: string;
  examples: LogLineRef[];
}

/** A little before the onset, so lines in the onset minute itself count as "after". */
const LEAD_MS = 60_000;

/**
 * Access-log records (one per HTTP request) say that requests failed, which the onset already counts, but not why;
 * their field names ("upstream", "rt") would read as symptoms, and their many user-agent variants crowd the
 * applications' own patterns out of a page. So the patterns are read file by file (a file mixing both, as
 * gunicorn's output does, keeps its application records) and access records are left out when anything else
 * changed.
 */
export async function incidentTemplates(tools: AnalystTools, onset: string | undefined, window: TimeWindow, files: readonly LogFileSpan[] = []): Promise<IncidentTemplate[]> {
  const since = onset ? new Date(Date.parse(onset) - LEAD_MS).toISOString() : window.since;
  const ask = (file?: string) =>
    callFor<{ templates: IncidentTemplate[] }>(tools, 'log_patterns', { ...(file && { file }), since, until: window.until, level: 'warn', max_templates: 25 });
  // Only files with dated lines in the window: asking the others would only be told there are none.
  const ms = (t: string | undefined) => (t === undefined ? NaN : Date.parse(t));
  const covering = files.filter((f) => f.firstTime !== undefined && !(ms(f.lastTime) < ms(since)) && !(ms(f.firstTime) > ms(window.until)));
  const byFile = covering.length > 0 && files.length <= MAX_FILES_ONE_BY_ONE;
  const answers = byFile ? await Promise.all(covering.map((f) => ask(f.file))) : [await ask()];
  const templates = answers.flatMap((a) => a?.templates ?? []);
  const all = templates.filter((t) => t.trend === 'new' || t.trend === 'spiking');
  const fromApplications = all.filter((t) => !ACCESS_RECORD.test(t.template));
  const changed = fromApplications.length > 0 ? fromApplications : all;
  // Without a baseline (no onset, no window) nothing can be new: fall back to the commonest problems.
  return (changed.length > 0 ? changed : since ? [] : templates.filter((t) => t.count > 0)).sort(bySeverityThenCount);
}

/** More files than this are read in one call: a page per file would be too many calls. */
const MAX_FILES_ONE_BY_ONE = 12;
/** An HTTP access record: the common log format's `host ident user [time]`, or a quoted request line. */
const ACCESS_RECORD = /^(?:<\*>|\S+) (?:-|<\*>) (?:-|<\*>|\S+) (?:<\*>|\[)|"(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|<\*>) \S+ HTTP\/[^"]*"/;

const SEVERITY: Record<string, number> = { fatal: 3, error: 2, warn: 1 };

function bySeverityThenCount(a: IncidentTemplate, b: IncidentTemplate): number {
  return (SEVERITY[b.level ?? ''] ?? 0) - (SEVERITY[a.level ?? ''] ?? 0) || b.count - a.count;
}

const LEADING_NOISE = /^(?:(?:<\*>|-|\d[\d:.T-]*Z?|TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL)\s+)+/i;

/** A template as people read it: without the masked timestamp and level it starts with. */
export function displayTemplate(template: string): string {
  return template.replace(LEADING_NOISE, '').trim() || template;
}
