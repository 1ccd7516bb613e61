// The same incident's metrics written as a Prometheus query_range answer, OpenMetrics text and long CSV give the
// metrics server the same change points as our metrics.json.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

interface Row {
  timestamp: string;
  [field: string]: unknown;
}

const source = path.join(fixturesDir, 'checkout-500', 'metrics.json');
const rows = (JSON.parse(fs.readFileSync(source, 'utf8')) as { metrics: Row[] }).metrics;
const fields = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => typeof r[k] === 'number')))].sort();
const seconds = (row: Row) => Date.parse(row.timestamp) / 1000;

function asQueryRange(): string {
  const result = fields.map((field) => ({
    metric: { __name__: field, instance: 'checkout-0:9100' },
    values: rows.filter((r) => typeof r[field] === 'number').map((r) => [seconds(r), String(r[field])]),
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

function asOpenMetrics(): string {
  const lines: string[] = [];
  for (const field of fields) {
    lines.push(`# TYPE ${field} gauge`);
    for (const r of rows) if (typeof r[field] === 'number') lines.push(`${field} ${r[field]} ${seconds(r)}`);
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

function asCsv(): string {
  const lines = ['time,name,value'];
  for (const r of rows) for (const field of fields) if (typeof r[field] === 'number') lines.push(`${r.timestamp},${field},${r[field]}`);
  return `${lines.join('\r\n')}\r\n`;
}

interface Findings {
  earliestRise: string | undefined;
  anomalies: string[];
  metrics: string[];
}

async function findings(server: RunningServer): Promise<Findings> {
  const rates = structuredOf(await server.call('get_error_rates'));
  const anomalies = structuredOf(await server.call('get_anomalies')).anomalies as Array<{ name: string; service?: string; start: string; direction: string }>;
  const list = structuredOf(await server.call('list_metrics'));
  return {
    earliestRise: rates.earliest_rise?.start,
    anomalies: anomalies.map((a) => `${a.name}|${a.service ?? ''}|${a.direction}|${a.start}`).sort(),
    metrics: (list.metrics as Array<{ name: string }>).map((m) => m.name),
  };
}

describe('metrics server: standard metric files', function () {
  this.timeout(60_000);
  let dir: string;
  let expected: Findings;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metric-files-'));
    const server = await startServer('metrics', ['--metrics', source]);
    try {
      expected = await findings(server);
    } finally {
      await server.close();
    }
    assert.ok(expected.earliestRise, 'metrics.json has an error-rate rise');
    assert.ok(expected.anomalies.length > 0);
    console.log(`      (metrics.json: earliest rise ${expected.earliestRise}, ${expected.anomalies.length} anomalies)`);
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const formats: Array<[string, string, () => string, RegExp]> = [
    ['a Prometheus query_range answer', 'query_range.json', asQueryRange, /Prometheus matrix result/],
    ['OpenMetrics text', 'metrics.prom', asOpenMetrics, /OpenMetrics text/],
    ['long CSV', 'metrics.csv', asCsv, /long CSV/],
  ];
  for (const [what, file, write, note] of formats) {
    it(`${what} gives the same change points as metrics.json`, async function () {
      const target = path.join(dir, file);
      fs.writeFileSync(target, write());
      const server = await startServer('metrics', ['--metrics', target]);
      try {
        const got = await findings(server);
        assert.equal(got.earliestRise, expected.earliestRise);
        assert.deepEqual(got.anomalies, expected.anomalies);
        assert.deepEqual(got.metrics, expected.metrics);
        const listing = await server.call('list_metrics');
        assert.match(textOf(listing), note);
      } finally {
        await server.close();
      }
    });
  }

  it('explains content it cannot read, listing the accepted formats', async function () {
    const target = path.join(dir, 'notes.txt');
    fs.writeFileSync(target, 'hello world\n');
    const server = await startServer('metrics', ['--metrics', target]);
    try {
      const result = await server.call('list_metrics');
      assert.equal(result.isError, true);
      assert.match(textOf(result), /no format I can read.*Accepted metrics files/);
    } finally {
      await server.close();
    }
  });
});
