// Bad metrics and deployments files that used to break every tool: one point with an impossible time, a file with
// hundreds of thousands of series, a UTF-8 byte-order mark.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturesDir, startServer, structuredOf, textOf } from '../support/servers';

describe('metrics and deployments files that used to break the tools', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-hardening-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a point with a time outside 1970–9999 is skipped with a note, and every tool still answers', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ timestamp: new Date(Date.UTC(2026, 1, 17, 14, i)).toISOString(), error_rate: i < 45 ? 0.1 : 9 }));
    const file = path.join(tmp, 'odd-time.json');
    fs.writeFileSync(file, `\uFEFF${JSON.stringify({ metrics: [...rows, { timestamp: 9e15, error_rate: 1 }, { timestamp: -5, error_rate: 1 }] })}`);
    const server = await startServer('metrics', ['--metrics', file]);
    try {
      const list = await server.call('list_metrics', {});
      assert.ok(!list.isError, textOf(list));
      assert.match(textOf(list), /outside 1970–9999/);
      const rates = await server.call('get_error_rates', {});
      assert.ok(!rates.isError, textOf(rates));
      assert.equal(structuredOf(rates).earliest_rise.start, '2026-02-17T14:45:00Z');
    } finally {
      await server.close();
    }
  });

  it('200,000 series: list_metrics answers instead of overflowing the stack', async () => {
    const file = path.join(tmp, 'many-series.json');
    const entries = Array.from({ length: 200_000 }, (_, i) => `{"timestamp":${1771339500 + (i % 60) * 60},"service":"s${i}","cpu_usage":${i % 100}}`);
    fs.writeFileSync(file, `{"metrics":[${entries.join(',')}]}`);
    const server = await startServer('metrics', ['--metrics', file]);
    try {
      const list = await server.call('list_metrics', {});
      assert.ok(!list.isError, textOf(list));
      assert.equal(structuredOf(list).metrics.length >= 1, true);
    } finally {
      await server.close();
    }
  });

  it('a deployments file with a UTF-8 byte-order mark is read', async () => {
    const fixture = path.join(fixturesDir, 'checkout-500');
    const file = path.join(tmp, 'deployments.json');
    fs.writeFileSync(file, `\uFEFF${fs.readFileSync(path.join(fixture, 'deployments.json'), 'utf8')}`);
    const server = await startServer('git', ['--repo', path.join(fixture, 'repo'), '--deployments', file]);
    try {
      const deployments = await server.call('get_deployments', {});
      assert.ok(!deployments.isError, textOf(deployments));
      assert.ok(structuredOf(deployments).deployments.some((d: { version: string }) => d.version === 'v2.14.0'));
    } finally {
      await server.close();
    }
  });
});
