// A saved Prometheus HTTP API answer: what `curl 'http://prom:9090/api/v1/query_range?query=…'` (or /query) returns.
//   {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"…","service":"api"},"values":[[1771339500,"0.05"],…]}]}}
// Also the `data` object alone, a plain array of results, and resultType "vector" (one `value` per series).
// Times are epoch seconds (possibly fractional); values are strings, "NaN" and "±Inf" included (skipped with a note).
import { UserError } from '../../common/result.js';
import { addLabelledSeries, type LabelledSeries } from './labelledSeries.js';
import { ProblemTally, SeriesSet, describeJson, parseSampleValue, plausibleTime, type ParsedMetrics } from './seriesSet.js';

export const PROM_SHAPE =
  'Expected a Prometheus query_range answer: {"status":"success","data":{"resultType":"matrix","result":' +
  '[{"metric":{"__name__":"error_rate","service":"api"},"values":[[1771339500,"0.05"], ...]}]}} (or a "vector" result, or the "result" array alone).';

/** Top-level keys that may name the series of an expression without a __name__ (e.g. {"name": "error_rate", "data": …}). */
const NAME_KEYS = ['name', 'metric_name'];

/** Whether parsed JSON has the shape of a Prometheus API answer (as opposed to our {"metrics": [...]}). */
export function isPromResponse(doc: unknown): boolean {
  if (Array.isArray(doc)) {
    const first = doc[0] as Record<string, unknown> | undefined;
    return typeof first === 'object' && first !== null && 'metric' in first && ('values' in first || 'value' in first);
  }
  if (typeof doc !== 'object' || doc === null || 'metrics' in doc) return false;
  const record = doc as Record<string, unknown>;
  return 'resultType' in record || (typeof record.data === 'object' && record.data !== null && 'result' in record.data) || record.status === 'error';
}

export function parsePromQueryRange(doc: unknown, label: string): ParsedMetrics {
  const { results, resultType, givenName } = resultsOf(doc, label);
  if (results.length === 0) {
    throw new UserError(`The ${label} is a Prometheus answer with an empty result: the query matched no series. Re-run it over the incident's time range.`);
  }
  const problems = new ProblemTally();
  const labelled: LabelledSeries[] = [];
  let unnamed = 0;
  let nativeHistograms = 0;
  results.forEach((result, i) => {
    const where = `result[${i}]`;
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
      problems.add('results not an object with "metric" and "values" and skipped', `${where} is ${describeJson(result)}`);
      return;
    }
    const r = result as Record<string, unknown>;
    const labels: Record<string, string> = {};
    if (typeof r.metric === 'object' && r.metric !== null && !Array.isArray(r.metric)) {
      for (const [k, v] of Object.entries(r.metric)) labels[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    let name = labels.__name__;
    if (name === undefined || name === '') {
      name = givenName ?? 'value';
      unnamed++;
    }
    const pairs: Array<[unknown, string]> = [];
    if (Array.isArray(r.values)) r.values.forEach((pair, j) => pairs.push([pair, `${where}.values[${j}]`]));
    else if (Array.isArray(r.value)) pairs.push([r.value, `${where}.value`]);
    else if (r.histograms !== undefined || r.histogram !== undefined) {
      nativeHistograms++;
      return;
    } else {
      problems.add(`series without "values" (matrix) or "value" (vector) and skipped`, where);
      return;
    }
    const points: { time: number; value: number }[] = [];
    let inOrder = true;
    for (const [pair, at] of pairs) {
      if (!Array.isArray(pair) || pair.length < 2) {
        problems.add('samples not a [time, "value"] pair and skipped', `${at} is ${describeJson(pair)}`);
        continue;
      }
      const seconds = typeof pair[0] === 'number' ? pair[0] : typeof pair[0] === 'string' ? Number(pair[0]) : NaN;
      const time = Math.round(seconds * 1000);
      if (!Number.isFinite(seconds)) {
        problems.add('samples with a time that is not epoch seconds and skipped', `${at}[0] = ${describeJson(pair[0])}`);
        continue;
      }
      if (!plausibleTime(time)) {
        problems.add('samples with a time outside 2000-2099 and skipped', `${at}[0] = ${describeJson(pair[0])}`);
        continue;
      }
      const value = typeof pair[1] === 'number' ? pair[1] : typeof pair[1] === 'string' ? parseSampleValue(pair[1]) : undefined;
      if (value === undefined) {
        problems.add('values not a number and skipped', `${at}[1] = ${describeJson(pair[1])}`);
        continue;
      }
      if (!Number.isFinite(value)) {
        problems.add('values NaN or ±Inf and skipped', `${at}[1] = ${describeJson(pair[1])}`);
        continue;
      }
      if (points.length > 0 && time <= points[points.length - 1]!.time) inOrder = false;
      points.push({ time, value });
    }
    if (!inOrder) points.sort((a, b) => a.time - b.time);
    if (points.length > 0) labelled.push({ name, labels, points });
  });

  if (labelled.length === 0) {
    const why = problems.notes().join(' ') || (nativeHistograms ? 'its series are native histograms, which are not read.' : '');
    throw new UserError(`The ${label} has no usable samples: ${why} ${PROM_SHAPE}`);
  }
  const notes = [`Read as a Prometheus ${resultType ?? 'query'} result (times in epoch seconds).`];
  if (unnamed > 0) {
    notes.push(
      `${unnamed} series had no __name__ (the answer to an expression such as rate(...)); they are named "${givenName ?? 'value'}"` +
        (givenName === undefined ? ' - add a top-level "name" key to the saved file to name them.' : ', from the file\'s "name" key.'),
    );
  }
  if (nativeHistograms > 0) notes.push(`${nativeHistograms} native-histogram series skipped: they are not read; query histogram_quantile(...) instead.`);
  notes.push(...problems.notes());
  const set = new SeriesSet();
  addLabelledSeries(set, labelled, notes);
  return set.finish(notes);
}

function resultsOf(doc: unknown, label: string): { results: unknown[]; resultType?: string; givenName?: string } {
  if (Array.isArray(doc)) return { results: doc, resultType: 'result array' };
  const record = doc as Record<string, unknown>;
  if (record.status === 'error') {
    throw new UserError(
      `The ${label} is a Prometheus error answer (${String(record.errorType ?? 'error')}: ${String(record.error ?? 'no message')}). ` +
        'Fix the query and save a successful answer.',
    );
  }
  const givenName = NAME_KEYS.map((k) => record[k]).find((v): v is string => typeof v === 'string' && v !== '');
  const data = (typeof record.data === 'object' && record.data !== null ? record.data : record) as Record<string, unknown>;
  const resultType = typeof data.resultType === 'string' ? data.resultType : undefined;
  if (resultType === 'scalar' || resultType === 'string') {
    throw new UserError(`The ${label} is a Prometheus "${resultType}" result, which has no series. Save the answer to a query that returns series (a vector or a matrix).`);
  }
  if (!Array.isArray(data.result)) {
    throw new UserError(`The ${label} looks like a Prometheus answer but "data.result" is ${describeJson(data.result)}, not an array. ${PROM_SHAPE}`);
  }
  return { results: data.result, ...(resultType !== undefined && { resultType }), ...(givenName !== undefined && { givenName }) };
}
