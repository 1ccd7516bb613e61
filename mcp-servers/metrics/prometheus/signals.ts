// Which series of a Prometheus answer to the questions the tools ask (errors, latency, CPU, memory, saturation),
// found from metric names and labels by the conventions of the Prometheus ecosystem:
//
//   request counters  *_requests_total, *_requests_count, http_server_requests_seconds_count
//                     -> request_rate (requests/s) per service; with a status label (status, code, status_code,
//                        http_status) also error_rate: the percent of requests answered 5xx
//   latency           *_duration_seconds_bucket, http_server_requests_seconds_bucket (histograms)
//                     -> latency_p95_ms: histogram_quantile(0.95, ...) in milliseconds
//   CPU               process_cpu_seconds_total -> cpu_usage, container_cpu_usage_seconds_total -> cpu_usage
//                     (container_cpu_usage when both exist): percent of one core, averaged over the instances
//   memory            process_resident_memory_bytes -> memory_rss_mb, container_memory_working_set_bytes ->
//                     memory_working_set_mb, nodejs_heap_size_used_bytes -> heap_used_mb: MiB of the largest
//                     instance (the one that runs out first)
//   saturation        gauges named for a pool, queue, backlog, waiting, pending, in-flight, saturation,
//                     utilisation, event-loop lag or active connections/threads (not counters or histogram
//                     parts): kept under their own names, summed per service (averaged for ratios and lags)
//
// The monitoring stack's own metrics (prometheus_*, go_*, scrape_*, ...) give no request, latency or saturation signals.
// The service of a series is its `service` label, else `job`, else `app`/`application` (for container_* metrics,
// whose job is the kubelet that scraped them, `container` comes before `job`). When several families give the same
// signal, the http_* one (else the first by name) takes the plain name and the others are prefixed with their stem.
import type { Labels } from './client.js';
import { SERVICE_LABELS, selector, type LabelMatcher } from './promql.js';

export interface Signal {
  /** The metric name the tools show: request_rate, error_rate, latency_p95_ms, cpu_usage, db_pool_waiting, ... */
  name: string;
  /** Where it comes from, in words: "http_requests_total (request counter)". */
  origin: string;
  /** Metric names it reads: the first times the data (scrape interval), all of them find its span. */
  families: string[];
  /** The label that names the service in its results; absent when the series carry none. */
  serviceLabel?: string;
  /** Services seen in the label sets; absent for team signals, which learn theirs by evaluating. */
  services?: string[];
  /** Whether some series have no service label (they form one series without a service). */
  unlabelled?: boolean;
  /** Convention signals take extra label matchers (a service, the caller's); team expressions are filtered after. */
  takesMatchers: boolean;
  /** The PromQL for a rate() window (a duration such as "120s") and extra label matchers. */
  expression(window: string, matchers: readonly LabelMatcher[]): string;
}

const REQUEST_COUNTER = /(_requests?_total|_requests_count)$|^http_server_requests_seconds_count$/;
const LATENCY_HISTOGRAM = /(_duration_seconds_bucket|^http_server_requests_seconds_bucket)$/;
const STATUS_LABELS = ['status', 'code', 'status_code', 'http_status'];
const SATURATION = /pool|queue|backlog|waiting|pending|in_?flight|saturation|utili[sz]ation|event_?loop_lag|active_(connections|threads)|(connections|threads)_(active|busy|in_use)/i;
/** Gauges that do not add up across instances (ratios, lags): averaged per service instead of summed. */
const AVERAGED = /ratio|utili[sz]ation|saturation|percent|lag/i;
const NOT_A_GAUGE = /_(total|count|sum|bucket|created|info)$/;
/** The monitoring stack's own metrics (a self-scraping Prometheus, Go runtimes): not the incident's services. */
const MONITORING_INTERNALS = /^(prometheus|alertmanager|promhttp|go|scrape|net_conntrack|grafana|loki|thanos|cortex)_/;
const MIB = 1_048_576;

interface FamilyLabels {
  serviceLabel?: string;
  services: string[];
  unlabelled: boolean;
  labelNames: Set<string>;
}

/** Metric names that could give a signal: what to ask /api/v1/series about. */
export function candidateFamilies(names: readonly string[]): string[] {
  return names.filter(
    (n) =>
      ((REQUEST_COUNTER.test(n) || LATENCY_HISTOGRAM.test(n)) && !MONITORING_INTERNALS.test(n)) ||
      RESOURCE_GAUGES.some((r) => r.family === n) ||
      RESOURCE_COUNTERS.some((r) => r.family === n) ||
      isSaturationGauge(n, names),
  );
}

export function isSaturationGauge(name: string, names: readonly string[]): boolean {
  if (NOT_A_GAUGE.test(name) || !SATURATION.test(name) || MONITORING_INTERNALS.test(name)) return false;
  // Part of a histogram or summary (name_bucket / name_count beside it) is not a gauge.
  return !names.includes(`${name}_bucket`) && !names.includes(`${name}_count`);
}

/** The signals in a set of metric names, given the label sets of their series. */
export function discoverSignals(names: readonly string[], labelSets: readonly Labels[]): Signal[] {
  const byFamily = familyLabels(labelSets);
  const labelsOf = (family: string): FamilyLabels =>
    byFamily.get(family) ?? { services: [], unlabelled: true, labelNames: new Set() };
  const signals: Signal[] = [];
  const present = (n: string) => names.includes(n) && byFamily.has(n);

  const requestFamilies = preferHttp(names.filter((n) => REQUEST_COUNTER.test(n) && !MONITORING_INTERNALS.test(n) && present(n)));
  requestFamilies.forEach((family, i) => {
    const prefix = i === 0 ? '' : `${family.replace(/_requests?_total$|_requests_count$|_requests_seconds_count$/, '')}_`;
    const labels = labelsOf(family);
    const status = STATUS_LABELS.find((l) => labels.labelNames.has(l));
    const by = groupBy(labels.serviceLabel);
    const rate = (w: string, m: readonly LabelMatcher[]) => `sum${by}(rate(${selector(family, m)}[${w}]))`;
    signals.push(signal(`${prefix}request_rate`, `${family} (request counter): requests per second`, family, labels, (w, m) => rate(w, m)));
    if (status) {
      signals.push(
        signal(`${prefix}error_rate`, `${family} (request counter): percent of requests with a 5xx ${status}`, family, labels, (w, m) => {
          const errors = `sum${by}(rate(${selector(family, [...m, { label: status, op: '=~', value: '5..' }])}[${w}]))`;
          // "or 0 * all" keeps services without a single 5xx series at 0 instead of leaving them out.
          return `100 * (${errors} or 0 * ${rate(w, m)}) / ${rate(w, m)}`;
        }),
      );
    }
  });

  const latencyFamilies = preferHttp(names.filter((n) => LATENCY_HISTOGRAM.test(n) && !MONITORING_INTERNALS.test(n) && present(n)));
  latencyFamilies.forEach((family, i) => {
    const prefix = i === 0 ? '' : `${family.replace(/_duration_seconds_bucket$|_seconds_bucket$/, '')}_`;
    const labels = labelsOf(family);
    const by = labels.serviceLabel ? `${labels.serviceLabel}, le` : 'le';
    signals.push(
      signal(`${prefix}latency_p95_ms`, `${family} (latency histogram): 95th percentile in ms`, family, labels, (w, m) =>
        `1000 * histogram_quantile(0.95, sum by (${by}) (rate(${selector(family, m)}[${w}])))`,
      ),
    );
  });

  const cpuFamilies = RESOURCE_COUNTERS.filter((r) => present(r.family));
  for (const r of cpuFamilies) {
    const labels = labelsOf(r.family);
    const name = r.family.startsWith('container_') && cpuFamilies.length > 1 ? 'container_cpu_usage' : 'cpu_usage';
    const only = containerOnly(r.family, labels);
    signals.push(
      signal(name, `${r.family} (CPU seconds counter): percent of one core per instance`, r.family, labels, (w, m) =>
        `100 * avg${groupBy(labels.serviceLabel)}(rate(${selector(r.family, [...only, ...m])}[${w}]))`,
      ),
    );
  }
  for (const r of RESOURCE_GAUGES.filter((g) => present(g.family))) {
    const labels = labelsOf(r.family);
    const only = containerOnly(r.family, labels);
    signals.push(
      signal(r.signal, `${r.family} (bytes gauge): MiB of the largest instance`, r.family, labels, (_w, m) =>
        `max${groupBy(labels.serviceLabel)}(${selector(r.family, [...only, ...m])}) / ${MIB}`,
      ),
    );
  }

  const taken = new Set(signals.map((s) => s.name));
  for (const family of names.filter((n) => isSaturationGauge(n, names) && present(n) && !taken.has(n))) {
    const labels = labelsOf(family);
    const how = AVERAGED.test(family) ? 'avg' : 'sum';
    signals.push(
      signal(family, `${family} (saturation gauge, ${how === 'avg' ? 'averaged' : 'summed'} per service)`, family, labels, (_w, m) =>
        `${how}${groupBy(labels.serviceLabel)}(${selector(family, m)})`,
      ),
    );
  }
  return signals;
}

const RESOURCE_COUNTERS = [{ family: 'process_cpu_seconds_total' }, { family: 'container_cpu_usage_seconds_total' }];
const RESOURCE_GAUGES = [
  { family: 'process_resident_memory_bytes', signal: 'memory_rss_mb' },
  { family: 'container_memory_working_set_bytes', signal: 'memory_working_set_mb' },
  { family: 'nodejs_heap_size_used_bytes', signal: 'heap_used_mb' },
];

function signal(name: string, origin: string, family: string, labels: FamilyLabels, expression: Signal['expression']): Signal {
  return {
    name,
    origin,
    families: [family],
    ...(labels.serviceLabel !== undefined && { serviceLabel: labels.serviceLabel }),
    services: labels.services,
    unlabelled: labels.unlabelled,
    takesMatchers: true,
    expression,
  };
}

/** " by (job) " or " " (PromQL allows "sum (x)" and "sum by (job) (x)"). */
function groupBy(label: string | undefined): string {
  return label ? ` by (${label}) ` : ' ';
}

/** cAdvisor also reports the pod's cgroup (container="") and the pause container (POD): count only real containers. */
function containerOnly(family: string, labels: FamilyLabels): LabelMatcher[] {
  return family.startsWith('container_') && labels.labelNames.has('container') ? [{ label: 'container', op: '!~', value: '|POD' }] : [];
}

function preferHttp(families: string[]): string[] {
  return [...families].sort((a, b) => Number(!a.startsWith('http_')) - Number(!b.startsWith('http_')) || a.localeCompare(b));
}

/** Per metric name: which label names the service, which services there are, which labels exist. */
function familyLabels(labelSets: readonly Labels[]): Map<string, FamilyLabels> {
  const grouped = new Map<string, Labels[]>();
  for (const labels of labelSets) {
    const name = labels.__name__;
    if (name === undefined) continue;
    let list = grouped.get(name);
    if (!list) grouped.set(name, (list = []));
    list.push(labels);
  }
  const out = new Map<string, FamilyLabels>();
  for (const [name, sets] of grouped) {
    const labelNames = new Set(sets.flatMap((s) => Object.keys(s)));
    const order = name.startsWith('container_') ? ['service', 'app', 'application', 'container', 'job'] : [...SERVICE_LABELS];
    const serviceLabel = order.find((l) => sets.some((s) => s[l]));
    const services = serviceLabel ? [...new Set(sets.flatMap((s) => (s[serviceLabel] ? [s[serviceLabel]!] : [])))].sort() : [];
    const unlabelled = serviceLabel === undefined || sets.some((s) => !s[serviceLabel]);
    out.set(name, { ...(serviceLabel !== undefined && { serviceLabel }), services, unlabelled, labelNames });
  }
  return out;
}
