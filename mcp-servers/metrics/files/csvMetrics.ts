// Metrics as CSV, in either of the two shapes exports come in:
//   long:  time,name,service,status,value          one sample per row; the other columns are labels
//          2026-02-17T14:45:00Z,http_requests,api,500,3.2
//   wide:  time,service,cpu_usage,error_rate,...   one row per time (and service), one column per metric, like our JSON
// The time is ISO-8601 (no zone means UTC) or epoch seconds / milliseconds. Label columns named service, job, app or
// application give the service; others are folded into the metric name when they tell series apart (labelledSeries.ts).
// Empty cells are missing values. A header is required. A tab-separated file is read the same way.
//
// The reader below is our own rather than csv-parse: RFC 4180 is a few rules (quoted fields, "" for a quote, line
// breaks inside quotes, CRLF or LF), and we need what a library gives less directly: the line each record starts on
// for messages, and a refusal that points at the line of an unclosed quote. It also keeps the bundle free of one more
// dependency. csv-parse 7 (maintained, MIT, no dependencies) would be the choice if we ever needed dialects.
import { UserError } from '../../common/result.js';
import { parseTime } from '../../common/time.js';
import { addLabelledSeries, isServiceLabel, type LabelledSeries } from './labelledSeries.js';
import { ProblemTally, SeriesBuilder, SeriesSet, parseSampleValue, plausibleTime, quoteLine, type ParsedMetrics } from './seriesSet.js';

export const CSV_SHAPE =
  'Expected CSV with a header: long form `time,name,service,value` (more label columns allowed) ' +
  'or wide form `time,service,cpu_usage,error_rate,...`; time as ISO-8601 or epoch seconds/milliseconds.';

const TIME_COLUMNS = ['time', 'timestamp', 'ts', 'datetime', 'date'];
const NAME_COLUMNS = ['name', 'metric', 'metric_name', '__name__'];
const VALUE_COLUMNS = ['value', 'val'];
const MAX_EXAMPLES = 3;

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
  /** What is malformed in it, if anything (the record is still returned as read). */
  error?: string;
}

/** RFC 4180 records. Throws a UserError naming the line of a quote that is never closed. */
export function readCsv(text: string, delimiter: string, label: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      let field: string;
      if (text[i] === '"') {
        const opened = line;
        i++;
        field = '';
        for (;;) {
          if (i >= n) {
            throw new UserError(`The ${label} has a quoted field opened on line ${opened} that is never closed. Close the quote, and write a quote inside a field as "".`);
          }
          const quote = text.indexOf('"', i);
          const end = quote < 0 ? n : quote;
          const chunk = text.slice(i, end);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          field += chunk;
          i = end;
          if (quote < 0) continue;
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
          error ??= `text after the closing quote of field ${fields.length + 1}`;
          let j = i;
          while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
          field += text.slice(i, j);
          i = j;
        }
      } else {
        let j = i;
        while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    if (fields.length === 1 && fields[0]!.trim() === '') continue; // a blank line
    records.push({ fields, line: start, ...(error !== undefined && { error }) });
  }
  return records;
}

export function csvDelimiter(headerLine: string): string {
  return !headerLine.includes(',') && headerLine.includes('\t') ? '\t' : ',';
}

export function parseCsvMetrics(text: string, label: string): ParsedMetrics {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const records = readCsv(text, csvDelimiter(firstLine), label);
  const header = records.shift();
  if (!header) throw new UserError(`The ${label} is empty. ${CSV_SHAPE}`);
  const columns = header.fields.map((f) => f.trim());
  const lower = columns.map((c) => c.toLowerCase());
  const timeCol = lower.findIndex((c) => TIME_COLUMNS.includes(c));
  if (timeCol < 0) {
    throw new UserError(
      `The ${label} has no time column in its header (line ${header.line}: ${quoteLine(columns.join(','))}); ` +
        `name it one of ${TIME_COLUMNS.join(', ')}. ${CSV_SHAPE}`,
    );
  }
  if (records.length === 0) throw new UserError(`The ${label} has a header but no rows. ${CSV_SHAPE}`);
  const nameCol = lower.findIndex((c) => NAME_COLUMNS.includes(c));
  const valueCol = lower.findIndex((c) => VALUE_COLUMNS.includes(c));

  const problems = new ProblemTally();
  const timeProblems: string[] = [];
  let usableRows = 0;
  const raw = new Map<string, { name: string; labels: Record<string, string>; builder: SeriesBuilder }>();
  const add = (name: string, labels: Record<string, string>, time: number, value: number) => {
    const key = `${name}\0${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join('\0')}`;
    let s = raw.get(key);
    if (!s) raw.set(key, (s = { name, labels, builder: new SeriesBuilder() }));
    s.builder.add(time, value);
  };

  const long = nameCol >= 0 && valueCol >= 0;
  const { labels: labelCols, ignored } = long
    ? { labels: columns.map((_, i) => i).filter((i) => i !== timeCol && i !== nameCol && i !== valueCol), ignored: [] }
    : textColumnsOfWide(columns, records, timeCol);
  const metricCols = long ? [] : columns.map((_, i) => i).filter((i) => i !== timeCol && !labelCols.includes(i) && !ignored.includes(i));
  if (!long && metricCols.length === 0) {
    throw new UserError(`The ${label} has no metric columns: every column besides the time holds text. ${CSV_SHAPE}`);
  }
  const junk = new Map<string, { count: number; first: string }>();

  for (const record of records) {
    const where = `line ${record.line}`;
    if (record.error) problems.add('rows malformed and skipped', `${where}: ${record.error}`);
    if (record.error) continue;
    if (record.fields.length !== columns.length) {
      problems.add(`rows without the header's ${columns.length} fields and skipped`, `${where} has ${record.fields.length}`);
      continue;
    }
    const time = readTime(record.fields[timeCol]!);
    if (typeof time === 'string') {
      timeProblems.push(`${where}: ${time}`);
      continue;
    }
    usableRows++;
    const labels: Record<string, string> = {};
    for (const i of labelCols) {
      const v = record.fields[i]!.trim();
      if (v !== '') labels[columns[i]!] = v;
    }
    const cells = long ? [{ name: record.fields[nameCol]!.trim(), text: record.fields[valueCol]! }] : metricCols.map((i) => ({ name: columns[i]!, text: record.fields[i]! }));
    for (const { name, text: cell } of cells) {
      if (cell.trim() === '' && !long) continue; // a wide row need not have every metric
      if (name === '') {
        problems.add('rows without a metric name and skipped', where);
        continue;
      }
      const value = parseSampleValue(cell);
      if (value === undefined || Number.isNaN(value) || !Number.isFinite(value)) {
        const kind = value === undefined ? 'not a number' : 'NaN or ±Inf';
        const key = `${name}\0${kind}`;
        const entry = junk.get(key);
        if (entry) entry.count++;
        else junk.set(key, { count: 1, first: `${where} = ${quoteLine(cell)}` });
        continue;
      }
      add(name, labels, time, value);
    }
  }

  if (usableRows === 0 || usableRows < timeProblems.length) {
    throw new UserError(
      `The ${label} is unusable: ${timeProblems.length} of ${records.length} rows have no readable time ` +
        `(${timeProblems.slice(0, MAX_EXAMPLES).join('; ')}). ` +
        `Write the "${columns[timeCol]}" column as ISO-8601 such as 2026-02-17T14:45:00Z (no zone means UTC) or epoch seconds/milliseconds.`,
    );
  }
  if (raw.size === 0) {
    const examples = [...junk].slice(0, MAX_EXAMPLES).map(([key, j]) => `${key.split('\0')[0]} ${j.first}`);
    throw new UserError(`The ${label} has no numeric values${examples.length ? ` (${examples.join('; ')})` : ''}. ${CSV_SHAPE}`);
  }

  const notes = [`Read as ${long ? 'long' : 'wide'} CSV (${long ? 'one sample per row' : 'one column per metric'}).`];
  if (timeProblems.length > 0) {
    notes.push(
      `${timeProblems.length} row(s) skipped for want of a readable time ` +
        `(${timeProblems.slice(0, MAX_EXAMPLES).join('; ')}${timeProblems.length > MAX_EXAMPLES ? '; ...' : ''}).`,
    );
  }
  for (const [key, j] of [...junk].sort(([a], [b]) => a.localeCompare(b))) {
    const [name, kind] = key.split('\0') as [string, string];
    notes.push(`${name}: ${j.count} value${j.count === 1 ? '' : 's'} ${kind} and skipped (first ${j.first}).`);
  }
  if (ignored.length > 0) notes.push(`Text column(s) ${ignored.map((i) => columns[i]).join(', ')} annotate rows rather than tell series apart; ignored.`);
  notes.push(...problems.notes());
  const labelled: LabelledSeries[] = [...raw.values()].map((s) => ({ name: s.name, labels: s.labels, points: s.builder.points().points }));
  const set = new SeriesSet();
  addLabelledSeries(set, labelled, notes);
  return set.finish(notes, usableRows);
}

/** Epoch milliseconds, or what is wrong with the cell. Numbers below 1e11 are seconds, others milliseconds. */
function readTime(cell: string): number | string {
  const t = cell.trim();
  if (t === '') return 'empty time';
  let ms: number | undefined;
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    ms = Math.round(Math.abs(n) < 1e11 ? n * 1000 : n);
  } else ms = parseTime(t);
  if (ms === undefined) return `time ${quoteLine(t)} is not ISO-8601 or epoch seconds/milliseconds`;
  if (!plausibleTime(ms)) return `time ${quoteLine(t)} is outside 2000-2099`;
  return ms;
}

/**
 * In a wide CSV, the columns that hold text rather than numbers. The service-like ones give the service; another text
 * column is a label only if it tells rows of the same time and service apart (host=a and host=b at 14:45), otherwise
 * it annotates the row (a deploy note, a status word) and is ignored, as our JSON ignores string fields.
 */
function textColumnsOfWide(columns: string[], records: CsvRecord[], timeCol: number): { labels: number[]; ignored: number[] } {
  const sample = records.slice(0, 200);
  const text = columns
    .map((_, i) => i)
    .filter((i) => {
      if (i === timeCol) return false;
      if (isServiceLabel(columns[i]!)) return true;
      let numbers = 0;
      let texts = 0;
      for (const r of sample) {
        const cell = r.fields[i];
        if (cell === undefined || cell.trim() === '') continue;
        if (parseSampleValue(cell) === undefined) texts++;
        else numbers++;
      }
      return texts > numbers;
    });
  const services = text.filter((i) => isServiceLabel(columns[i]!));
  const others = text.filter((i) => !isServiceLabel(columns[i]!));
  const identifying = others.filter((col) => {
    const seen = new Map<string, string>();
    for (const r of records) {
      const key = [r.fields[timeCol], ...services.map((i) => r.fields[i])].join('\0');
      const value = r.fields[col] ?? '';
      const before = seen.get(key);
      if (before !== undefined && before !== value) return true;
      seen.set(key, value);
    }
    return false;
  });
  return { labels: [...services, ...identifying], ignored: others.filter((i) => !identifying.includes(i)) };
}
