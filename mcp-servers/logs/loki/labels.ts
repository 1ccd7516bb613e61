// A Loki stream is named by its labels. Its canonical form, keys sorted, `{app="checkout",filename="app.log"}`, is
// the `file` every Loki-backed tool returns and accepts; it is also a valid LogQL stream selector.
import { UserError } from '../../common/result.js';

export type Labels = Record<string, string>;

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A LogQL (Go) double-quoted string. */
export function quoteLogql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export function canonicalLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}=${quoteLogql(labels[k]!)}`).join(',')}}`;
}

const PAIR = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/** Parses `{a="x",b="y"}` (exact matchers only: a stream's labels, as list_log_files gives them). */
export function parseStreamLabels(text: string): Labels {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    throw new UserError(`file "${text}" is not a Loki stream; give its labels as list_log_files shows them, e.g. {app="checkout",filename="app.log"}.`);
  }
  const inner = trimmed.slice(1, -1);
  const labels: Labels = {};
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < inner.length) {
    const at = PAIR.lastIndex;
    const m = PAIR.exec(inner);
    if (!m) {
      throw new UserError(
        `file "${text}" is not a stream's labels (at "${inner.slice(at, at + 30)}"): use name="value" pairs as list_log_files shows them.`,
      );
    }
    labels[m[1]!] = unquote(m[2]!);
    if (m[3] === '') break;
  }
  if (Object.keys(labels).length === 0) throw new UserError(`file "${text}" names no labels; use a stream from list_log_files.`);
  return labels;
}

function unquote(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}

/** The inside of a stream selector `{…}`, checked for the obvious mistakes (a pipeline, no braces). */
export function selectorMatchers(selector: string): string {
  const trimmed = selector.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}') || trimmed.indexOf('}') !== trimmed.length - 1) {
    throw new UserError(`--loki-selector "${selector}" must be a LogQL stream selector such as {namespace="shop"} (no pipeline).`);
  }
  return trimmed.slice(1, -1).trim();
}

/** A selector for one stream inside the configured scope: both sets of matchers must hold. */
export function streamSelector(scopeMatchers: string, labels: Labels): string {
  const own = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${quoteLogql(labels[k]!)}`)
    .join(',');
  return `{${[scopeMatchers, own].filter(Boolean).join(',')}}`;
}

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}
