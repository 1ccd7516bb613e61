// How strongly a commit is tied to what is failing: shared words between its changes and the new error
// templates, words typical of the category, settings that bound a resource changed, and how recently it
// shipped before the onset. Changes to docs and tests only count for little.
import type { Category } from '../../report/schema.js';
import { CHANGE_WORDS } from './categories.js';
import { isManifest, sameLibrary } from './dependencyChanges.js';
import { isLimitKey, type DiffFacts, type SettingChange } from './diffFacts.js';
import type { ErrorSites } from './errorSites.js';
import { startsAt } from './schedules.js';
import { pathMatch } from './stackFrames.js';
import { overlap, wordsOf } from './words.js';

export interface CandidateCommit {
  hash: string;
  subject: string;
  files: string[];
  facts: DiffFacts;
  deployment: { version: string; deployed_at: string };
  /** 1 for the last deployment before the onset, less for older ones. */
  recency: number;
}

export interface ScoredCommit extends CandidateCommit {
  score: number;
  /** Only docs, tests or release bookkeeping: what ties it to the incident counts for little. */
  passive: boolean;
  sharedWords: string[];
  limitChanges: SettingChange[];
  reasons: string[];
}

const MAX_WORD_POINTS = 3;
export const PASSIVE_FACTOR = 0.2;
/**
 * The errors' own stack frames run through a file the commit changed, or through a library it bumped: the most
 * direct tie a change can have to an error short of reading the code.
 */
const SITE_POINTS = 4;
/** A function the frames name is defined or called in the commit's changed lines. */
const FUNCTION_POINTS = 2;
/** A new major version of a library changes its API; errors in code are what that looks like at first. */
const MAJOR_BUMP_POINTS = 2;
/** Function names too common to tie a frame to a change. */
const GENERIC_FUNCTIONS = new Set(['main', 'run', 'handle', 'handler', 'call', 'apply', 'next', 'process', 'invoke', 'execute', 'anonymous', 'Object', 'Module', 'module', 'wrapper', 'dispatch', 'emit', 'render', 'get', 'post', 'init', 'start']);
/** A changed setting that bounds a resource is the commonest single cause of an incident after a deploy. */
const LIMIT_POINTS = 3;
const RELEASE_SUBJECT = /^(chore\(release\)|release\b|bump version|v?\d+\.\d+\.\d+$)/i;
const PASSIVE_FILE = /(^|\/)(docs?|test|tests|__tests__|spec)\/|\.(md|txt|rst|snap)$|(^|\/)(CHANGELOG|README|LICENSE)[^/]*$|\.test\.|\.spec\./i;

/** Docs, tests and notes change nothing that runs; a dependency manifest (requirements.txt) does. */
function isPassive(file: string): boolean {
  return PASSIVE_FILE.test(file) && !isManifest(file);
}

export function changeWordsOf(commit: CandidateCommit): Set<string> {
  return wordsOf([commit.subject, ...commit.files, ...commit.facts.changedLines].join('\n'));
}

/**
 * `commonWords` are words most candidates share (the service's own name, say): they tell commits apart no
 * better than chance, so they do not count as ties to the errors.
 */
export function scoreCommit(
  commit: CandidateCommit,
  symptomWords: ReadonlySet<string>,
  category: Category,
  commonWords: ReadonlySet<string> = new Set(),
  sites: ErrorSites = { frames: [], libraries: [], apiMismatch: false, details: [] },
  onset?: string,
): ScoredCommit {
  const changeWords = changeWordsOf(commit);
  const sharedWords = overlap(symptomWords, changeWords).filter((w) => !commonWords.has(w));
  const categoryWords = (CHANGE_WORDS[category] ?? []).filter((w) => changeWords.has(w));
  const limitChanges = commit.facts.settingChanges.filter((c) => isLimitKey(c.key));
  const reasons: string[] = [];

  // Shared words are capped: a commit that only rewords the failing log message shares many of them.
  let score = Math.min(sharedWords.length, MAX_WORD_POINTS) + Math.min(categoryWords.length, MAX_WORD_POINTS);
  if (sharedWords.length) reasons.push(`its changes mention ${sharedWords.slice(0, 5).join(', ')}, as the new errors do`);
  if (categoryWords.length) reasons.push(`it touches ${categoryWords.slice(0, 4).join(', ')}, typical of a ${category} cause`);
  // A bound (a size, a limit, a timeout) causes shortages, not exceptions in code: for those it is a setting like any.
  if (limitChanges.length && category !== 'code-exception') {
    score += LIMIT_POINTS + Math.min(limitChanges.length - 1, 2);
    reasons.push(`it changes ${limitChanges.slice(0, 3).map(describeSetting).join(', ')}`);
  } else if (commit.facts.settingChanges.length) {
    score += 1;
  }
  // A job the change schedules to start at the minute the incident began.
  const onsetMs = onset ? Date.parse(onset) : NaN;
  const timed = Number.isFinite(onsetMs) ? commit.facts.schedules.find((sch) => startsAt(sch, onsetMs)) : undefined;
  if (timed) {
    score += SITE_POINTS;
    reasons.push(`it schedules a job at "${timed.expression}", which starts at ${new Date(onsetMs).toISOString().slice(11, 16)} UTC, when the incident began`);
  }
  const site = siteTies(commit, sites, category);
  score += site.points;
  reasons.push(...site.reasons);
  const passive = RELEASE_SUBJECT.test(commit.subject) || (commit.files.length > 0 && commit.files.every(isPassive));
  if (passive) {
    score *= PASSIVE_FACTOR;
    reasons.push('it only touches docs, tests or release bookkeeping');
  }
  score *= commit.recency;
  return { ...commit, score, passive, sharedWords, limitChanges, reasons };
}

export function describeSetting(c: SettingChange): string {
  return `${c.key} ${c.from} → ${c.to} (${c.file})`;
}

/**
 * Where a code error is thrown is where its bug usually is; where a resource runs out (a pool, memory, a timeout)
 * is only where the shortage is felt, so there a frame ties a commit to the victim more than to the cause.
 */
const SITE_WEIGHT: Partial<Record<Category, number>> = { 'code-exception': 1 };
const VICTIM_SITE_WEIGHT = 0.25;

function siteTies(commit: CandidateCommit, sites: ErrorSites, category: Category): { points: number; reasons: string[] } {
  const reasons: string[] = [];
  let points = 0;
  const weight = SITE_WEIGHT[category] ?? VICTIM_SITE_WEIGHT;
  // Our own frames by how near the raise they are: the nearest is where the bug most likely is; the outer ones
  // (the request handler every trace passes through) say little.
  const ownFrames = sites.frames.filter((f) => !f.library).sort((a, b) => a.depth - b.depth);
  const files = commit.files.filter((file) => !isPassive(file));
  const rank = ownFrames.findIndex((f) => files.some((file) => pathMatch(f.path, file) > 0));
  if (rank >= 0) {
    const frame = ownFrames[rank]!;
    const file = files.find((f) => pathMatch(frame.path, f) > 0)!;
    points += SITE_POINTS / (1 + rank);
    reasons.push(`the errors' stack frames run through ${frame.path}, which is ${file} that it changes`);
  }
  const changed = commit.facts.changedLines.join('\n');
  const fn = ownFrames.map((f) => f.fn).find((name) => name && name.length >= 4 && !GENERIC_FUNCTIONS.has(name) && new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(changed));
  if (fn) {
    points += FUNCTION_POINTS;
    reasons.push(`it changes ${fn}(), named in the errors' stack frames`);
  }
  const bumps = commit.facts.dependencyChanges;
  const named = bumps.find((d) => sites.libraries.some((lib) => sameLibrary(lib, d.name)));
  const major = named?.major ? named : bumps.find((d) => d.major);
  if (named) {
    points += SITE_POINTS + (named.major ? 1 : 0);
    reasons.push(`it bumps ${named.name} ${named.from} → ${named.to}, a library the errors run through`);
  } else if (major && category === 'code-exception') {
    points += MAJOR_BUMP_POINTS;
    reasons.push(`it bumps ${major.name} to a new major version (${major.from} → ${major.to})`);
  }
  // "No attribute", "is not a function", "unexpected keyword": code calling an API that changed under it.
  if (major && sites.apiMismatch) {
    points += MAJOR_BUMP_POINTS;
    reasons.push('the errors say code called an API that is not there, as happens when a library changes its API');
  }
  return { points: points * weight, reasons };
}
