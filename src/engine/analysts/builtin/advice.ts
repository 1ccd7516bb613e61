// What to do next, by kind of incident; with no commit to blame, nothing that assumes one (no "roll back the
// change" under a summary that says no change is at fault).
import type { Category } from '../../report/schema.js';

const WITH_CULPRIT: Record<Category, string> = {
  'db-connection-pool-exhaustion': 'Restore the pool size and acquire timeout, then watch pool waiting/active and the error rate; size the pool against peak traffic and the database connection limit.',
  'slow-query': 'Find the slow statements (pg_stat_statements or the slow-query log), add the missing index or roll back the query change.',
  'timeout-config': 'Restore the previous timeout values and check that timeouts along the call chain are ordered (client > server > database).',
  'memory-leak': 'Restart the affected instances to buy time, roll back the change, and take a heap snapshot to confirm what grows (caches need a size bound or eviction).',
  'code-exception': 'Roll back the change and add a test that reproduces the exception from the cited log lines.',
  'bad-config': 'Restore the previous configuration and validate configuration at start-up so a bad value fails the deploy, not the traffic.',
  'dependency-outage': "Check the provider's status page and your contact with them; keep the circuit breaker open, queue or degrade the feature, and tell users. Rolling back our own code will not help.",
  'resource-saturation': 'Scale out or raise the limits of the saturated resource, and find what made the load rise.',
  'disk-full': 'Free space now (rotate or delete old logs), restore log rotation/retention, and alert on disk usage well before it is full.',
  'certificate-expiry': 'Renew and deploy the certificate, and automate renewal with an expiry alert weeks ahead.',
  'rate-limited': 'Back off and retry with jitter, lower the request rate or raise the quota with the provider.',
  unknown: 'Widen the time window, add the logs and metrics of neighbouring services, or run the analysis with a model for a deeper look.',
};

const WITHOUT_CULPRIT: Partial<Record<Category, string>> = {
  'db-connection-pool-exhaustion': 'Watch pool waiting/active and the error rate; look for connections held too long (slow queries, leaks) or traffic above what the pool is sized for, and size it against the database connection limit.',
  'slow-query': 'Find the slow statements (pg_stat_statements or the slow-query log) and what they wait on (locks, missing indexes, plan changes).',
  'timeout-config': 'Check which calls time out and whether the callee got slower; keep timeouts along the call chain ordered (client > server > database).',
  'memory-leak': 'Restart the affected instances to buy time and take a heap snapshot to find what grows (caches need a size bound or eviction).',
  'code-exception': 'Open the cited lines and their stack traces to find where the exception is thrown, and check recent changes and dependency updates to that code.',
  'bad-config': 'Compare the running configuration with the last known good one, and validate configuration at start-up so a bad value fails the deploy, not the traffic.',
};

export function adviceFor(category: Category, culprit: boolean): string {
  return (culprit ? undefined : WITHOUT_CULPRIT[category]) ?? WITH_CULPRIT[category];
}
