import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findOnset } from '../../src/engine/analysts/builtin/onset';
import type { AnalystTools } from '../../src/engine/analysis/analyst';
import type { CatalogTool, ToolCallOutcome } from '../../src/engine/mcp/clientManager';
import { startServer, structuredOf, textOf, type RunningServer } from '../support/servers';
import { noiseSource } from '../support/noise';

const DAY0 = Date.UTC(2026, 1, 16, 0, 0, 0);
const BLIP = Date.UTC(2026, 1, 17, 10, 0, 0); // one minute of errors
const STEP = Date.UTC(2026, 1, 17, 10, 31, 0); // a sustained rise
const END = Date.UTC(2026, 1, 17, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The metric tools of one real server, as the analyst sees them; the logs tools are absent. Calls are recorded. */
function toolsOf(server: RunningServer, calls: Array<{ tool: string; args: Record<string, unknown> }>): AnalystTools {
  const names = ['get_error_rates', 'get_anomalies'];
  return {
    catalog: () => names.map((name) => ({ name, tool: name, server: 'metrics', description: '', inputSchema: { type: 'object' } }) as CatalogTool),
    async call(name, args) {
      calls.push({ tool: name, args });
      const result = await server.call(name, args);
      return { server: 'metrics', tool: name, isError: result.isError === true, text: textOf(result), structured: result.structuredContent, durationMs: 0 } as ToolCallOutcome;
    },
  };
}

describe('metrics server: long per-second series are analysed at a coarser step', function () {
  this.timeout(120_000);
  let tmp: string;
  let server: RunningServer;

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-resolution-'));
    const g = noiseSource(11);
    const lines: string[] = [];
    for (let t = DAY0; t <= END; t += 1000) {
      let errorRate = 0.5 + 0.05 * g();
      if (t >= BLIP && t < BLIP + 60_000) errorRate = 20;
      if (t >= STEP) errorRate = 8 + 0.5 * g();
      lines.push(`{"timestamp":${t},"error_rate":${errorRate.toFixed(3)},"request_rate":${(100 + g()).toFixed(2)}}`);
    }
    const file = path.join(tmp, 'metrics.json');
    fs.writeFileSync(file, `{"metrics":[\n${lines.join(',\n')}\n]}\n`);
    server = await startServer('metrics', ['--metrics', file]);
  });

  after(async function () {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads 129,600 points per series as means of 2-minute steps, says so, and does not take the blip for the onset', async function () {
    const result = await server.call('get_error_rates');
    const out = structuredOf(result);
    assert.equal(out.resolution_seconds, 120);
    assert.equal(out.series[0].step_seconds, 120);
    assert.equal(out.series[0].points_in_range, (END - DAY0) / 1000 + 1);
    assert.match(textOf(result), /Resolution: 2 ?min: the series were analysed as the means of 2 ?min steps/);
    assert.equal(out.earliest_rise.start, iso(STEP - 60_000)); // the 2-minute step that holds the rise
    const anomalies = structuredOf(await server.call('get_anomalies', { metric: 'errors' }));
    assert.equal(anomalies.resolution_seconds, 120);
    assert.equal(anomalies.earliest.start, iso(STEP - 60_000));
  });

  it('looks at minutes when asked (step_seconds), and at the stored seconds in a short window', async function () {
    const closer = structuredOf(await server.call('get_error_rates', { since: iso(STEP - 7_200_000), until: iso(STEP + 3_600_000), step_seconds: 60 }));
    assert.equal(closer.resolution_seconds, 60);
    assert.equal(closer.earliest_rise.start, iso(STEP));
    const seconds = structuredOf(await server.call('get_error_rates', { since: iso(BLIP - 600_000), until: iso(BLIP + 600_000) }));
    assert.equal(seconds.resolution_seconds, 1);
    assert.equal(seconds.series[0].step_seconds, undefined);
  });

  it('the analyst zooms in only when the onset was found at a resolution coarser than a minute', async function () {
    const calls: Array<{ tool: string; args: Record<string, unknown> }> = [];
    const coarse = await findOnset(toolsOf(server, calls), {});
    assert.equal(coarse.onset, iso(STEP));
    assert.equal(coarse.zoom?.coarseOnset, iso(STEP - 60_000));
    assert.equal(coarse.zoom?.coarseResolutionSeconds, 120);
    assert.deepEqual(
      calls.filter((c) => c.args.step_seconds !== undefined).map((c) => [c.tool, c.args]),
      ['get_error_rates', 'get_anomalies'].map((tool) => [tool, { since: iso(STEP - 60_000 - 7_200_000), until: iso(STEP - 60_000 + 3_600_000), step_seconds: 60 }]),
    );

    // A window of two hours is read at 5-second steps: fine enough, so no second look; the one-minute blip is 12
    // points there but not 3 minutes, so it is not sustained, and the onset is the rise.
    calls.length = 0;
    const fine = await findOnset(toolsOf(server, calls), { since: iso(BLIP - 3_600_000), until: iso(BLIP + 3_600_000) });
    assert.equal(fine.zoom, undefined);
    assert.equal(calls.length, 2);
    assert.ok(calls.every((c) => c.args.step_seconds === undefined));
    assert.equal(fine.onset, iso(STEP));
  });
});
