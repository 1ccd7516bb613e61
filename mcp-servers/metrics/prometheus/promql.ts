// Small pieces of PromQL text: selectors with label matchers, durations, and the labels that name a service.

/** Labels that name the service of a series, in order of preference (the first one present wins). */
export const SERVICE_LABELS = ['service', 'job', 'app', 'application'] as const;

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** A PromQL string literal: double-quoted, with backslashes, quotes and newlines escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `name{a="b",c=~"d"}`, or just `name` when there are no matchers. */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
  if (matchers.length === 0) return metric;
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(',')}}`;
}

/** Whole seconds as a PromQL duration ("120s"): always valid, whatever the value. */
export function duration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** The label that names the service in a set of labels, following SERVICE_LABELS. */
export function serviceOf(labels: Readonly<Record<string, string>>, order: readonly string[] = SERVICE_LABELS): string | undefined {
  for (const name of order) {
    const value = labels[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** `{status="500"}` style text for messages and series names, without the service label. */
export function labelText(labels: Readonly<Record<string, string>>, leaveOut: readonly string[] = []): string {
  const parts = Object.keys(labels)
    .filter((k) => k !== '__name__' && !leaveOut.includes(k))
    .sort()
    .map((k) => `${k}=${quote(labels[k]!)}`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
