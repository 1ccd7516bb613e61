import assert from 'node:assert/strict';
import { UserError } from '../../mcp-servers/common/result';
import { detectFormat } from '../../mcp-servers/metrics/files/detectFormat';
import { bucketQuantile } from '../../mcp-servers/metrics/files/openMetricsText';
import { parseMetricsFile } from '../../mcp-servers/metrics/files/parseMetricsFile';
import type { ParsedMetrics } from '../../mcp-servers/metrics/files/seriesSet';

const LABEL = 'metrics file test';
const T = 1771339500; // 2026-02-17T14:45:00Z in epoch seconds
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function parse(text: string): ParsedMetrics {
  return parseMetricsFile(text, LABEL);
}

/** metric|service -> [[iso time, value], ...] */
function table(parsed: ParsedMetrics): Record<string, Array<[string, number]>> {
  const out: Record<string, Array<[string, number]>> = {};
  for (const s of parsed.series) {
    out[`${s.metric}|${s.service ?? ''}`] = s.points.map((p) => [new Date(p.time).toISOString().replace('.000Z', 'Z'), Math.round(p.value * 1e6) / 1e6]);
  }
  return out;
}

function refused(text: string, pattern: RegExp): void {
  assert.throws(
    () => parse(text),
    (err: unknown) => {
      assert.ok(err instanceof UserError, `not a UserError: ${String(err)}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('metric files: standard formats', function () {
  describe('Prometheus query_range answer', function () {
    const answer = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          { metric: { __name__: 'error_rate', service: 'api' }, values: [[T, '0.05'], [T + 60.5, '0.5'], [T + 120, 'NaN'], [T + 180, '+Inf'], [T + 240, '2']] },
          { metric: { __name__: 'http_requests', job: 'checkout', status: '200', instance: 'pod-1' }, values: [[T, '10']] },
          { metric: { __name__: 'http_requests', job: 'checkout', status: '500', instance: 'pod-1' }, values: [[T, '3']] },
          { metric: { __name__: 'cpu', app: 'web' }, values: [[T, '1'], [99999999999999, '2']] },
        ],
      },
    };

    it('reads names, services (service, else job, else app), fractional seconds and skips NaN/Inf with a note', function () {
      const parsed = parse(JSON.stringify(answer));
      assert.deepEqual(table(parsed), {
        'cpu|web': [[iso(T), 1]],
        'error_rate|api': [[iso(T), 0.05], ['2026-02-17T14:46:00.500Z', 0.5], [iso(T + 240), 2]],
        'http_requests{status="200"}|checkout': [[iso(T), 10]],
        'http_requests{status="500"}|checkout': [[iso(T), 3]],
      });
      const notes = parsed.catalog.notes.join('\n');
      assert.match(notes, /Prometheus matrix result/);
      assert.match(notes, /2 values NaN or ±Inf and skipped \(result\[0\]\.values\[2\]\[1\] = "NaN"; result\[0\]\.values\[3\]\[1\] = "\+Inf"\)/);
      assert.match(notes, /1 samples with a time outside 2000-2099 and skipped \(result\[3\]\.values\[1\]\[0\] = 99999999999999\)/);
      assert.match(notes, /"job" label/);
      assert.match(notes, /http_requests by status/);
      assert.match(notes, /not part of the names: instance/);
      assert.deepEqual(parsed.catalog.services, ['api', 'checkout', 'web']);
    });

    it('reads a vector result, a bare result array, and names an unnamed expression by the top-level "name" or "value"', function () {
      const vector = { status: 'success', data: { resultType: 'vector', result: [{ metric: { service: 'api' }, value: [T, '4.5'] }] } };
      const unnamed = parse(JSON.stringify(vector));
      assert.deepEqual(table(unnamed), { 'value|api': [[iso(T), 4.5]] });
      assert.match(unnamed.catalog.notes.join('\n'), /no __name__.*named "value".*top-level "name"/);
      const named = parse(JSON.stringify({ name: 'error_ratio', ...vector }));
      assert.deepEqual(Object.keys(table(named)), ['error_ratio|api']);
      const bare = parse(JSON.stringify(answer.data.result.slice(0, 1)));
      assert.deepEqual(Object.keys(table(bare)), ['error_rate|api']);
    });

    it('refuses an error answer, a scalar, and an empty result with what to do', function () {
      refused(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }), /Prometheus error answer \(bad_data: parse error at char 5\)/);
      refused(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [T, '1'] } }), /"scalar" result, which has no series/);
      refused(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }), /empty result: the query matched no series/);
      refused('{"status":"success","data":{"resultType":"matr', /not valid JSON.*line 1, column \d+.*cut off/);
    });

    it('leaves our own JSON document and its messages alone', function () {
      const parsed = parse(JSON.stringify({ metrics: [{ timestamp: iso(T), cpu_usage: 1 }] }));
      assert.deepEqual(table(parsed), { 'cpu_usage|': [[iso(T), 1]] });
      assert.deepEqual(parsed.catalog.notes, []);
      refused('[1,2]', /bare JSON array; wrap it as \{"metrics": \[\.\.\.\]\}/);
      refused('   ', /is empty\. Expected \{"metrics"/);
    });
  });

  describe('Prometheus / OpenMetrics text', function () {
    const ms = (s: number) => s * 1000;
    const promText = [
      '# HELP http_requests_total Requests.',
      '# TYPE http_requests_total counter',
      `http_requests_total{service="api",status="500"} 100 ${ms(T)}`,
      `http_requests_total{service="api",status="500"} 160 ${ms(T + 60)}`,
      `http_requests_total{service="api",status="500"} 30 ${ms(T + 120)}`, // reset: the process restarted
      `http_requests_total{service="api",status="500"} 90 ${ms(T + 180)}`,
      `http_requests_total{service="api",status="200"} 0 ${ms(T)}`,
      `http_requests_total{service="api",status="200"} 600 ${ms(T + 60)}`,
      '# TYPE db_pool_active gauge',
      `db_pool_active{service="api"} 5 ${ms(T)}`,
      `db_pool_active{service="api"} NaN ${ms(T + 60)}`,
      `db_pool_active{service="api"} 7 ${ms(T + 120)}`,
      '# TYPE latency_seconds histogram',
      ...[0, 1].flatMap((i) => {
        const counts = i === 0 ? [0, 0, 0, 0] : [50, 90, 100, 100];
        return ['0.1', '0.25', '0.5', '+Inf'].map((le, b) => `latency_seconds_bucket{service="api",le="${le}"} ${counts[b]} ${ms(T + 60 * i)}`);
      }),
      `latency_seconds_sum{service="api"} 12 ${ms(T + 60)}`,
      `latency_seconds_count{service="api"} 100 ${ms(T + 60)}`,
      '',
    ].join('\n');

    it('turns counters into per-second rates (a reset counts from 0), gauges stay, a histogram becomes a p95 in ms', function () {
      const parsed = parse(promText);
      assert.deepEqual(table(parsed), {
        'db_pool_active|api': [[iso(T), 5], [iso(T + 120), 7]],
        'http_requests_per_second{status="200"}|api': [[iso(T + 60), 10]],
        'http_requests_per_second{status="500"}|api': [[iso(T + 60), 1], [iso(T + 120), 0.5], [iso(T + 180), 1]],
        // 100 observations: 50 <= 0.1 s, 90 <= 0.25 s, all <= 0.5 s; rank 95 is half way into (0.25, 0.5]
        'latency_p95_ms|api': [[iso(T + 60), 375]],
      });
      const notes = parsed.catalog.notes.join('\n');
      assert.match(notes, /Prometheus text exposition \(no # EOF\): timestamps in milliseconds/);
      assert.match(notes, /http_requests_total \(counter\) -> http_requests_per_second/);
      assert.match(notes, /latency_seconds \(histogram\) -> latency_p95_ms/);
      assert.match(notes, /1 counter reset/);
      assert.match(notes, /1 values NaN or ±Inf and skipped \(line 11: NaN\)/);
    });

    it('reads OpenMetrics (# EOF, seconds, fractional) and counter families with _total samples; CRLF and a BOM', function () {
      const om = [
        '# TYPE orders counter',
        `orders_total{job="shop"} 10 ${T}.25`,
        `orders_total{job="shop"} 40 ${T + 30}.25`,
        `orders_created{job="shop"} ${T - 1000} ${T}`,
        '# TYPE temp gauge',
        '# UNIT temp celsius',
        `temp{job="shop"} 21.5 ${T} # {trace_id="x"} 1 ${T}`,
        '# EOF',
        '',
      ].join('\r\n');
      const parsed = parse(`\ufeff${om}`);
      assert.deepEqual(table(parsed), {
        'orders_per_second|shop': [['2026-02-17T14:45:30.250Z', 1]],
        'temp|shop': [[iso(T), 21.5]],
      });
      assert.match(parsed.catalog.notes[0]!, /OpenMetrics text \(it ends with # EOF\): timestamps in seconds/);
    });

    it('goes by the magnitude when the timestamps contradict the marker, and says so', function () {
      const parsed = parse(`temp 1 ${T}\ntemp 2 ${T + 60}\n`);
      assert.deepEqual(table(parsed), { 'temp|': [[iso(T), 1], [iso(T + 60), 2]] });
      assert.match(parsed.catalog.notes[0]!, /no # EOF\), but its timestamps are in seconds \(1771339500 would be 1970-01-21 in milliseconds\)/);
    });

    it('refuses text without timestamps, saying this format needs them', function () {
      refused('# TYPE up gauge\nup{job="api"} 1\nup{job="web"} 0\n', /without timestamps \(2 of 2 samples have none; line 2: "up\{job=\\"api\\"\} 1".*needs a timestamp after each value/);
    });

    it('skips a malformed line with its line number, and an out-of-range timestamp with a note', function () {
      const parsed = parse(`temp 1 ${ms(T)}\ntemp{a="b} 3 ${ms(T)}\ntemp 2 ${ms(T + 60)}\ntemp 5 99999999999999999\n`);
      assert.deepEqual(table(parsed), { 'temp|': [[iso(T), 1], [iso(T + 60), 2]] });
      const notes = parsed.catalog.notes.join('\n');
      assert.match(notes, /1 lines not read as a sample and skipped \(line 2: the value of label a has no closing quote/);
      assert.match(notes, /1 samples with a time outside 2000-2099 \(as milliseconds\) and skipped \(line 4/);
    });

    it('computes a p95 like histogram_quantile', function () {
      const buckets = (counts: number[], les = [1, 2, 4, Infinity]) => les.map((le, i) => ({ le, count: counts[i]! }));
      assert.equal(bucketQuantile(0.95, buckets([0, 0, 0, 0])), undefined); // no observations
      assert.equal(bucketQuantile(0.95, buckets([100, 100, 100, 100])), 0.95); // all in the first bucket, from 0
      assert.equal(bucketQuantile(0.95, buckets([0, 0, 90, 100])), 4); // in +Inf: the highest finite bound
      assert.equal(bucketQuantile(0.5, buckets([0, 50, 100, 100])), 2);
      assert.equal(bucketQuantile(0.95, [{ le: 1, count: 3 }]), undefined); // no +Inf bucket
    });
  });

  describe('CSV', function () {
    it('reads the long form: labels become the service or fold into the name; quoted fields, CRLF, BOM, epoch s and ms', function () {
      const csv = [
        'time,name,service,status,value',
        `2026-02-17T14:45:00Z,http_requests,api,500,3`,
        `${T + 60},http_requests,api,500,"4.5"`,
        `${(T + 120) * 1000},http_requests,api,200,100`,
        `2026-02-17 14:45:00,"queue ""depth"", high",worker,,7`,
        `2026-02-17T14:46:00Z,http_requests,api,500,NaN`,
        '',
      ].join('\r\n');
      const parsed = parse(`\ufeff${csv}`);
      assert.deepEqual(table(parsed), {
        'http_requests{status="200"}|api': [[iso(T + 120), 100]],
        'http_requests{status="500"}|api': [[iso(T), 3], [iso(T + 60), 4.5]],
        'queue "depth", high|worker': [[iso(T), 7]],
      });
      const notes = parsed.catalog.notes.join('\n');
      assert.match(notes, /long CSV/);
      assert.match(notes, /http_requests: 1 value NaN or ±Inf and skipped \(first line 6 = "NaN"\)/);
    });

    it('reads the wide form like our JSON (one column per metric, a service column), with a quoted field over two lines', function () {
      const csv = 'timestamp,service,note,cpu_usage,error_rate\n' +
        `2026-02-17T14:45:00Z,api,"deploy,\nv2",40,0.5\n` +
        `2026-02-17T14:46:00Z,api,ok,41,N/A\n` +
        `2026-02-17T14:46:00Z,web,ok,10,\n`;
      const parsed = parse(csv);
      assert.deepEqual(table(parsed), {
        'cpu_usage|api': [[iso(T), 40], [iso(T + 60), 41]],
        'cpu_usage|web': [[iso(T + 60), 10]],
        'error_rate|api': [[iso(T), 0.5]],
      });
      const notes = parsed.catalog.notes.join('\n');
      assert.match(notes, /wide CSV/);
      assert.match(notes, /Text column\(s\) note annotate rows/);
      assert.match(notes, /error_rate: 1 value not a number and skipped \(first line 4 = "N\/A"\)/);
      assert.equal(parsed.catalog.sampleCount, 3);
    });

    it('skips a bad time or a short row with its line; refuses a file that is mostly unreadable, and an unclosed quote', function () {
      const parsed = parse(`time,cpu\n${T},1\nyesterday,2\n${T + 60},3\n${T + 120}\n3000-01-01T00:00:00Z,9\n${T + 180},4\n`);
      assert.deepEqual(table(parsed)['cpu|']!.length, 3);
      const notes = parsed.catalog.notes.join('\n');
      assert.match(notes, /2 row\(s\) skipped for want of a readable time \(line 3: time "yesterday" is not ISO-8601.*line 6: time "3000-01-01T00:00:00Z" is outside 2000-2099\)/);
      assert.match(notes, /1 rows without the header's 2 fields and skipped \(line 5 has 1\)/);
      refused('time,cpu\nmonday,1\ntuesday,2\n', /unusable: 2 of 2 rows have no readable time \(line 2: time "monday"/);
      refused(`time,name,value\n${T},"cpu,1\n`, /quoted field opened on line 2 that is never closed/);
      refused('host,cpu\na,1\n', /no time column in its header \(line 1: "host,cpu"\)/);
    });
  });

  describe('detection', function () {
    it('tells each format from the content', function () {
      assert.equal(detectFormat('  {"metrics": []}', LABEL), 'json');
      assert.equal(detectFormat('[{"metric":{},"values":[]}]', LABEL), 'json');
      assert.equal(detectFormat('# HELP x y\n# TYPE x gauge\nx 1 2\n', LABEL), 'openmetrics-text');
      assert.equal(detectFormat(`x{a="1,2"} 1 ${T}\n`, LABEL), 'openmetrics-text');
      assert.equal(detectFormat(`up 1 ${T}\n`, LABEL), 'openmetrics-text');
      assert.equal(detectFormat('time,name,value\n', LABEL), 'csv');
      assert.equal(detectFormat('time\tcpu\n', LABEL), 'csv');
    });

    it('refuses unknown content, listing the accepted formats', function () {
      refused('hello world\n', /no format I can read \(it starts with "hello world"\)\. Accepted metrics files: our JSON .*query_range.*OpenMetrics text.*CSV/);
      refused('\x1f\x8b\x08\x00binary', /binary \(compressed\?\)/);
    });

    it('lets the file name decide only content that fits no format (a broken metrics.json keeps the JSON message)', function () {
      assert.equal(detectFormat('oops', LABEL, '/x/metrics.json'), 'json');
      assert.throws(() => parseMetricsFile('oops', LABEL, '/x/metrics.json'), /not valid JSON/);
      assert.equal(detectFormat(`time,cpu\n${T},1\n`, LABEL, '/x/metrics.json'), 'csv'); // content first
      assert.throws(() => detectFormat('oops', LABEL, '/x/metrics.dat'), /no format I can read/);
    });
  });
});
