// What kind of failure a change can cause, read from what it changed: a timeout value can cause timeouts, a pool
// size pool exhaustion, a heap size memory trouble, a flag a configuration failure, a new major version of a
// library code errors. The category of an incident should agree with the change blamed for it.
import type { Category } from '../../report/schema.js';
import type { CandidateCommit } from './commitScore.js';

const KEY_KINDS: Array<{ pattern: RegExp; kinds: Category[] }> = [
  { pattern: /time_?out|deadline|read_?timeout|connect_?timeout/i, kinds: ['timeout-config'] },
  { pattern: /pool|max_?conn|connections?\b|max_?idle|min_?idle/i, kinds: ['db-connection-pool-exhaustion'] },
  { pattern: /heap|xmx|xms|max_?old_?space|mem(ory)?_?(limit|max|request)|gomemlimit/i, kinds: ['memory-leak'] },
  { pattern: /rate|qps|rps|throttl|burst|backoff/i, kinds: ['rate-limited'] },
  { pattern: /concurren|parallel|workers?\b|threads?\b|prefetch|cron|schedule/i, kinds: ['resource-saturation', 'rate-limited'] },
  { pattern: /flag|feature|enabled?\b|toggle|rollout/i, kinds: ['bad-config', 'code-exception'] },
  { pattern: /log_?level|retention|rotat/i, kinds: ['disk-full'] },
  { pattern: /ttl|cache/i, kinds: ['resource-saturation', 'memory-leak'] },
];

/** The categories a commit's changed settings and dependency bumps could cause; empty when it says nothing. */
export function changeKinds(commit: CandidateCommit): Set<Category> {
  const kinds = new Set<Category>();
  for (const change of commit.facts.settingChanges) {
    for (const { pattern, kinds: k } of KEY_KINDS) if (pattern.test(change.key)) k.forEach((c) => kinds.add(c));
  }
  if (commit.facts.dependencyChanges.some((d) => d.major)) kinds.add('code-exception');
  return kinds;
}
