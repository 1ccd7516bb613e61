// What the model is told: its job and rules, the incident, and what to do at the end.
import type { TimeWindow } from '../../analysis/analyst.js';
import { CATEGORIES } from '../../report/schema.js';

export function systemPrompt(): string {
  return [
    'You are an incident investigator. Find the root cause of a production incident using the tools you are given, which read the logs, the git history and the metrics of the system.',
    '',
    'How to investigate:',
    '1. Find the onset: the first time errors, latency or other symptoms appear. Use histograms and time filters rather than reading whole files.',
    '2. Compare before and after the onset: which messages, error types and metrics changed.',
    '3. Look at deployments and commits shortly before the onset, and at what they changed.',
    '4. Decide what broke and why, and how sure you are.',
    '',
    'Rules for evidence:',
    '- Cite only what a tool returned in this conversation (a deterministic first pass, when one is given, counts: its citations are tool results). Never invent a log line, a line number, a commit, a metric value or a deployment.',
    '- Log lines: the file name and the line number exactly as the tools gave them, and the line as quoted. Lines from a log store (Loki) have no line number: cite their file (the stream labels) and time_ns exactly as given.',
    '- Commits: the full commit hash. Metrics: the metric name and the timestamp of the point (and the value). Deployments: the version.',
    '- If the cause is external (a dependency outage, an expired certificate, a full disk, rate limiting) say that no commit is to blame, and give no suspect commit.',
    '- If the evidence is not enough, say so and use a low confidence or the category "unknown".',
    '',
    `Root-cause categories: ${CATEGORIES.join(', ')}.`,
    '',
    'Call tools one step at a time and keep requests narrow (time ranges, filters, pages). When you have enough evidence, stop calling tools and say briefly what you found; you will then be asked for the final report as JSON.',
  ].join('\n');
}

export function incidentPrompt(incident: string, window?: TimeWindow): string {
  const lines = [`The incident: ${incident}`];
  if (window?.since || window?.until) {
    lines.push(`Look at this time window: from ${window.since ?? 'the start of the data'} to ${window.until ?? 'the end of the data'}.`);
  }
  lines.push('Investigate it with the tools.');
  return lines.join('\n');
}

export function turnBudgetSpentPrompt(maxTurns: number): string {
  return `The investigation budget (${maxTurns} model turns) is spent: no more tool calls. Write the report from the evidence you already have.`;
}

/** With `schema` for a model that cannot be held to one: then the schema is part of the prompt. */
export function finalReportPrompt(schema?: Record<string, unknown>): string {
  return [
    schema ? `Now write the final report as one JSON object matching this JSON schema:\n${JSON.stringify(schema)}` : 'Now write the final report as JSON matching the given schema.',
    'Cite as evidence only what the tools returned above (log file and line exactly as given, or file and timeNs for lines that came with a time_ns; full commit hashes; metric name and timestamp; deployment version), give each evidence item an id such as "E1", and refer to those ids in the timeline.',
    `Set suspectCommit to null if no commit is to blame. Reply with the JSON only${schema ? ', no text before or after it' : ''}.`,
  ].join('\n');
}

export function reportRetryPrompt(problem: string): string {
  return `That report could not be used: ${problem}\nReply again with only the corrected JSON, matching the schema.`;
}
