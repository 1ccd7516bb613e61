// An incident as a tool answer: a short text for people and models, and the whole record as structuredContent.
import type { Incident, IncidentSummary, JournalEntry } from './model.js';

export function incidentText(incident: Incident): string {
  const lines = [
    `${incident.id} [${incident.severity}, ${incident.status}] ${incident.title}`,
    `service: ${incident.service}; opened ${incident.createdAt}; last change ${incident.updatedAt}`,
    incident.summary,
    '',
    'Journal:',
    ...incident.journal.map(entryLine),
  ];
  return lines.join('\n');
}

export function entryLine(entry: JournalEntry): string {
  return `${entry.seq}. ${entry.at} ${entry.author}: ${describeEntry(entry)}`;
}

function describeEntry(entry: JournalEntry): string {
  const d = entry.data;
  switch (entry.kind) {
    case 'created':
      return 'opened the incident';
    case 'status':
      return `status ${String(d.from)} → ${String(d.to)}${d.note ? ` (${String(d.note)})` : ''}`;
    case 'updated':
      return `changed ${Object.keys(d).join(', ')}`;
    case 'note':
      return String(d.text);
    case 'remediation_dry_run':
      return `dry run of step "${String(d.step)}": ${String(d.command)}`;
    case 'remediation_approved':
      return `approved step "${String(d.step)}": ${String(d.command)}`;
    case 'remediation_declined':
      return `did not approve step "${String(d.step)}" (${String(d.reason)})`;
    case 'remediation_result':
      return `step "${String(d.step)}" ${d.startError ? `could not start: ${String(d.startError)}` : d.timedOut ? 'timed out' : d.interrupted ? `was stopped: ${String(d.interrupted)}` : `exited ${String(d.exitCode)}`}`;
    case 'postmortem':
      return `wrote the postmortem ${String(d.path)}`;
    case 'notification':
      return d.delivered ? `notified the team (${String(d.format)} webhook)` : `could not notify the team: ${String(d.error)}`;
  }
}

export function summaryLine(s: IncidentSummary): string {
  return `${s.id} [${s.severity}, ${s.status}] ${s.title} (${s.service}; opened ${s.createdAt}; ${s.entries} journal entries)`;
}
