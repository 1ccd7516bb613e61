// Series that carry labels (Prometheus results, OpenMetrics samples, CSV label columns) become our
// (metric, service) series here, with one naming rule for every format.
//
// The service is the `service` label, else `job`, else `app`, else `application`, else none.
//
// Other labels: of the series that share a metric name and a service, a label whose value differs between them
// (status="200" vs status="500", one instance per pod) is what tells them apart, so it is folded into the metric name
// the way PromQL writes a selector: http_requests_per_second{status="500"}. We fold rather than keep the first series
// and note the rest, because on-call engineers read list_metrics to see what exists: a folded name shows every series
// in a form they already know from Prometheus and Grafana, can be passed back verbatim as `metric`, and never hides
// the one series (the 500s) that matters. Labels that are the same on every such series (instance on a single pod,
// env="prod") tell nothing apart and are left out of the names, so names stay short; a note lists them.
import type { MetricPoint } from '../source.js';
import type { SeriesSet } from './seriesSet.js';

export interface LabelledSeries {
  name: string;
  /** Label values; an empty value means the label is absent, as in Prometheus. */
  labels: Record<string, string>;
  /** Sorted by time. */
  points: MetricPoint[];
}

/** Labels read as the service, in order of preference. */
export const SERVICE_LABELS = ['service', 'job', 'app', 'application'] as const;

export function isServiceLabel(name: string): boolean {
  return (SERVICE_LABELS as readonly string[]).includes(name.toLowerCase());
}

/** Adds each series to `set` under its (possibly folded) name and service; says in `notes` what was done. */
export function addLabelledSeries(set: SeriesSet, all: readonly LabelledSeries[], notes: string[]): void {
  const servicesFrom = new Map<string, number>(); // label other than "service" used as the service -> how many series
  const groups = new Map<string, { name: string; service: string | undefined; members: { labels: Map<string, string>; points: MetricPoint[] }[] }>();
  for (const s of all) {
    const labels = new Map<string, string>();
    for (const [k, v] of Object.entries(s.labels)) if (k !== '__name__' && v !== '') labels.set(k, v);
    let service: string | undefined;
    for (const wanted of SERVICE_LABELS) {
      const key = [...labels.keys()].find((k) => k.toLowerCase() === wanted);
      if (key === undefined) continue;
      service = labels.get(key);
      labels.delete(key);
      if (wanted !== 'service') servicesFrom.set(key, (servicesFrom.get(key) ?? 0) + 1);
      break;
    }
    const groupKey = `${s.name}\0${service ?? ''}`;
    let group = groups.get(groupKey);
    if (!group) groups.set(groupKey, (group = { name: s.name, service, members: [] }));
    group.members.push({ labels, points: s.points });
  }

  const folded = new Map<string, Set<string>>(); // metric -> labels folded into its names
  const constant = new Set<string>();
  for (const { name, service, members } of groups.values()) {
    const keys = new Set(members.flatMap((m) => [...m.labels.keys()]));
    const varying: string[] = [];
    for (const key of [...keys].sort()) {
      const values = new Set(members.map((m) => m.labels.get(key) ?? ''));
      if (values.size > 1) varying.push(key);
      else constant.add(key);
    }
    if (varying.length > 0) {
      let set = folded.get(name);
      if (!set) folded.set(name, (set = new Set()));
      for (const key of varying) set.add(key);
    }
    for (const member of members) {
      const metric = foldedName(name, varying, member.labels);
      for (const p of member.points) set.add(metric, service, p.time, p.value);
    }
  }

  for (const [label, count] of servicesFrom) {
    notes.push(`The service of ${count} series is their "${label}" label (they have no "service" label).`);
  }
  if (folded.size > 0) {
    const shown = [...folded].slice(0, 5).map(([name, keys]) => `${name} by ${[...keys].join(', ')}`);
    notes.push(
      `Series of one metric and service that differ in other labels are named with those labels, ` +
        `as name{label="value"}: ${shown.join('; ')}${folded.size > 5 ? `; and ${folded.size - 5} more` : ''}.`,
    );
  }
  const dropped = [...constant].filter((k) => ![...folded.values()].some((keys) => keys.has(k))).sort();
  if (dropped.length > 0) {
    notes.push(`Labels with one value per metric and service are not part of the names: ${dropped.slice(0, 10).join(', ')}${dropped.length > 10 ? ', ...' : ''}.`);
  }
}

/** name{a="1",b="x"} with the varying labels the series has, values escaped as in PromQL. */
export function foldedName(name: string, varying: readonly string[], labels: ReadonlyMap<string, string>): string {
  const parts = varying.flatMap((key) => {
    const value = labels.get(key);
    return value === undefined ? [] : [`${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`];
  });
  return parts.length > 0 ? `${name}{${parts.join(',')}}` : name;
}
