// Deployments that went out before the onset, and the commits they shipped, read through the git server.
import type { AnalystTools, TimeWindow } from '../../analysis/analyst.js';
import type { CandidateCommit } from './commitScore.js';
import { diffFacts } from './diffFacts.js';
import { callFor } from './toolAccess.js';

export interface Deployment {
  version: string;
  deployed_at: string;
  status: string;
  commits: Array<{ hash: string; subject: string | null; in_repository?: boolean }>;
}

interface CommitDetail {
  hash: string;
  subject: string;
  files: Array<{ path: string }>;
  patch: { text: string };
}

const LOOKBACK_MS = 7 * 24 * 3_600_000;
const DEPLOYMENTS_CONSIDERED = 2;
const RECENCY = [1, 0.6];
const MAX_COMMITS = 15;
const PATCH_LINES = 400;

export interface SuspectSearch {
  /** Deployments before the onset, newest first. */
  deployments: Deployment[];
  candidates: CandidateCommit[];
}

/** An onset is dated to its minute: a deployment that went out within that minute can be its cause. */
const ONSET_MINUTE_MS = 60_000;

export async function findCandidates(tools: AnalystTools, onset: string | undefined, window: TimeWindow): Promise<SuspectSearch> {
  const until = onset ? new Date(Date.parse(onset) + ONSET_MINUTE_MS).toISOString() : window.until;
  const listed = (await callFor<{ deployments: Deployment[] }>(tools, 'get_deployments', { until, limit: 20 }))?.deployments ?? [];
  const cutoff = until ? Date.parse(until) : Infinity;
  const live = listed
    .filter((d) => Date.parse(d.deployed_at) <= cutoff && Date.parse(d.deployed_at) >= cutoff - LOOKBACK_MS)
    .filter((d) => d.status !== 'failed' && d.status !== 'rolled_back')
    .sort((a, b) => Date.parse(b.deployed_at) - Date.parse(a.deployed_at));
  const considered = live.slice(0, DEPLOYMENTS_CONSIDERED);

  const wanted: Array<{ hash: string; deployment: Deployment; recency: number }> = [];
  considered.forEach((deployment, i) => {
    for (const c of deployment.commits) {
      if (c.in_repository !== false) wanted.push({ hash: c.hash, deployment, recency: RECENCY[i] ?? 0.5 });
    }
  });

  const candidates: CandidateCommit[] = [];
  for (const w of wanted.slice(0, MAX_COMMITS)) {
    const detail = await callFor<CommitDetail>(tools, 'get_commit', { hash: w.hash, max_patch_lines: PATCH_LINES });
    if (!detail) continue;
    candidates.push({
      hash: detail.hash,
      subject: detail.subject,
      files: detail.files.map((f) => f.path),
      facts: diffFacts(detail.patch.text),
      deployment: { version: w.deployment.version, deployed_at: w.deployment.deployed_at },
      recency: w.recency,
    });
  }
  return { deployments: live, candidates };
}
