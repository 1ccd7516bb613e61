// The pre-digest: the built-in analyst's deterministic investigation, run through the same tools before a model
// starts, and turned into a compact message the model may check and overrule. A small local model then starts
// where the deterministic analysis ends (onset, new log templates, candidate commits and what they changed, a
// tentative conclusion) instead of spending its turns finding them.
// Only the built-in analyst's public face is used: its DraftReport, the notes it emits, and the answers of the
// tool calls it makes (real tool results, so the model may cite them). Its log and metric citations are re-read
// through the tools (as the run's verifier does), so the model sees the quoted line and the value, and only
// citations that hold up are offered as citable.
import type { AnalystContext, AnalystTools } from '../analysis/analyst.js';
import type { DraftReport, Evidence, VerifiedEvidence } from '../report/schema.js';
import { verifyEvidence } from '../report/verifier.js';
import { BuiltinAnalyst } from './builtin/index.js';

/** A commit the first pass read with get_commit: what the git server said about it. */
export interface CommitRead {
  hash: string;
  subject: string;
  committedAt?: string;
  deployment?: string;
  files: Array<{ path: string; additions: number | null; deletions: number | null }>;
  filesTotal: number;
  /** A few changed lines of its patch (+/-), the facts a reader checks first. */
  changedLines: string[];
}

/** A new or spiking log template from a log_patterns answer the first pass got. */
export interface TemplateSeen {
  template: string;
  trend: 'new' | 'spiking';
  count: number;
  baselineCount: number;
  level?: string;
  firstTime?: string;
  /** Where one line of it is (file:line, or the stream and time_ns from a log store). */
  example?: string;
}

export interface FirstPass {
  report: DraftReport;
  /** The report's evidence re-read through the tools: log lines with their text, metric points with their value. */
  evidence: VerifiedEvidence[];
  notes: string[];
  commits: CommitRead[];
  templates: TemplateSeen[];
  toolCalls: number;
  durationMs: number;
}

/** The digest never takes more than this of the model's context. */
export const DIGEST_MAX_CHARS = 8000;
const MAX_COMMITS = 10;
const MAX_TEMPLATES = 8;
const MAX_NOTES = 8;
const MAX_FILES = 4;
const MAX_CHANGED_LINES = 4;
const MAX_QUOTE = 200;
const MAX_COMMIT_LINE = 360;

/**
 * Runs the built-in analyst through ctx.tools (its calls are the run's calls: observed, streamed, kept for the
 * report). Its steps and notes are shown as notes marked "first pass:"; its own step count is not the run's.
 */
export async function runFirstPass(ctx: AnalystContext): Promise<FirstPass> {
  const notes: string[] = [];
  const commits = new Map<string, CommitRead>();
  const templates = new Map<string, TemplateSeen>();
  let toolCalls = 0;
  const tools: AnalystTools = {
    catalog: () => ctx.tools.catalog(),
    async call(name, args) {
      toolCalls++;
      const outcome = await ctx.tools.call(name, args);
      if (!outcome.isError && outcome.tool === 'get_commit') {
        const commit = commitFrom(outcome.structured);
        if (commit && !commits.has(commit.hash)) commits.set(commit.hash, commit);
      }
      if (!outcome.isError && outcome.tool === 'log_patterns') {
        for (const t of templatesFrom(outcome.structured)) if (!templates.has(t.template)) templates.set(t.template, t);
      }
      return outcome;
    },
  };
  const started = Date.now();
  const report = await new BuiltinAnalyst().investigate({
    ...ctx,
    tools,
    emit: (event) => {
      if (event.type === 'note') {
        notes.push(event.message);
        ctx.emit({ type: 'note', message: `first pass: ${event.message}` });
      } else if (event.type !== 'step') {
        ctx.emit(event);
      }
    },
    step: (title) => ctx.emit({ type: 'note', message: `first pass: ${title}` }),
  });
  const evidence: VerifiedEvidence[] = [];
  for (const item of report.evidence) {
    ctx.signal.throwIfAborted();
    evidence.push(item.kind === 'log' || item.kind === 'metric' ? await verifyEvidence(item, tools) : { ...item, verified: true });
  }
  const byWeight = [...templates.values()].sort((a, b) => (a.trend === b.trend ? b.count - a.count : a.trend === 'new' ? -1 : 1));
  return { report, evidence, notes, commits: [...commits.values()], templates: byWeight, toolCalls, durationMs: Date.now() - started };
}

/** The message the model gets: what the first pass found, how to treat it, and its citations in citable form. */
export function digestMessage(pass: FirstPass, maxChars = DIGEST_MAX_CHARS): string {
  const { report, notes } = pass;
  const rc = report.rootCause;
  // A small context (num_ctx of a few thousand tokens) gets the conclusion and what fits of the rest.
  const small = maxChars < 2000;
  const suspect = rc.suspectCommit ? pass.commits.find((c) => sameHash(c.hash, rc.suspectCommit!)) : undefined;
  const head = [
    `A deterministic first pass (the built-in analyst, ${pass.toolCalls} tool call${pass.toolCalls === 1 ? '' : 's'}) has already looked at this incident. What it found:`,
    `- Onset: ${rc.onset ?? 'none found'}.`,
    `- Tentative conclusion: ${rc.category}, confidence ${rc.confidence}; suspect commit ${rc.suspectCommit ? `${rc.suspectCommit}${suspect ? ` "${suspect.subject}"` : ''}` : 'none (it blames no commit)'}; suspect deployment ${rc.suspectDeployment ?? 'none'}.`,
    `- Its summary: ${oneLine(rc.summary, small ? 300 : 900)}`,
  ];
  if (notes.length > 0 && !small) head.push(`- Its notes: ${notes.slice(0, MAX_NOTES).map((n) => oneLine(n, 200)).join('; ')}${notes.length > MAX_NOTES ? '; …' : ''}.`);
  const timeline = report.timeline.map((t) => `  - ${t.time} ${oneLine(t.description, 260)}${t.evidence.length ? ` [${t.evidence.join(', ')}]` : ''}`);
  const evidence = pass.evidence.map((e) => `  - ${e.id} ${citable(e)}${e.verified ? '' : ` (could not be re-read: ${oneLine(e.verification ?? '', 160)}; do not cite it)`}`);
  // The suspect first: the commit the model most needs to check.
  const ordered = suspect ? [suspect, ...pass.commits.filter((c) => c !== suspect)] : pass.commits;
  const commits = ordered.slice(0, MAX_COMMITS).map((c) => cut(describeCommit(c), c === suspect ? 2 * MAX_COMMIT_LINE : MAX_COMMIT_LINE));
  const tail = [
    'Treat this as a lead, not the answer: verify it with the tools and overrule it wherever the evidence says otherwise (another onset, another commit, another category, or no commit to blame). ' +
      'Its citations above are real tool results: you may cite them exactly as given, and you need not fetch them again unless you want to read around them. ' +
      'Spend your tool calls on what it may have missed or got wrong.',
  ];
  const templates = pass.templates.slice(0, MAX_TEMPLATES).map(describeTemplate);
  // In order of what the model most needs, as space allows: what it can cite, the log patterns, the candidate
  // commits, then the first pass's own story and advice.
  const sections: Array<[string, string[]]> = [
    ['- Evidence it cited (real tool results, citable as given):', evidence],
    [`- New or spiking warning/error log patterns (${pass.templates.length}${pass.templates.length > MAX_TEMPLATES ? `, the first ${MAX_TEMPLATES} shown` : ''}; <*> marks a varying part):`, templates],
    [`- Commits it read as candidates (${pass.commits.length}${pass.commits.length > MAX_COMMITS ? `, the first ${MAX_COMMITS} shown` : ''}):`, commits],
    ['- Timeline it saw:', timeline],
    ['- Its recommendations:', report.recommendations.map((r) => `  - ${oneLine(r, 300)}`)],
  ];
  // Every line costs its length and a newline; room is kept for saying what was left out.
  const MORE = 48;
  const lines = [...head];
  let used = [...head, ...tail].join('\n').length + 1;
  const fits = (text: string, reserve = 0) => used + text.length + 1 + reserve <= maxChars;
  const add = (text: string) => {
    lines.push(text);
    used += text.length + 1;
  };
  for (const [title, items] of sections) {
    if (items.length === 0) continue;
    if (!fits(title, (items[0]?.length ?? 0) + 1 + (items.length > 1 ? MORE : 0))) {
      const note = `${title.replace(/:$/, '')}: left out for space.`;
      if (fits(note)) add(note);
      continue;
    }
    add(title);
    let kept = 0;
    for (const item of items) {
      if (!fits(item, kept + 1 < items.length ? MORE : 0)) break;
      add(item);
      kept++;
    }
    if (kept < items.length) add(`  - … ${items.length - kept} more left out for space`);
  }
  return [...lines, ...tail].join('\n');
}

/** An evidence item written the way the model is asked to cite it. */
function citable(e: Evidence): string {
  switch (e.kind) {
    case 'log': {
      const where = e.timeNs ? `log ${e.file ?? '?'} time_ns ${e.timeNs}` : `log ${e.file ?? '?'}:${e.line ?? '?'}`;
      return e.text ? `${where} "${oneLine(e.text, MAX_QUOTE)}"` : where;
    }
    case 'commit':
      return `commit ${e.hash ?? '?'}${e.text ? ` (${oneLine(e.text, MAX_QUOTE)})` : ''}`;
    case 'metric':
      return `metric ${e.metric ?? '?'}${e.service ? ` (service ${e.service})` : ''} at ${e.timestamp ?? '?'}${e.value !== undefined ? ` = ${e.value}` : ''}`;
    case 'deployment':
      return `deployment ${e.version ?? '?'}${e.text ? ` (${oneLine(e.text, MAX_QUOTE)})` : ''}`;
  }
}

function describeCommit(c: CommitRead): string {
  const files = c.files
    .slice(0, MAX_FILES)
    .map((f) => `${f.path}${f.additions !== null && f.deletions !== null ? ` +${f.additions}/-${f.deletions}` : ''}`)
    .join(', ');
  const more = c.filesTotal > Math.min(c.files.length, MAX_FILES) ? ` and ${c.filesTotal - Math.min(c.files.length, MAX_FILES)} more file(s)` : '';
  const shipped = c.deployment ? `, shipped in ${c.deployment}` : ', in no known deployment';
  const changed = c.changedLines.length ? `; changed lines: ${c.changedLines.map((l) => `\`${l}\``).join(' ')}` : '';
  return `  - ${c.hash} "${oneLine(c.subject, 160)}" (${c.committedAt ?? '?'}${shipped}): ${files || 'no files'}${more}${changed}`;
}

function describeTemplate(t: TemplateSeen): string {
  const when = t.firstTime ? ` from ${t.firstTime}` : '';
  return `  - [${t.trend}] ${t.level ? `${t.level} ` : ''}×${t.count} (baseline ${t.baselineCount})${when}: ${oneLine(t.template, 200)}${t.example ? ` (e.g. ${t.example})` : ''}`;
}

/** The new and spiking templates of a log_patterns answer's structured content, read defensively. */
function templatesFrom(structured: Record<string, unknown> | undefined): TemplateSeen[] {
  const list = structured?.templates;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown) => {
    const t = raw as Record<string, unknown>;
    if (typeof t?.template !== 'string' || (t.trend !== 'new' && t.trend !== 'spiking')) return [];
    const example = Array.isArray(t.examples) ? (t.examples[0] as { file?: unknown; line?: unknown; time_ns?: unknown } | undefined) : undefined;
    const where =
      typeof example?.file === 'string'
        ? typeof example.line === 'number'
          ? `${example.file}:${example.line}`
          : typeof example.time_ns === 'string'
            ? `${example.file} time_ns ${example.time_ns}`
            : undefined
        : undefined;
    return [
      {
        template: t.template,
        trend: t.trend,
        count: typeof t.count === 'number' ? t.count : 0,
        baselineCount: typeof t.baselineCount === 'number' ? t.baselineCount : 0,
        level: typeof t.level === 'string' ? t.level : undefined,
        firstTime: typeof t.firstTime === 'string' ? t.firstTime : undefined,
        example: where,
      },
    ];
  });
}

/** The get_commit answer's structured content, read defensively (another git server may shape it differently). */
function commitFrom(structured: Record<string, unknown> | undefined): CommitRead | undefined {
  if (!structured || typeof structured.hash !== 'string' || typeof structured.subject !== 'string') return undefined;
  const files = Array.isArray(structured.files)
    ? structured.files.flatMap((f: unknown) => {
        const file = f as { path?: unknown; additions?: unknown; deletions?: unknown };
        if (typeof file?.path !== 'string') return [];
        const n = (v: unknown) => (typeof v === 'number' ? v : null);
        return [{ path: file.path, additions: n(file.additions), deletions: n(file.deletions) }];
      })
    : [];
  const deployment = (structured.deployment as { version?: unknown } | null | undefined)?.version;
  const patchText = (structured.patch as { text?: unknown } | undefined)?.text;
  return {
    hash: structured.hash,
    subject: structured.subject,
    committedAt: typeof structured.committed_at === 'string' ? structured.committed_at : undefined,
    deployment: typeof deployment === 'string' ? deployment : undefined,
    files,
    filesTotal: typeof structured.files_total === 'number' ? structured.files_total : files.length,
    changedLines: typeof patchText === 'string' ? changedLines(patchText) : [],
  };
}

/** The first few added/removed lines of a patch that say something (not blank, not a file header). */
export function changedLines(patch: string): string[] {
  const out: string[] = [];
  for (const line of patch.split('\n')) {
    if (out.length >= MAX_CHANGED_LINES) break;
    if (!/^[+-]/.test(line) || /^(\+\+\+|---)( |$)/.test(line)) continue;
    const body = line.slice(1).trim();
    if (body.length < 2) continue;
    out.push(`${line[0]} ${oneLine(body, 90)}`);
  }
  return out;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function sameHash(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x.startsWith(y) || y.startsWith(x);
}
