// The report as Markdown: root cause first, then timeline, evidence (each marked verified or not), advice, and what
// failed tool calls left out. Every value written into it may come from logs, commits or a model, so each is made
// inert: escaped as text, or put in a code span fenced longer than any backtick run it holds, with terminal control
// characters removed. Whatever renders the file (the panel, GitHub, a terminal) shows it as written.
import { missingEvidenceOf } from './missingEvidence.js';
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
  if (!/^\d{10,25}$/.test(timeNs)) return timeNs;
  const ms = Number(BigInt(timeNs) / 1_000_000n);
  if (!Number.isFinite(new Date(ms).getTime())) return timeNs;
  const rest = timeNs.slice(-6);
  const iso = new Date(ms).toISOString();
  return rest === '000000' ? iso : iso.replace(/Z$/, `${rest}Z`);
}

/** C0 and C1 control characters (escape sequences, bells, OSC writes), kept out of files and terminals. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text without control characters; a terminal printing it can only show it. Tabs and newlines stay. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

/**
 * Escapes text so that Markdown shows it as written. Text here never starts a line, so inline syntax is what
 * matters: emphasis, code, links and images, HTML and entities, tables, strike-through, and bare URLs (which
 * GitHub would turn into links; "https\://" is not one).
 */
export function escapeMarkdown(text: string): string {
  return withoutControlCharacters(text)
    .replace(/[\\`*_[\]<>|~&!]/g, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(/\r?\n|\r/g, ' ');
}

/** A code span that no backtick run inside can close: the fence is one backtick longer than the longest run. */
export function codeSpan(text: string): string {
  const clean = withoutControlCharacters(text).replace(/\r?\n|\r/g, ' ');
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // Spaces keep a leading or trailing backtick apart from the fence; CommonMark strips one on each side.
  const pad = longestRun > 0 || clean.startsWith(' ') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
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
  out.push(`**Root cause** (${escapeMarkdown(rc.category)}, confidence **${escapeMarkdown(rc.confidence)}**): ${escapeMarkdown(rc.summary)}`, '');
  const suspect = rc.suspectCommit ? report.evidence.find((e) => e.kind === 'commit' && e.hash === rc.suspectCommit) : undefined;
  out.push(
    `- Suspect commit: ${rc.suspectCommit ? (suspect ? link(suspect) : codeSpan(rc.suspectCommit.slice(0, 7))) + (suspect?.text ? ` ${escapeMarkdown(suspect.text)}` : '') : 'none (no commit is to blame)'}`,
    `- Suspect deployment: ${rc.suspectDeployment ? codeSpan(rc.suspectDeployment) : 'none'}`,
    `- Onset: ${rc.onset ? escapeMarkdown(rc.onset) : 'unknown'}`,
    `- Analyst: ${escapeMarkdown(report.analyst)}`,
    '',
  );
  if (report.timeline.length > 0) {
    out.push('## Timeline', '');
    for (const t of report.timeline) {
      const refs = t.evidence.map((id) => byId.get(id)).filter((e): e is VerifiedEvidence => !!e).map(link);
      out.push(`- **${escapeMarkdown(t.time)}** ${escapeMarkdown(t.description)}${refs.length ? ` (${refs.join(', ')})` : ''}`);
    }
    out.push('');
  }
  if (report.evidence.length > 0) {
    out.push('## Evidence', '');
    for (const e of report.evidence) {
      const mark = e.verified ? '✓' : '⚠ unverified';
      const detail = e.kind === 'metric' && e.value !== undefined ? ` = ${escapeMarkdown(String(e.value))}` : e.text ? ` ${codeSpan(e.text.slice(0, 240))}` : '';
      const why = !e.verified && e.verification ? ` (${escapeMarkdown(e.verification)})` : '';
      out.push(`- ${escapeMarkdown(e.id)} ${mark} ${link(e)}${detail}${why}`);
    }
    out.push('');
  }
  if (report.recommendations.length > 0) {
    out.push('## Recommendations', '', ...report.recommendations.map((r) => `- ${escapeMarkdown(r)}`), '');
  }
  const failed = report.toolCalls.filter((c) => c.isError);
  out.push(`_${report.toolCalls.length} tool calls${failed.length ? `, ${failed.length} failed` : ''}._`, '');
  if (failed.length > 0) {
    out.push('## What is missing', '', 'These calls failed, so the analysis went on without what they would have shown:', '');
    for (const m of missingEvidenceOf(failed)) {
      out.push(`- ${codeSpan(`${m.server}.${m.tool}`)}${m.times > 1 ? ` (${m.times}×)` : ''}: ${escapeMarkdown(m.missing)}${m.error ? ` It said: ${escapeMarkdown(m.error)}` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}
