// The postmortem of an incident in Markdown: summary, impact, timeline (the journal), root cause with the evidence
// the analysis cited, what went well and badly, and action items with owners. Everything that came from people,
// logs or a model is escaped (markdownText.ts).
import { entryLine } from './incidentView.js';
import { block, code, inline } from './markdownText.js';
import type { Incident } from './model.js';

export interface Retrospective {
  impact: string;
  wentWell: string[];
  wentBadly: string[];
  actionItems: Array<{ action: string; owner: string; due?: string }>;
}

interface ReportShape {
  rootCause?: { summary?: string; category?: string; confidence?: string; suspectCommit?: string | null; suspectDeployment?: string | null; onset?: string | null };
  evidence?: Array<{ id?: string; kind?: string; file?: string; line?: number; hash?: string; metric?: string; timestamp?: string; value?: number; version?: string; text?: string }>;
  recommendations?: string[];
}

export function postmortemMarkdown(incident: Incident, retro: Retrospective, writtenAt: string): string {
  const report = (incident.report ?? {}) as ReportShape;
  const out: string[] = [];
  out.push(`# Postmortem: ${inline(incident.title)} (${incident.id})`, '');
  out.push(`- Severity: ${incident.severity}`, `- Service: ${inline(incident.service)}`, `- Status: ${incident.status}`);
  out.push(`- Opened: ${incident.createdAt}`, `- Last change: ${incident.updatedAt}`, `- Written: ${writtenAt}`, '');
  out.push('## Summary', '', inline(incident.summary), '');
  out.push('## Impact', '', inline(retro.impact), '');
  out.push('## Timeline', '', ...incident.journal.map((e) => `- ${inline(entryLine(e))}`), '');
  out.push('## Root cause', '');
  const cause = report.rootCause;
  if (cause?.summary) {
    out.push(inline(cause.summary), '');
    if (cause.category) out.push(`- Category: ${inline(cause.category)}${cause.confidence ? ` (confidence ${inline(cause.confidence)})` : ''}`);
    if (cause.suspectCommit) out.push(`- Suspect commit: ${code(cause.suspectCommit)}`);
    if (cause.suspectDeployment) out.push(`- Deployment: ${code(cause.suspectDeployment)}`);
    if (cause.onset) out.push(`- Onset: ${inline(cause.onset)}`);
    out.push('');
  } else {
    out.push('No analysis report was attached to this incident.', '');
  }
  if (report.evidence?.length) {
    out.push('### Evidence', '');
    for (const e of report.evidence) out.push(`- ${evidenceLine(e)}`);
    out.push('');
  }
  out.push('## What went well', '', ...bullets(retro.wentWell), '');
  out.push('## What went badly', '', ...bullets(retro.wentBadly), '');
  out.push('## Action items', '');
  if (retro.actionItems.length === 0) out.push('None recorded.');
  else {
    out.push('| Action | Owner | Due |', '|---|---|---|');
    for (const item of retro.actionItems) out.push(`| ${inline(item.action)} | ${inline(item.owner)} | ${inline(item.due ?? '')} |`);
  }
  const remediations = incident.journal.filter((e) => e.kind === 'remediation_result');
  if (remediations.length > 0) {
    out.push('', '## Remediation steps run', '');
    for (const r of remediations) {
      const end = r.data.interrupted
        ? `stopped: ${String(r.data.interrupted)}`
        : r.data.timedOut
          ? 'stopped at its time limit'
          : `exit ${String(r.data.exitCode ?? r.data.startError ?? 'none')}`;
      out.push(`- ${r.at} ${code(String(r.data.command))}: ${inline(end)}`);
      const output = String(r.data.stdout ?? '').trim();
      if (output) out.push('', block(output.split('\n').slice(0, 20).join('\n')), '');
    }
  }
  return `${out.join('\n')}\n`;
}

function bullets(items: string[]): string[] {
  return items.length ? items.map((i) => `- ${inline(i)}`) : ['Nothing recorded.'];
}

function evidenceLine(e: NonNullable<ReportShape['evidence']>[number]): string {
  const id = e.id ? `${inline(e.id)}: ` : '';
  switch (e.kind) {
    case 'log':
      return `${id}log ${code(`${e.file ?? '?'}${e.line !== undefined ? `:${e.line}` : ''}`)}${e.text ? ` ${code(e.text.slice(0, 300))}` : ''}`;
    case 'commit':
      return `${id}commit ${code(e.hash ?? '?')}${e.text ? ` ${inline(e.text)}` : ''}`;
    case 'metric':
      return `${id}metric ${code(e.metric ?? '?')} = ${e.value ?? '?'} at ${inline(e.timestamp ?? '?')}`;
    case 'deployment':
      return `${id}deployment ${code(e.version ?? '?')}${e.timestamp ? ` at ${inline(e.timestamp)}` : ''}`;
    default:
      return `${id}${inline(e.text ?? JSON.stringify(e))}`;
  }
}
