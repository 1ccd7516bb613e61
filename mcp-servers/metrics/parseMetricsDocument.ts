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
  const collector = new MetricsEntryCollector(label);
  entries.forEach((entry, index) => collector.add(entry, index));
  return collector.finish();
}

/**
 * The entries of a "metrics" array, one at a time (from a parsed array or streamed from a file), into the compact
 * series; `finish` checks the whole and gives the same errors and notes whichever way the entries came.
 */
export class MetricsEntryCollector {
  private readonly samples = new SeriesSet(); // per series, its samples in file order
  private readonly timeProblems: string[] = [];
  private timeProblemCount = 0;
  private readonly junkByField = new Map<string, FieldJunk>();
  private readonly numericFields = new Set<string>();
  private readonly stringFields = new Set<string>();
  private usableEntries = 0;
  private entries = 0;

  constructor(private readonly label: string) {}

  add(entry: unknown, index: number): void {
    this.entries++;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      this.timeProblem(`metrics[${index}] is ${describeJson(entry)}, not an object`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const time = readTimestamp(record.timestamp);
    if (typeof time === 'string') {
      this.timeProblem(`metrics[${index}]: ${time}`);
      return;
    }
    this.usableEntries++;
    const service = readService(record.service);
    for (const field in record) {
      if (!Object.prototype.hasOwnProperty.call(record, field)) continue;
      const value = record[field];
      if (NOT_METRICS.has(field) || value === null || value === undefined) continue;
      if (typeof value === 'number' && Number.isFinite(value)) {
        this.numericFields.add(field);
        this.samples.add(field, service, time, value);
        continue;
      }
      if (typeof value === 'string') this.stringFields.add(field);
      const junk = this.junkByField.get(field);
      if (junk) junk.count++;
      else this.junkByField.set(field, { count: 1, firstEntry: index, example: value });
    }
  }

  /** Only the first few problems are quoted in messages; the rest are counted. */
  private timeProblem(text: string): void {
    this.timeProblemCount++;
    if (this.timeProblems.length <= MAX_PROBLEM_EXAMPLES) this.timeProblems.push(text);
  }

  finish(): ParsedMetrics {
    const { label, entries, usableEntries, timeProblems, junkByField, numericFields, stringFields } = this;
    if (entries === 0) throw new UserError(`The ${label} has an empty "metrics" array: there is nothing to analyse.`);
    if (usableEntries === 0 || usableEntries * 2 < entries) {
      throw new UserError(
        `The ${label} is unusable: ${entries - usableEntries} of ${entries} entries have no readable time. ` +
          `${timeProblems.slice(0, MAX_PROBLEM_EXAMPLES).join('; ')}. ` +
          'Give each point a "timestamp" in ISO-8601 such as "2026-02-17T14:45:00Z" (no zone means UTC) or epoch seconds/milliseconds.',
      );
    }
    if (numericFields.size === 0) throw new UserError(noMetricsMessage(label, junkByField));

    const notes: string[] = [];
    if (this.timeProblemCount > 0) {
      const count = this.timeProblemCount;
      notes.push(
        `${count} entr${count === 1 ? 'y' : 'ies'} skipped for want of a readable time ` +
          `(${timeProblems.slice(0, MAX_PROBLEM_EXAMPLES).join('; ')}${count > MAX_PROBLEM_EXAMPLES ? '; ...' : ''}).`,
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
    return this.samples.finish(notes, usableEntries);
  }
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

/** Times a metrics file can mean: 1970 to the end of 9999 (beyond, a date cannot even be printed). */
const LAST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Epoch milliseconds, or a sentence saying what is wrong. Numbers are epoch seconds or milliseconds. */
function readTimestamp(value: unknown): number | string {
  if (value === undefined || value === null) return 'no "timestamp" field';
  let time: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) time = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string') time = parseTime(value);
  if (time === undefined) return `timestamp ${describeJson(value)} is not an ISO-8601 time`;
  if (!(time >= 0 && time <= LAST_TIME_MS)) return `timestamp ${describeJson(value)} is outside 1970–9999`;
  return time;
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
