// Code search (-G) diffs every commit it walks, ~50 µs each: bound it to the newest N commits so it stays fast.
import { isoTime } from '../common/time.js';
import type { GitCli } from './gitCli.js';

export const DEFAULT_CODE_SCAN_COMMITS = 5000;

export interface CodeScanScope {
  /** Revisions to walk: HEAD, minus everything older than the newest N commits when history is longer. */
  revisions: string[];
  /** Commit time of the newest commit left out of the scan; null when nothing was left out. */
  stoppedBefore: string | null;
  maxCommits: number;
}

/** Finds the commit just past the newest `maxCommits` (inside the time window) with one short `git log --skip`. */
export async function codeScanScope(git: GitCli, maxCommits: number, windowArgs: string[]): Promise<CodeScanScope> {
  const { stdout } = await git.run(['log', `--skip=${maxCommits}`, '-n1', '--format=%H %ct', ...windowArgs, 'HEAD']);
  const [boundary, time] = stdout.trim().split(' ');
  if (!boundary || !/^[0-9a-f]{40}$/.test(boundary)) return { revisions: ['HEAD'], stoppedBefore: null, maxCommits };
  return { revisions: ['HEAD', `^${boundary}`], stoppedBefore: isoTime(Number(time) * 1000), maxCommits };
}
