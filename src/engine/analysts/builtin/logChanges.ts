// What the logs newly say: templates that are new or spiking after the onset, at warning level or above,
// compared with everything before it.
import type { AnalystTools, TimeWindow } from '../../analysis/analyst.js';
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
 * Access logs (HTTP request records) say that requests failed, which the onset already counts, but not why; their
 * field names ("upstream", "rt") would read as symptoms, and their many user-agent variants crowd the applications'
 * own patterns out of a page. So when there are other logs, the patterns are read from those, file by file.
 */
export async function incidentTemplates(tools: AnalystTools, onset: string | undefined, window: TimeWindow, files: LogFiles = { all: [], access: new Set() }): Promise<IncidentTemplate[]> {
  const since = onset ? new Date(Date.parse(onset) - LEAD_MS).toISOString() : window.since;
  const ask = (file?: string) =>
    callFor<{ templates: IncidentTemplate[] }>(tools, 'log_patterns', { ...(file && { file }), since, until: window.until, level: 'warn', max_templates: 25 });
  const applicationLogs = files.all.filter((f) => !files.access.has(f));
  const answers = files.access.size > 0 && applicationLogs.length > 0 ? await Promise.all(applicationLogs.map((f) => ask(f))) : [await ask()];
  const templates = answers.flatMap((a) => a?.templates ?? []);
  const changed = templates.filter((t) => t.trend === 'new' || t.trend === 'spiking');
  // Without a baseline (no onset, no window) nothing can be new: fall back to the commonest problems.
  return (changed.length > 0 ? changed : since ? [] : templates.filter((t) => t.count > 0)).sort(bySeverityThenCount);
}

export interface LogFiles {
  all: string[];
  /** HTTP access logs among them. */
  access: ReadonlySet<string>;
}

const SEVERITY: Record<string, number> = { fatal: 3, error: 2, warn: 1 };

function bySeverityThenCount(a: IncidentTemplate, b: IncidentTemplate): number {
  return (SEVERITY[b.level ?? ''] ?? 0) - (SEVERITY[a.level ?? ''] ?? 0) || b.count - a.count;
}

const LEADING_NOISE = /^(?:(?:<\*>|-|\d[\d:.T-]*Z?|TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL)\s+)+/i;

/** A template as people read it: without the masked timestamp and level it starts with. */
export function displayTemplate(template: string): string {
  return template.replace(LEADING_NOISE, '').trim() || template;
}
