// An incident and its journal as the read-only text document the Incidents view opens: the same lines the CLI
// prints, with each remediation step's captured output under its result. Plain text, so nothing in a title or
// a step's output is ever read as markup; control characters are dropped.
import { entryLine } from '../../../mcp-servers/incidents/incidentView.js';
import type { Incident, JournalEntry } from '../../../mcp-servers/incidents/model.js';
import { withoutControlCharacters } from '../../engine/report/markdown.js';

export function journalText(incident: Incident): string {
  const rootCause = (incident.report as { rootCause?: { summary?: unknown; category?: unknown } } | undefined)?.rootCause;
  const lines = [
    `${incident.id} · ${incident.title}`,
    `${incident.severity} · ${incident.status} · service ${incident.service}`,
    `opened ${incident.createdAt} · last change ${incident.updatedAt}`,
    '',
    incident.summary,
    ...(rootCause?.summary ? ['', `Root cause (from the analysis)${rootCause.category ? ` [${String(rootCause.category)}]` : ''}${rootCause.summary === incident.summary ? ': as above' : `: ${String(rootCause.summary)}`}`] : []),
    '',
    `Journal (${incident.journal.length === 1 ? '1 entry' : `${incident.journal.length} entries`}, oldest first)`,
    '',
    ...incident.journal.flatMap(entryWithOutput),
  ];
  return `${lines.map((line) => withoutControlCharacters(line)).join('\n')}\n`;
}

function entryWithOutput(entry: JournalEntry): string[] {
  const lines = [entryLine(entry)];
  if (entry.kind === 'remediation_result') {
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = String(entry.data[stream] ?? '').trimEnd();
      if (text) lines.push(`    ${stream}:`, ...text.split('\n').map((line) => `      ${line}`));
    }
  }
  return lines;
}
