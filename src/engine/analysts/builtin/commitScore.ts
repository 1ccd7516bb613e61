// How strongly a commit is tied to what is failing: shared words between its changes and the new error
// templates, words typical of the category, settings that bound a resource changed, and how recently it
// shipped before the onset. Changes to docs and tests only count for little.
import type { Category } from '../../report/schema.js';
import { CHANGE_WORDS } from './categories.js';
import { isLimitKey, type DiffFacts, type SettingChange } from './diffFacts.js';
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
  sharedWords: string[];
  limitChanges: SettingChange[];
  reasons: string[];
}

const MAX_WORD_POINTS = 3;
/** A changed setting that bounds a resource is the commonest single cause of an incident after a deploy. */
const LIMIT_POINTS = 3;
const RELEASE_SUBJECT = /^(chore\(release\)|release\b|bump version|v?\d+\.\d+\.\d+$)/i;
const PASSIVE_FILE = /(^|\/)(docs?|test|tests|__tests__|spec)\/|\.(md|txt|rst|snap)$|(^|\/)(CHANGELOG|README|LICENSE)[^/]*$|\.test\.|\.spec\./i;

export function changeWordsOf(commit: CandidateCommit): Set<string> {
  return wordsOf([commit.subject, ...commit.files, ...commit.facts.changedLines].join('\n'));
}

/**
 * `commonWords` are words most candidates share (the service's own name, say): they tell commits apart no
 * better than chance, so they do not count as ties to the errors.
 */
export function scoreCommit(commit: CandidateCommit, symptomWords: ReadonlySet<string>, category: Category, commonWords: ReadonlySet<string> = new Set()): ScoredCommit {
  const changeWords = changeWordsOf(commit);
  const sharedWords = overlap(symptomWords, changeWords).filter((w) => !commonWords.has(w));
  const categoryWords = (CHANGE_WORDS[category] ?? []).filter((w) => changeWords.has(w));
  const limitChanges = commit.facts.settingChanges.filter((c) => isLimitKey(c.key));
  const reasons: string[] = [];

  // Shared words are capped: a commit that only rewords the failing log message shares many of them.
  let score = Math.min(sharedWords.length, MAX_WORD_POINTS) + Math.min(categoryWords.length, MAX_WORD_POINTS);
  if (sharedWords.length) reasons.push(`its changes mention ${sharedWords.slice(0, 5).join(', ')}, as the new errors do`);
  if (categoryWords.length) reasons.push(`it touches ${categoryWords.slice(0, 4).join(', ')}, typical of a ${category} cause`);
  if (limitChanges.length) {
    score += LIMIT_POINTS + Math.min(limitChanges.length - 1, 2);
    reasons.push(`it changes ${limitChanges.slice(0, 3).map(describeSetting).join(', ')}`);
  } else if (commit.facts.settingChanges.length) {
    score += 1;
  }
  const passive = RELEASE_SUBJECT.test(commit.subject) || (commit.files.length > 0 && commit.files.every((f) => PASSIVE_FILE.test(f)));
  if (passive) {
    score *= 0.2;
    reasons.push('it only touches docs, tests or release bookkeeping');
  }
  score *= commit.recency;
  return { ...commit, score, sharedWords, limitChanges, reasons };
}

export function describeSetting(c: SettingChange): string {
  return `${c.key} ${c.from} → ${c.to} (${c.file})`;
}
