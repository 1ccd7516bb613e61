// Signals a team defines for its own metrics, in a small JSON file given with --signals:
//
//   {"signals": {
//     "checkout_error_rate": "100 * sum by (service) (rate(checkout_failures_total[$__rate_interval])) / sum by (service) (rate(checkout_attempts_total[$__rate_interval]))",
//     "queue_lag_seconds":   "max by (job) (kafka_consumergroup_lag_seconds)"
//   }}
//
// Each value is a PromQL expression; its `service` label (else `job`, else `app`/`application`) names the service of
// each result series, so aggregate by one of them. `$__rate_interval` (as in Grafana) is replaced by a rate() window
// that always holds two samples at the step asked for. A name the tools know by pattern (error, latency/_ms, mem,
// cpu, pool_waiting) is picked up by the built-in analyst like a conventional one; a team signal replaces a
// conventional signal of the same name.
import fs from 'node:fs';
import type { Signal } from './signals.js';

export class SignalsFileError extends Error {}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.-]{0,99}$/;
const WINDOW_PLACEHOLDER = /\$__rate_interval|\$\{__rate_interval\}/g;

export function readTeamSignals(file: string): Signal[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SignalsFileError(`cannot read the signals file ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SignalsFileError(`the signals file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const entries = (doc as { signals?: unknown })?.signals;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new SignalsFileError(`the signals file ${file} needs {"signals": {"name": "PromQL expression", ...}}`);
  }
  return Object.entries(entries as Record<string, unknown>).map(([name, expr]) => {
    if (!NAME.test(name)) throw new SignalsFileError(`signal name "${name}" in ${file}: use letters, digits and _ (like a metric name)`);
    if (typeof expr !== 'string' || expr.trim() === '') {
      throw new SignalsFileError(`signal "${name}" in ${file} must be a PromQL expression (a string)`);
    }
    return teamSignal(name, expr.trim(), file);
  });
}

function teamSignal(name: string, expr: string, file: string): Signal {
  return {
    name,
    origin: `team signal from ${file}`,
    families: [],
    takesMatchers: false,
    expression: (window) => expr.replace(WINDOW_PLACEHOLDER, window),
  };
}

/** The metric names an expression mentions, of those Prometheus has: they time the data and find its span. */
export function familiesIn(expr: string, names: ReadonlySet<string>): string[] {
  const words = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ').match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(words.filter((w) => names.has(w)))];
}
