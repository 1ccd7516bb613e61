// Turns the text of a metrics file into sorted series, or explains exactly which entry or field makes it unusable.
import { UserError } from '../common/result.js';
import { parseTime } from '../common/time.js';
import { SeriesSet, describeJson, lineAndColumn, type ParsedMetrics } from './files/seriesSet.js';

// The series builder moved to files/seriesSet.ts, shared with the standard file formats; these stay importable from here.
export { medianGap, seriesKey, type ParsedMetrics } from './files/seriesSet.js';

export const EXPECTED_SHAPE =
  'Expected {"metrics": [{"timestamp": "2026-02-17T14:45:00Z", "cpu_usage": 42.5, "error_rate": 0.8, ...}, ...]}, ' +
  'optionally with a "service" string per point.';

/** Fields that are never metrics even when numeric. */
const NOT_METRICS = new Set(['timestamp', 'service']);
const MAX_PROBLEM_EXAMPLES = 3;

interface FieldJunk {
  count: number;
  firstEntry: number;
  example: unknown;
}

export function parseMetricsDocument(text: string, label: string): ParsedMetrics {
  if (text.trim() === '') throw new UserError(`The ${label} is empty. ${EXPECTED_SHAPE}`);
  return metricsFromJson(parseJson(text, label), label);
}

/** The same, from the already parsed JSON (the file dispatcher parses once to tell the JSON shapes apart). */
export function metricsFromJson(doc: unknown, label: string): ParsedMetrics {
  const entries = metricsArray(doc, label);
  if (entries.length === 0) throw new UserError(`The ${label} has an empty "metrics" array: there is nothing to analyse.`);

  const samples = new SeriesSet(); // per series, its samples in file order
  const timeProblems: string[] = [];
  const junkByField = new Map<string, FieldJunk>();
  const numericFields = new Set<string>();
  const stringFields = new Set<string>();
  let usableEntries = 0;

  entries.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      timeProblems.push(`metrics[${index}] is ${describeJson(entry)}, not an object`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const time = readTimestamp(record.timestamp);
    if (typeof time === 'string') {
      timeProblems.push(`metrics[${index}]: ${time}`);
      return;
    }
    usableEntries++;
    const service = readService(record.service);
    for (const [field, value] of Object.entries(record)) {
      if (NOT_METRICS.has(field) || value === null || value === undefined) continue;
      if (typeof value === 'number' && Number.isFinite(value)) {
        numericFields.add(field);
        samples.add(field, service, time, value);
        continue;
      }
      if (typeof value === 'string') stringFields.add(field);
      const junk = junkByField.get(field);
      if (junk) junk.count++;
      else junkByField.set(field, { count: 1, firstEntry: index, example: value });
    }
  });

  if (usableEntries === 0 || usableEntries * 2 < entries.length) {
    throw new UserError(
      `The ${label} is unusable: ${entries.length - usableEntries} of ${entries.length} entries have no readable time. ` +
        `${timeProblems.slice(0, MAX_PROBLEM_EXAMPLES).join('; ')}. ` +
        'Give each point a "timestamp" in ISO-8601 such as "2026-02-17T14:45:00Z" (no zone means UTC) or epoch seconds/milliseconds.',
    );
  }
  if (numericFields.size === 0) throw new UserError(noMetricsMessage(label, junkByField));

  const notes: string[] = [];
  if (timeProblems.length > 0) {
    notes.push(
      `${timeProblems.length} entr${timeProblems.length === 1 ? 'y' : 'ies'} skipped for want of a readable time ` +
        `(${timeProblems.slice(0, MAX_PROBLEM_EXAMPLES).join('; ')}${timeProblems.length > MAX_PROBLEM_EXAMPLES ? '; ...' : ''}).`,
    );
  }
  for (const [field, junk] of [...junkByField].sort(([a], [b]) => a.localeCompare(b))) {
    if (!numericFields.has(field)) continue; // a label such as "host" or "region": not a metric, nothing to report
    notes.push(
      `${field}: ${junk.count} value${junk.count === 1 ? '' : 's'} not a number and skipped ` +
        `(first metrics[${junk.firstEntry}] = ${describeJson(junk.example)}).`,
    );
  }
  for (const field of [...stringFields].sort()) {
    if (numericFields.has(field) || !looksNumeric(junkByField.get(field)?.example)) continue;
    notes.push(`${field} holds numbers written as strings (e.g. ${describeJson(junkByField.get(field)?.example)}); it is ignored. Write them as JSON numbers to use it.`);
  }
  return samples.finish(notes, usableEntries);
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : '';
    throw new UserError(
      `The ${label} is not valid JSON: ${message.slice(0, 200)}${where}. Fix the JSON syntax. ${EXPECTED_SHAPE}`,
    );
  }
}

function metricsArray(doc: unknown, label: string): unknown[] {
  if (Array.isArray(doc)) {
    throw new UserError(`The ${label} is a bare JSON array; wrap it as {"metrics": [...]}. ${EXPECTED_SHAPE}`);
  }
  if (typeof doc !== 'object' || doc === null) {
    throw new UserError(`The ${label} holds ${describeJson(doc)} at the top level, not an object. ${EXPECTED_SHAPE}`);
  }
  const metrics = (doc as Record<string, unknown>).metrics;
  if (metrics === undefined) {
    const keys = Object.keys(doc).slice(0, 10).map((k) => JSON.stringify(k)).join(', ');
    throw new UserError(`The ${label} has no "metrics" key (top-level keys: ${keys || 'none'}). ${EXPECTED_SHAPE}`);
  }
  if (!Array.isArray(metrics)) {
    throw new UserError(`In the ${label}, "metrics" is ${describeJson(metrics)}, not an array of points. ${EXPECTED_SHAPE}`);
  }
  return metrics;
}

/** Epoch milliseconds, or a sentence saying what is wrong. Numbers are epoch seconds or milliseconds. */
function readTimestamp(value: unknown): number | string {
  if (value === undefined || value === null) return 'no "timestamp" field';
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const parsed = parseTime(value);
    if (parsed !== undefined) return parsed;
  }
  return `timestamp ${describeJson(value)} is not an ISO-8601 time`;
}

function readService(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function noMetricsMessage(label: string, junkByField: Map<string, FieldJunk>): string {
  const examples = [...junkByField]
    .slice(0, MAX_PROBLEM_EXAMPLES)
    .map(([field, junk]) => `${field} in metrics[${junk.firstEntry}] is ${describeJson(junk.example)}`);
  return (
    `The ${label} has no numeric metric fields${examples.length ? `: ${examples.join('; ')}` : ''}. ` +
    `Metric values must be JSON numbers (45.2, not "45.2" or "45%"). ${EXPECTED_SHAPE}`
  );
}

function looksNumeric(value: unknown): boolean {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value);
}
