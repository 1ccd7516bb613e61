// Deciding the kind of incident from what the logs newly say and which metrics moved.
import type { Category } from '../../report/schema.js';

interface Rule {
  category: Category;
  pattern: RegExp;
  /** Generic symptoms (a timeout, an exception) count less than specific ones. */
  weight: number;
}

// Specific symptoms first; a line counts once for each specific rule it matches, or else for each generic one.
const LOG_RULES: Rule[] = [
  // The messages of the common pools: node-postgres, HikariCP, SQLAlchemy, database/sql, pgbouncer, Postgres itself.
  { category: 'db-connection-pool-exhaustion', weight: 1, pattern: /pool (is )?exhausted|acquir\w* (a )?connection|connection pool|connection is not available|queuepool limit|no more connections allowed|too many (clients|connections)|remaining connection slots/i },
  { category: 'memory-leak', weight: 1, pattern: /out of memory|heap (limit|used|size)|\boom\b|oomkilled|memory limit|allocation failed|gc pause|heap out/i },
  { category: 'disk-full', weight: 1, pattern: /no space left|enospc|disk (is )?full|quota exceeded|read-only file system/i },
  { category: 'certificate-expiry', weight: 1, pattern: /certificate|x509|cert_has_expired|ssl handshake|tls handshake/i },
  { category: 'rate-limited', weight: 1, pattern: /\b429\b|rate.?limit|too many requests|throttl/i },
  { category: 'dependency-outage', weight: 1, pattern: /circuit.?breaker|econnrefused|econnreset|eai_again|enotfound|provider|unreachable|service unavailable|no such host|name resolution|lookup \S+ .*(timeout|no such)/i },
  // To a proxy or gateway, "upstream" is our own service behind it: its 502s say that service failed, not why.
  { category: 'dependency-outage', weight: 0.3, pattern: /upstream|bad gateway/i },
  { category: 'slow-query', weight: 1, pattern: /slow query|statement timeout|canceling statement|query took|lock wait|seq scan/i },
  { category: 'bad-config', weight: 1, pattern: /invalid config|missing (required )?(env|config|setting|variable)|config(uration)? error|unknown (config|option|setting)/i },
  { category: 'resource-saturation', weight: 0.6, pattern: /thread pool|queue (is )?full|saturat|event loop (lag|blocked)|cpu (throttl|limit)/i },
  // Requests slow with no error of their own are waiting on something that is full.
  { category: 'resource-saturation', weight: 0.5, pattern: /slow (request|response|call|handler)|request took|took too long/i },
  { category: 'code-exception', weight: 0.5, pattern: /typeerror|referenceerror|nullpointer|undefined is not|cannot read propert|unhandled|exception|panic|traceback/i },
  { category: 'timeout-config', weight: 0.4, pattern: /timed? ?out|timeout|deadline exceeded/i },
];

// Metrics whose change points suggest a category.
const METRIC_RULES: Array<{ category: Category; pattern: RegExp; direction: 'up' | 'down' }> = [
  { category: 'memory-leak', pattern: /mem|heap|rss/i, direction: 'up' },
  // Space filling up, not I/O: a disk busy reading and writing is saturated, not full.
  { category: 'disk-full', pattern: /(disk|volume|fs|filesystem|storage).*(used|usage|full|percent|pct)|(used|usage).*(disk|space|bytes|volume)/i, direction: 'up' },
  { category: 'disk-full', pattern: /(disk|volume|fs|filesystem|storage).*(free|avail)|(free|avail).*(disk|space|volume)/i, direction: 'down' },
  { category: 'resource-saturation', pattern: /io_?util|iowait|io_?wait|await|io_?time|iops/i, direction: 'up' },
  // Work piling up in front of its consumers.
  { category: 'resource-saturation', pattern: /queue|backlog|consumer_?lag|messages_?(ready|unacked)/i, direction: 'up' },
  { category: 'slow-query', pattern: /lock.*(wait|held|age)|(wait|blocked).*lock|deadlock|slow_?quer|query.*(p9\d|duration|time)/i, direction: 'up' },
  { category: 'resource-saturation', pattern: /cpu|load|thread/i, direction: 'up' },
  { category: 'db-connection-pool-exhaustion', pattern: /(pool|conn|hikari|db).*(wait|pend)|(wait|pend).*(conn|pool)/i, direction: 'up' },
];

/** The category a metric's sustained change points to, if any: memory climbing → memory-leak, and so on. */
export function metricCategory(name: string, direction: string): Category | undefined {
  return METRIC_RULES.find((rule) => rule.pattern.test(name) && rule.direction === direction)?.category;
}

/** Categories whose cause lies outside our code: a commit is blamed for them only on strong evidence. */
export const EXTERNAL_CATEGORIES: ReadonlySet<Category> = new Set(['dependency-outage', 'certificate-expiry']);

/** Words that a code change behind each category tends to contain. */
export const CHANGE_WORDS: Partial<Record<Category, string[]>> = {
  'db-connection-pool-exhaustion': ['pool', 'max', 'min', 'connection', 'connections', 'acquire', 'idle', 'timeout', 'pgbouncer', 'database'],
  'memory-leak': ['cache', 'map', 'memo', 'buffer', 'store', 'retain', 'listener', 'global', 'push', 'append', 'evict', 'ttl', 'lru'],
  'disk-full': ['log', 'level', 'debug', 'rotate', 'rotation', 'retention', 'logrotate', 'disk', 'volume', 'tmp', 'spool'],
  'slow-query': ['query', 'index', 'select', 'join', 'migration', 'sql', 'where', 'order'],
  'timeout-config': ['timeout', 'deadline', 'ttl', 'retry', 'retries', 'ms', 'seconds'],
  'rate-limited': ['rate', 'limit', 'throttle', 'retry', 'concurrency', 'burst', 'backoff'],
  'bad-config': ['config', 'env', 'setting', 'yaml', 'yml', 'json', 'toml'],
  'resource-saturation': ['worker', 'threads', 'concurrency', 'loop', 'sync', 'cpu'],
  'code-exception': ['null', 'undefined', 'throw', 'catch', 'parse'],
};

export interface Symptom {
  text: string;
  count: number;
}

export interface MetricChange {
  name: string;
  direction: string;
  /** It began as the incident did: the resource that ran short when users started to feel it. */
  atOnset?: boolean;
}

/** A metric change counts like a handful of log lines; one that began with the incident, like dozens. */
const METRIC_POINTS = 1.5;
const ONSET_METRIC_POINTS = 4;

export interface CategoryScore {
  category: Category;
  score: number;
}

/** Whether any of these texts says something of this kind at all (however generic). */
export function mentions(category: Category, texts: readonly string[]): boolean {
  return LOG_RULES.some((rule) => rule.category === category && texts.some((t) => rule.pattern.test(t)));
}

/** Scores every category from new/spiking log templates (weighted by count) and metric changes. */
export function scoreCategories(symptoms: readonly Symptom[], changes: readonly MetricChange[]): CategoryScore[] {
  const scores = new Map<Category, number>();
  const add = (c: Category, s: number) => scores.set(c, (scores.get(c) ?? 0) + s);
  for (const { text, count } of symptoms) {
    const weight = Math.log2(1 + count);
    const matched = LOG_RULES.filter((rule) => rule.pattern.test(text));
    // A line that names a specific kind of failure counts for that, not also for the generic words around it
    // ("InvalidOperationException: missing required setting X" is a configuration error, not "an exception").
    const specific = matched.some((rule) => rule.weight >= 1);
    for (const rule of matched) if (!specific || rule.weight >= 1) add(rule.category, rule.weight * weight);
  }
  for (const change of changes) {
    for (const rule of METRIC_RULES) {
      if (rule.pattern.test(change.name) && change.direction === rule.direction) add(rule.category, change.atOnset ? ONSET_METRIC_POINTS : METRIC_POINTS);
    }
  }
  return [...scores.entries()].map(([category, score]) => ({ category, score })).sort((a, b) => b.score - a.score);
}
