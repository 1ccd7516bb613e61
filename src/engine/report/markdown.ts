// The report as Markdown: root cause first, then timeline, evidence (each marked verified or not), advice.
import type { Report, VerifiedEvidence } from './schema.js';

export interface MarkdownOptions {
  /** A link target for an evidence item (e.g. a command URI in VS Code); none gives plain references. */
  linkFor?: (evidence: VerifiedEvidence) => string | undefined;
}

export function evidenceLabel(e: VerifiedEvidence): string {
  switch (e.kind) {
    case 'log':
      return e.timeNs ? `${e.file ?? '?'} @ ${nanosToIso(e.timeNs)}` : `${e.file ?? '?'}:${e.line ?? '?'}`;
    case 'commit':
      return (e.hash ?? '?').slice(0, 7);
    case 'metric':
      return `${e.metric ?? '?'}${e.service ? `{${e.service}}` : ''} @ ${e.timestamp ?? '?'}`;
    case 'deployment':
      return `deployment ${e.version ?? '?'}`;
  }
}

/** A log store's nanosecond time as ISO-8601 with its sub-millisecond digits kept (they tell entries apart). */
function nanosToIso(timeNs: string): string {
  if (!/^\d{10,}$/.test(timeNs)) return timeNs;
  const ms = Number(BigInt(timeNs) / 1_000_000n);
  const rest = timeNs.slice(-6);
  const iso = new Date(ms).toISOString();
  return rest === '000000' ? iso : iso.replace(/Z$/, `${rest}Z`);
}

/**
 * Escapes text so that Markdown shows it as written (it may come from logs or a model). Text here never starts
 * a line, so only inline syntax needs escaping: emphasis, code, links, HTML, tables, strike-through.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function codeSpan(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ');
  const fence = clean.includes('`') ? '`` ' : '`';
  return `${fence}${clean}${fence === '`' ? '`' : ' ``'}`;
}

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const link = (e: VerifiedEvidence) => {
    const label = codeSpan(evidenceLabel(e));
    const target = options.linkFor?.(e);
    return target ? `[${label}](${target})` : label;
  };
  const byId = new Map(report.evidence.map((e) => [e.id, e]));
  const rc = report.rootCause;
  const out: string[] = [];
  out.push(`# Incident: ${escapeMarkdown(report.incident)}`, '');
  out.push(`**Root cause** (${rc.category}, confidence **${rc.confidence}**): ${escapeMarkdown(rc.summary)}`, '');
  const suspect = rc.suspectCommit ? report.evidence.find((e) => e.kind === 'commit' && e.hash === rc.suspectCommit) : undefined;
  out.push(
    `- Suspect commit: ${rc.suspectCommit ? (suspect ? link(suspect) : codeSpan(rc.suspectCommit.slice(0, 7))) + (suspect?.text ? ` ${escapeMarkdown(suspect.text)}` : '') : 'none (no commit is to blame)'}`,
    `- Suspect deployment: ${rc.suspectDeployment ? codeSpan(rc.suspectDeployment) : 'none'}`,
    `- Onset: ${rc.onset ?? 'unknown'}`,
    `- Analyst: ${report.analyst}`,
    '',
  );
  if (report.timeline.length > 0) {
    out.push('## Timeline', '');
    for (const t of report.timeline) {
      const refs = t.evidence.map((id) => byId.get(id)).filter((e): e is VerifiedEvidence => !!e).map(link);
      out.push(`- **${t.time}** ${escapeMarkdown(t.description)}${refs.length ? ` (${refs.join(', ')})` : ''}`);
    }
    out.push('');
  }
  if (report.evidence.length > 0) {
    out.push('## Evidence', '');
    for (const e of report.evidence) {
      const mark = e.verified ? '✓' : '⚠ unverified';
      const detail = e.kind === 'metric' && e.value !== undefined ? ` = ${e.value}` : e.text ? ` ${codeSpan(e.text.slice(0, 240))}` : '';
      const why = !e.verified && e.verification ? ` (${escapeMarkdown(e.verification)})` : '';
      out.push(`- ${e.id} ${mark} ${link(e)}${detail}${why}`);
    }
    out.push('');
  }
  if (report.recommendations.length > 0) {
    out.push('## Recommendations', '', ...report.recommendations.map((r) => `- ${escapeMarkdown(r)}`), '');
  }
  const errors = report.toolCalls.filter((c) => c.isError).length;
  out.push(`_${report.toolCalls.length} tool calls${errors ? `, ${errors} failed` : ''}._`, '');
  return out.join('\n');
}
