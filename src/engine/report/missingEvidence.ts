// What a failed tool call leaves out of an analysis, in words an on-call engineer can act on: the evidence the call
// would have given and how its absence limits the conclusion.
import type { ToolCallRecord } from './schema.js';

const WHAT_IT_GIVES: Record<string, string> = {
  list_log_files: 'Which logs exist and what time they span is unknown.',
  search_logs: 'Log lines matching the search are missing; errors they would show are not in the evidence.',
  read_logs: 'The cited log lines could not be read back, so they are not verified.',
  log_patterns: 'New or spiking log patterns are unknown: the symptoms, and so the category, rest on other evidence.',
  log_histogram: 'Error counts over time are missing: the onset could not be dated from the logs.',
  get_recent_commits: 'Recent commits are unknown: a change behind the incident may be missed.',
  get_commit: 'A commit could not be read: what it changed, and whether it is to blame, is not checked.',
  search_commits: 'Commits matching the search are unknown: a change behind the incident may be missed.',
  get_deployments: 'Deployments are unknown: no change can be tied to the onset.',
  diff_range: 'What a deployment changed is unknown.',
  list_metrics: 'Which metrics exist is unknown.',
  get_metrics: 'Metric values are missing from the evidence.',
  get_anomalies: 'Metric changes are unknown: the onset and the earliest cause rest on the logs alone.',
  get_error_rates: 'The error rate could not be read: the onset rests on other signals.',
  get_metric_at: 'A cited metric value could not be read back, so it is not verified.',
};

export interface MissingEvidence {
  server: string;
  tool: string;
  times: number;
  missing: string;
  /** The first failure's message. */
  error?: string;
}

/** One entry per failed tool, in the order they first failed. */
export function missingEvidenceOf(failed: readonly ToolCallRecord[]): MissingEvidence[] {
  const byTool = new Map<string, MissingEvidence>();
  for (const call of failed) {
    const key = `${call.server}\u0000${call.tool}`;
    const seen = byTool.get(key);
    if (seen) seen.times++;
    else {
      const missing = WHAT_IT_GIVES[call.tool] ?? 'What this tool would have shown is not in the analysis.';
      byTool.set(key, { server: call.server, tool: call.tool, times: 1, missing, ...(call.error && { error: call.error }) });
    }
  }
  return [...byTool.values()];
}
