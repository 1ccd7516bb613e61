// Friendly names for groups of metrics ("memory", "latency") so the model need not know the exact field names.
import { UserError } from '../common/result.js';

interface Alias {
  /** The field the standard file format uses for this group. */
  primary: string;
  /** Other fields that belong to the group. */
  related: RegExp;
}

const ALIASES: Record<string, Alias> = {
  cpu: { primary: 'cpu_usage', related: /cpu/i },
  memory: { primary: 'memory_usage', related: /mem|heap|rss/i },
  errors: { primary: 'error_rate', related: /error|5xx|fail/i },
  latency: { primary: 'response_time_ms', related: /latency|duration|_ms$|response_time|p9\d/i },
  traffic: { primary: 'request_rate', related: /request|rps|qps|throughput/i },
  requests: { primary: 'request_rate', related: /request|rps|qps|throughput/i },
};

export const ALIAS_NAMES = ['all', ...Object.keys(ALIASES)];

export const METRIC_TYPE_HELP =
  '"all"; or a group: "cpu" (cpu_usage), "memory" (memory_usage and heap/rss fields), "errors" (error_rate and fields ' +
  'with "error"), "latency" (response_time_ms and latency/duration/_ms fields), "traffic" or "requests" (request_rate); ' +
  'or an exact metric name from list_metrics.';

/** The metrics a metric_type selects, in the order of `available`. Throws a UserError naming the choices. */
export function resolveMetricType(metricType: string, available: readonly string[]): string[] {
  const wanted = metricType.trim();
  const key = wanted.toLowerCase();
  if (key === 'all' || key === '') return [...available];
  const exact = available.find((m) => m === wanted) ?? available.find((m) => m.toLowerCase() === key);
  if (exact !== undefined) return [exact];
  const alias = ALIASES[key];
  if (alias) {
    const members = available.filter((m) => m === alias.primary || alias.related.test(m));
    if (members.length > 0) return members;
    throw new UserError(`There is no ${key} metric in this data. Available metrics: ${available.join(', ')}.`);
  }
  throw new UserError(
    `Unknown metric "${metricType}". Available metrics: ${available.join(', ')}; or one of ${ALIAS_NAMES.join(', ')}.`,
  );
}

/** Which aliases resolve to something here, for list_metrics. */
export function aliasesFor(available: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, alias] of Object.entries(ALIASES)) {
    const members = available.filter((m) => m === alias.primary || alias.related.test(m));
    if (members.length > 0) out[name] = members;
  }
  return out;
}
