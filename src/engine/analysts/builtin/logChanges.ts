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
 * `accessLogs`: files whose lines are HTTP access records. They say that requests failed (the onset already
 * counts them) but not why, and their field names ("upstream", "rt") would read as symptoms; they are left out
 * when the applications' own logs have something to say.
 */
export async function incidentTemplates(tools: AnalystTools, onset: string | undefined, window: TimeWindow, accessLogs: ReadonlySet<string> = new Set()): Promise<IncidentTemplate[]> {
  const since = onset ? new Date(Date.parse(onset) - LEAD_MS).toISOString() : window.since;
  const result = await callFor<{ templates: IncidentTemplate[] }>(tools, 'log_patterns', {
    since,
    until: window.until,
    level: 'warn',
    max_templates: 25,
  });
  const templates = result?.templates ?? [];
  const all = templates.filter((t) => t.trend === 'new' || t.trend === 'spiking');
  const fromApplications = all.filter((t) => !t.examples.every((e) => accessLogs.has(e.file)));
  const changed = fromApplications.length > 0 ? fromApplications : all;
  // Without a baseline (no onset, no window) nothing can be new: fall back to the commonest problems.
  return (changed.length > 0 ? changed : since ? [] : templates.filter((t) => t.count > 0)).sort(bySeverityThenCount);
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
