// Prometheus text exposition and OpenMetrics text, with a timestamp on every sample:
//   # TYPE http_requests_total counter
//   http_requests_total{service="api",status="500"} 1027 1771339500000
// Prometheus text has millisecond timestamps; OpenMetrics (the text ends with "# EOF") has seconds, possibly
// fractional. The marker decides, unless the magnitude of the first timestamp contradicts it (1771339500 cannot be
// milliseconds of an incident: it is 1970-01-21), and a note says which reading was used.
//
// What becomes a series:
//   - gauges (and untyped samples) stay as they are;
//   - counters (TYPE counter, or an untyped name ending in _total) become <name without _total>_per_second: the
//     increase between consecutive samples over the seconds between them. A value lower than the one before is a
//     reset (the process restarted and counts from 0 again), so the increase is the new value, as Prometheus' rate()
//     assumes. A reader wants the request rate, not an ever-growing count.
//   - histograms (_bucket{le=…}) become their 95th percentile between consecutive samples, interpolated inside the
//     buckets as histogram_quantile() does, from the bucket increases (resets handled the same way). A name ending in
//     _seconds is given in milliseconds as <base>_p95_ms; otherwise <name>_p95 in the histogram's own unit.
//     Their _sum, _count and _created are not used (the p95 says more about latency than the mean).
//   - summaries keep their quantile series as gauges (quantile="0.95" is folded into the name); _sum/_count are not used.
import { UserError } from '../../common/result.js';
import { addLabelledSeries, type LabelledSeries } from './labelledSeries.js';
import { ProblemTally, SeriesBuilder, SeriesSet, parseSampleValue, plausibleTime, quoteLine, type ParsedMetrics } from './seriesSet.js';
import type { MetricPoint } from '../source.js';

export const TEXT_SHAPE =
  'Expected Prometheus text with a timestamp on each sample, such as ' +
  '`http_requests_total{service="api",status="500"} 1027 1771339500000` (milliseconds), ' +
  'or OpenMetrics text ending with `# EOF` whose timestamps are in seconds.';

const NEEDS_TIMESTAMPS =
  'A scrape without timestamps is one instant of unknown time, not a series: this format needs a timestamp after each value ' +
  '(milliseconds in Prometheus text, seconds in OpenMetrics). Export with timestamps, or save a query_range answer instead: ' +
  "curl 'http://prometheus:9090/api/v1/query_range?query=...&start=...&end=...&step=60'.";

const QUANTILE = 0.95;

interface RawSeries {
  name: string;
  labels: Record<string, string>;
  builder: SeriesBuilder;
}

type Kind = 'gauge' | 'counter' | 'histogram' | 'gaugehistogram' | 'summary';

export function hasEofMarker(text: string): boolean {
  return /(^|\n)# EOF[ \t\r]*\n?\s*$/.test(text);
}

export function parseOpenMetricsText(text: string, label: string): ParsedMetrics {
  const openMetrics = hasEofMarker(text);
  const types = new Map<string, string>();
  const raw = new Map<string, RawSeries>();
  const problems = new ProblemTally();
  const withoutTime: string[] = [];
  let samples = 0;
  let unit: 'seconds' | 'milliseconds' | undefined;
  let unitNote = '';

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type) types.set(type[1]!, type[2]!.toLowerCase());
      if (/^#\s*EOF\s*$/.test(line)) break;
      continue;
    }
    samples++;
    const sample = parseSampleLine(line);
    if (typeof sample === 'string') {
      problems.add('lines not read as a sample and skipped', `line ${lineNo}: ${sample} in ${quoteLine(line)}`);
      continue;
    }
    if (sample.timestamp === undefined) {
      withoutTime.push(`line ${lineNo}: ${quoteLine(line)}`);
      continue;
    }
    const stamp = Number(sample.timestamp);
    if (!Number.isFinite(stamp)) {
      problems.add('lines with a timestamp that is not a number and skipped', `line ${lineNo}: ${quoteLine(sample.timestamp)}`);
      continue;
    }
    if (unit === undefined) ({ unit, note: unitNote } = chooseUnit(openMetrics, stamp));
    const time = Math.round(unit === 'seconds' ? stamp * 1000 : stamp);
    if (!plausibleTime(time)) {
      problems.add(`samples with a time outside 2000-2099 (as ${unit}) and skipped`, `line ${lineNo}: ${sample.timestamp}`);
      continue;
    }
    const value = parseSampleValue(sample.value);
    if (value === undefined) {
      problems.add('values not a number and skipped', `line ${lineNo}: ${quoteLine(sample.value)}`);
      continue;
    }
    if (!Number.isFinite(value)) {
      problems.add('values NaN or ±Inf and skipped', `line ${lineNo}: ${sample.value}`);
      continue;
    }
    const key = `${sample.name}\0${Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('\0')}`;
    let series = raw.get(key);
    if (!series) raw.set(key, (series = { name: sample.name, labels: sample.labels, builder: new SeriesBuilder() }));
    series.builder.add(time, value);
  }

  if (samples === 0) throw new UserError(`The ${label} has no sample lines, only comments. ${TEXT_SHAPE}`);
  if (withoutTime.length > 0 && withoutTime.length * 2 >= samples) {
    throw new UserError(
      `The ${label} is Prometheus/OpenMetrics text without timestamps (${withoutTime.length} of ${samples} samples have none; ` +
        `${withoutTime.slice(0, 2).join('; ')}). ${NEEDS_TIMESTAMPS}`,
    );
  }
  if (raw.size === 0) {
    throw new UserError(`The ${label} has no usable samples: ${problems.notes().join(' ')} ${TEXT_SHAPE}`);
  }

  const notes = [unitNote];
  if (withoutTime.length > 0) {
    notes.push(`${withoutTime.length} sample(s) without a timestamp skipped (first: ${withoutTime.slice(0, 3).join('; ')}).`);
  }
  notes.push(...problems.notes());
  const labelled = deriveSeries([...raw.values()], types, notes);
  if (labelled.length === 0) {
    throw new UserError(`The ${label} gives no series: ${notes.slice(1).join(' ')} Counters and histograms need at least two samples each.`);
  }
  const set = new SeriesSet();
  addLabelledSeries(set, labelled, notes);
  return set.finish(notes);
}

function chooseUnit(openMetrics: boolean, first: number): { unit: 'seconds' | 'milliseconds'; note: string } {
  const asIs = openMetrics ? 'seconds' : 'milliseconds';
  const looksLikeSeconds = Math.abs(first) < 1e11; // 1e11 ms is 1973; 1e11 s is the year 5138
  const unit = looksLikeSeconds ? 'seconds' : 'milliseconds';
  const format = openMetrics ? 'OpenMetrics text (it ends with # EOF)' : 'Prometheus text exposition (no # EOF)';
  if (unit === asIs) return { unit, note: `Read as ${format}: timestamps in ${unit}.` };
  return {
    unit,
    note: `Read as ${format}, but its timestamps are in ${unit} (${first} would be ${new Date(asIs === 'seconds' ? first * 1000 : first).toISOString().slice(0, 10)} in ${asIs}).`,
  };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: string;
  timestamp?: string;
}

/** One sample line, or what is wrong with it. */
export function parseSampleLine(line: string): Sample | string {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) return 'no metric name at the start';
  const name = nameMatch[0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      while (line[pos] === ' ' || line[pos] === '\t') pos++;
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(pos));
      if (!labelName) return `no label name at column ${pos + 1}`;
      pos += labelName[0].length;
      while (line[pos] === ' ') pos++;
      if (line[pos] !== '=') return `no "=" after label ${labelName[0]}`;
      pos++;
      while (line[pos] === ' ') pos++;
      if (line[pos] !== '"') return `the value of label ${labelName[0]} is not in double quotes`;
      pos++;
      let value = '';
      for (;;) {
        const c = line[pos];
        if (c === undefined) return `the value of label ${labelName[0]} has no closing quote`;
        pos++;
        if (c === '"') break;
        if (c === '\\') {
          const next = line[pos++];
          value += next === 'n' ? '\n' : (next ?? '');
        } else value += c;
      }
      labels[labelName[0]] = value;
      while (line[pos] === ' ') pos++;
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') return `expected "," or "}" after label ${labelName[0]}`;
    }
  }
  // value [timestamp] [# exemplar]
  let rest = line.slice(pos);
  const exemplar = rest.indexOf(' # ');
  if (exemplar >= 0) rest = rest.slice(0, exemplar);
  const tokens = rest.trim().split(/[ \t]+/);
  if (tokens[0] === '' || tokens.length === 0) return 'no value after the name';
  if (tokens.length > 2) return 'more than a value and a timestamp after the name';
  return { name, labels, value: tokens[0]!, ...(tokens[1] !== undefined && { timestamp: tokens[1] }) };
}

// ---- from raw samples to the series a reader wants ----------------------------------------------------------------

const SUFFIXES = ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info'];

function kindOf(type: string | undefined): Kind {
  switch (type) {
    case 'counter':
      return 'counter';
    case 'histogram':
      return 'histogram';
    case 'gaugehistogram':
      return 'gaugehistogram';
    case 'summary':
      return 'summary';
    default:
      return 'gauge';
  }
}

/** The family a sample belongs to, its kind and the suffix the sample adds to the family name. */
function familyOf(name: string, types: Map<string, string>, bucketFamilies: Set<string>): { family: string; kind: Kind; suffix: string } {
  if (types.has(name)) return { family: name, kind: kindOf(types.get(name)), suffix: '' };
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    if (types.has(base)) return { family: base, kind: kindOf(types.get(base)), suffix };
    if (bucketFamilies.has(base) && (suffix === '_bucket' || suffix === '_sum' || suffix === '_count' || suffix === '_created')) {
      return { family: base, kind: 'histogram', suffix };
    }
  }
  if (name.endsWith('_total')) return { family: name, kind: 'counter', suffix: '' };
  return { family: name, kind: 'gauge', suffix: '' };
}

function deriveSeries(raw: RawSeries[], types: Map<string, string>, notes: string[]): LabelledSeries[] {
  const bucketFamilies = new Set(raw.filter((r) => r.name.endsWith('_bucket') && 'le' in r.labels).map((r) => r.name.slice(0, -'_bucket'.length)));
  const out: LabelledSeries[] = [];
  const conversions = new Map<string, string>(); // source family -> sentence
  const unused = new Set<string>();
  const histograms = new Map<string, { family: string; labels: Record<string, string>; kind: Kind; buckets: Map<number, MetricPoint[]> }>();
  let resets = 0;

  for (const r of raw) {
    const { points } = r.builder.points();
    const { family, kind, suffix } = familyOf(r.name, types, bucketFamilies);
    if (kind === 'counter') {
      if (suffix === '_created') continue;
      const name = `${r.name.replace(/_total$/, '')}_per_second`;
      const rated = ratesOf(points);
      resets += rated.resets;
      conversions.set(r.name, `${r.name} (counter) -> ${name}: per-second increase between consecutive samples`);
      if (rated.points.length > 0) out.push({ name, labels: r.labels, points: rated.points });
      continue;
    }
    if (kind === 'histogram' || kind === 'gaugehistogram') {
      if (suffix !== '_bucket' || r.labels.le === undefined) {
        unused.add(r.name);
        continue;
      }
      const le = parseSampleValue(r.labels.le);
      if (le === undefined || Number.isNaN(le)) {
        unused.add(`${r.name}{le="${r.labels.le}"}`);
        continue;
      }
      const { le: _le, ...rest } = r.labels;
      const key = `${family}\0${JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
      let h = histograms.get(key);
      if (!h) histograms.set(key, (h = { family, labels: rest, kind, buckets: new Map() }));
      h.buckets.set(le, points);
      continue;
    }
    if (kind === 'summary' && suffix !== '') {
      unused.add(r.name);
      continue;
    }
    out.push({ name: r.name, labels: r.labels, points });
  }

  let incomplete = 0;
  for (const h of histograms.values()) {
    if (!h.buckets.has(Infinity)) {
      incomplete++;
      continue;
    }
    const seconds = h.family.endsWith('_seconds');
    const name = seconds ? `${h.family.slice(0, -'_seconds'.length)}_p95_ms` : `${h.family}_p95`;
    const result = p95Of(h.buckets, h.kind === 'histogram', seconds ? 1000 : 1);
    resets += result.resets;
    conversions.set(
      h.family,
      `${h.family} (histogram) -> ${name}: 95th percentile of the observations between consecutive samples, interpolated in the buckets${seconds ? ', in ms' : ''}`,
    );
    if (result.points.length > 0) out.push({ name, labels: h.labels, points: result.points });
  }

  if (conversions.size > 0) {
    const list = [...conversions.values()];
    notes.push(`Converted: ${list.slice(0, 6).join('; ')}${list.length > 6 ? `; and ${list.length - 6} more` : ''}.`);
  }
  if (resets > 0) notes.push(`${resets} counter reset(s) (a value lower than the one before: the process restarted); the increase there is the new value.`);
  if (incomplete > 0) notes.push(`${incomplete} histogram(s) without a le="+Inf" bucket skipped: a percentile needs the total count.`);
  if (unused.size > 0) {
    const list = [...unused].sort();
    notes.push(`Not used (histogram/summary totals, replaced by the percentile): ${list.slice(0, 8).join(', ')}${list.length > 8 ? ', ...' : ''}.`);
  }
  return out;
}

/** Per-second increase between consecutive samples; a drop is a reset, after which the count starts from 0. */
export function ratesOf(points: readonly MetricPoint[]): { points: MetricPoint[]; resets: number } {
  const out: MetricPoint[] = [];
  let resets = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    const seconds = (cur.time - prev.time) / 1000;
    if (seconds <= 0) continue;
    let increase = cur.value - prev.value;
    if (increase < 0) {
      resets++;
      increase = cur.value;
    }
    out.push({ time: cur.time, value: increase / seconds });
  }
  return { points: out, resets };
}

/**
 * The q-quantile of each interval between consecutive times at which every bucket has a sample. For a (counter)
 * histogram the bucket counts of the interval are the increases; for a gauge histogram, the counts themselves.
 */
export function p95Of(buckets: Map<number, MetricPoint[]>, cumulativeCounters: boolean, scale: number): { points: MetricPoint[]; resets: number } {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const byTime = new Map<number, Map<number, number>>();
  for (const [le, points] of buckets) {
    for (const p of points) {
      let row = byTime.get(p.time);
      if (!row) byTime.set(p.time, (row = new Map()));
      row.set(le, p.value);
    }
  }
  const times = [...byTime.keys()].filter((t) => byTime.get(t)!.size === bounds.length).sort((a, b) => a - b);
  const out: MetricPoint[] = [];
  let resets = 0;
  for (let i = cumulativeCounters ? 1 : 0; i < times.length; i++) {
    const cur = byTime.get(times[i]!)!;
    const prev = cumulativeCounters ? byTime.get(times[i - 1]!)! : undefined;
    let running = 0;
    let reset = false;
    const counts = bounds.map((le) => {
      let count = cur.get(le)!;
      if (prev) {
        const before = prev.get(le)!;
        if (count < before) reset = true;
        else count -= before;
      }
      running = Math.max(running, count); // cumulative counts never decrease (as histogram_quantile enforces)
      return { le, count: running };
    });
    if (reset) resets++;
    const q = bucketQuantile(QUANTILE, counts);
    if (q !== undefined) out.push({ time: times[i]!, value: q * scale });
  }
  return { points: out, resets };
}

/** histogram_quantile over cumulative buckets sorted by `le`, the last being +Inf; undefined when there are no observations. */
export function bucketQuantile(q: number, buckets: readonly { le: number; count: number }[]): number | undefined {
  const n = buckets.length;
  if (n < 2 || buckets[n - 1]!.le !== Infinity) return undefined;
  const total = buckets[n - 1]!.count;
  if (!(total > 0)) return undefined;
  const rank = q * total;
  const idx = buckets.findIndex((b) => b.count >= rank);
  if (idx === n - 1) return buckets[n - 2]!.le;
  const bucket = buckets[idx]!;
  if (idx === 0 && bucket.le <= 0) return bucket.le;
  const start = idx === 0 ? 0 : buckets[idx - 1]!.le;
  const below = idx === 0 ? 0 : buckets[idx - 1]!.count;
  const inBucket = bucket.count - below;
  if (inBucket <= 0) return bucket.le;
  return start + (bucket.le - start) * ((rank - below) / inBucket);
}
