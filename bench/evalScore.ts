// Scoring one analysis against a fixture's expected answer, the totals over fixtures, and the printed table.
// Used by bench/eval.ts; nothing here talks to a model or a server.
import type { Report } from '../src/engine/report/schema.js';

export interface Expected {
  culpritCommitSubject: string | null;
  category: string;
  onset: string | null;
}

/** How far the reported onset may be from the expected one and still count as right. */
export const ONSET_TOLERANCE_S = 120;

export interface FixtureScore {
  fixture: string;
  outcome: 'report' | 'error' | 'cancelled';
  error?: string;
  expected: Expected;
  got?: { culprit: string | null; suspectCommit: string | null; category: string; onset: string | null; confidence: string };
  culpritRight: boolean;
  categoryRight: boolean;
  onsetRight: boolean;
  /** Reported onset minus expected, in seconds (null when either is missing). */
  onsetOffsetSeconds: number | null;
  evidence: number;
  /** Evidence the verifier could not verify through the servers. */
  falseCitations: number;
  falseCitationDetails: Array<{ id: string; kind: string; cited: string; why: string }>;
  /** Every tool call of the run: the first pass's, the model's (or the built-in analyst's) and the verifier's. */
  toolCalls: number;
  /** Of those, the calls of the deterministic first pass given to the model (null without one). */
  firstPassToolCalls: number | null;
  /** How long the first pass took, within timeMs (null without one). */
  firstPassMs: number | null;
  /** Model turns of the tool loop (null for the built-in analyst). */
  turns: number | null;
  /** Chat requests: the turns plus the report request(s). */
  requests: number | null;
  /** prompt_eval_count summed over Ollama's answers. */
  promptTokens: number | null;
  /** eval_count summed over Ollama's answers. */
  evalTokens: number | null;
  /** Wall time of the whole run: servers starting, investigating, verifying. */
  timeMs: number;
}

export interface Totals {
  fixtures: number;
  reports: number;
  culpritRight: number;
  categoryRight: number;
  onsetRight: number;
  evidence: number;
  falseCitations: number;
  toolCalls: number;
  turns: number | null;
  promptTokens: number | null;
  evalTokens: number | null;
  timeMs: number;
}

export interface ModelCounts {
  turns: number;
  requests: number;
  promptTokens: number;
  evalTokens: number;
  firstPassToolCalls: number | null;
  firstPassMs: number | null;
}

/** Scores a run. `culpritSubject` is the subject of the reported suspect commit, as the git server gives it. */
export function scoreRun(input: {
  fixture: string;
  expected: Expected;
  outcome: FixtureScore['outcome'];
  error?: string;
  report?: Report;
  culpritSubject: string | null;
  model?: ModelCounts;
  timeMs: number;
}): FixtureScore {
  const { report, expected, model } = input;
  const rc = report?.rootCause;
  const onsetOffsetSeconds = rc ? offsetSeconds(rc.onset, expected.onset) : null;
  const unverified = (report?.evidence ?? []).filter((e) => !e.verified);
  return {
    fixture: input.fixture,
    outcome: input.outcome,
    ...(input.error !== undefined && { error: input.error }),
    expected,
    ...(rc && {
      got: { culprit: rc.suspectCommit ? (input.culpritSubject ?? rc.suspectCommit) : null, suspectCommit: rc.suspectCommit, category: rc.category, onset: rc.onset, confidence: rc.confidence },
    }),
    culpritRight: rc ? culpritMatches(rc.suspectCommit ? input.culpritSubject : null, rc.suspectCommit !== null, expected.culpritCommitSubject) : false,
    categoryRight: rc ? rc.category === expected.category : false,
    onsetRight: rc ? onsetMatches(rc.onset, expected.onset, onsetOffsetSeconds) : false,
    onsetOffsetSeconds,
    evidence: report?.evidence.length ?? 0,
    falseCitations: unverified.length,
    falseCitationDetails: unverified.map((e) => ({ id: e.id, kind: e.kind, cited: citedAs(e), why: e.verification ?? '' })),
    toolCalls: report?.toolCalls.length ?? 0,
    firstPassToolCalls: model?.firstPassToolCalls ?? null,
    firstPassMs: model?.firstPassMs ?? null,
    turns: model?.turns ?? null,
    requests: model?.requests ?? null,
    promptTokens: model?.promptTokens ?? null,
    evalTokens: model?.evalTokens ?? null,
    timeMs: Math.round(input.timeMs),
  };
}

function culpritMatches(subject: string | null, blamedOne: boolean, expected: string | null): boolean {
  if (expected === null) return !blamedOne;
  return subject !== null && normalise(subject) === normalise(expected);
}

function onsetMatches(got: string | null, expected: string | null, offset: number | null): boolean {
  if (expected === null) return got === null;
  return offset !== null && Math.abs(offset) <= ONSET_TOLERANCE_S;
}

/** Seconds from expected to got; times without a zone are UTC (as everywhere in the product). */
export function offsetSeconds(got: string | null, expected: string | null): number | null {
  const [a, b] = [parseTime(got), parseTime(expected)];
  return a === undefined || b === undefined ? null : Math.round((a - b) / 1000);
}

function parseTime(text: string | null): number | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(trimmed) ? trimmed : `${trimmed.replace(' ', 'T')}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : undefined;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

function citedAs(e: Report['evidence'][number]): string {
  switch (e.kind) {
    case 'log':
      return e.timeNs ? `${e.file ?? '?'} @${e.timeNs}` : `${e.file ?? '?'}:${e.line ?? '?'}`;
    case 'commit':
      return e.hash ?? '?';
    case 'metric':
      return `${e.metric ?? '?'}@${e.timestamp ?? '?'}${e.value !== undefined ? `=${e.value}` : ''}`;
    case 'deployment':
      return e.version ?? '?';
  }
}

export function totalsOf(scores: FixtureScore[]): Totals {
  const sum = (pick: (s: FixtureScore) => number) => scores.reduce((n, s) => n + pick(s), 0);
  const sumOrNull = (pick: (s: FixtureScore) => number | null) => (scores.some((s) => pick(s) !== null) ? sum((s) => pick(s) ?? 0) : null);
  return {
    fixtures: scores.length,
    reports: scores.filter((s) => s.outcome === 'report').length,
    culpritRight: scores.filter((s) => s.culpritRight).length,
    categoryRight: scores.filter((s) => s.categoryRight).length,
    onsetRight: scores.filter((s) => s.onsetRight).length,
    evidence: sum((s) => s.evidence),
    falseCitations: sum((s) => s.falseCitations),
    toolCalls: sum((s) => s.toolCalls),
    turns: sumOrNull((s) => s.turns),
    promptTokens: sumOrNull((s) => s.promptTokens),
    evalTokens: sumOrNull((s) => s.evalTokens),
    timeMs: sum((s) => s.timeMs),
  };
}

/** The table as printed: one row per fixture, the total, then what each miss said. */
export function formatTable(title: string, scores: FixtureScore[], totals: Totals): string {
  const mark = (right: boolean, s: FixtureScore) => (s.outcome !== 'report' ? '-' : right ? '✓' : '✗');
  const tokens = (p: number | null, e: number | null) => (p === null || e === null ? '-' : `${p}/${e}`);
  const header = ['fixture', 'culprit', 'category', 'onset', 'false cit.', 'turns', 'tokens p/e', 'calls', 'time'];
  const rows = scores.map((s) => [
    s.fixture,
    mark(s.culpritRight, s),
    mark(s.categoryRight, s),
    mark(s.onsetRight, s),
    s.outcome === 'report' ? `${s.falseCitations}/${s.evidence}` : s.outcome,
    s.turns === null ? '-' : String(s.turns),
    tokens(s.promptTokens, s.evalTokens),
    String(s.toolCalls),
    seconds(s.timeMs),
  ]);
  const n = totals.fixtures;
  rows.push([
    `total (${n})`,
    `${totals.culpritRight}/${n}`,
    `${totals.categoryRight}/${n}`,
    `${totals.onsetRight}/${n}`,
    `${totals.falseCitations}/${totals.evidence}`,
    totals.turns === null ? '-' : String(totals.turns),
    tokens(totals.promptTokens, totals.evalTokens),
    String(totals.toolCalls),
    seconds(totals.timeMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [title, line(header), ...rows.slice(0, -1).map(line), line(rows[rows.length - 1]!)];
  const misses = scores.flatMap((s) => describeMisses(s).map((m) => `  ${s.fixture}: ${m}`));
  if (misses.length) out.push('', ...misses);
  return out.join('\n');
}

function describeMisses(s: FixtureScore): string[] {
  if (s.outcome !== 'report' || !s.got) return [`${s.outcome}${s.error ? `: ${s.error}` : ''}`];
  const out: string[] = [];
  const quote = (x: string | null) => (x === null ? 'no commit' : `"${x}"`);
  if (!s.culpritRight) out.push(`culprit ${quote(s.got.culprit)}, expected ${quote(s.expected.culpritCommitSubject)}`);
  if (!s.categoryRight) out.push(`category ${s.got.category}, expected ${s.expected.category}`);
  if (!s.onsetRight) out.push(`onset ${s.got.onset ?? 'none'}, expected ${s.expected.onset}${s.onsetOffsetSeconds !== null ? ` (${s.onsetOffsetSeconds > 0 ? '+' : ''}${s.onsetOffsetSeconds} s)` : ''}`);
  for (const f of s.falseCitationDetails) out.push(`false citation ${f.id} (${f.kind} ${f.cited}): ${f.why}`);
  return out;
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s` : `${(ms / 1000).toFixed(1)} s`;
}
