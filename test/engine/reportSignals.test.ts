// The data behind the panel's chart and template bars, asked of the real servers after a real analysis.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisSession } from '../../src/extension/analysisSession.js';
import { reportSignals } from '../../src/extension/panel/reportSignals.js';
import { RunStore } from '../../src/extension/runStore.js';
import { serverSetup } from '../../src/extension/serverSetup.js';
import { readSettings } from '../../src/extension/settings.js';
import type { Report } from '../../src/engine/report/schema.js';
import { fixturesDir, repoRoot } from '../support/servers.js';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('the signals behind a report (chart and template bars)', function () {
  this.timeout(60_000);
  let storage: string;
  let session: AnalysisSession;
  let report: Report;

  before(async () => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'signals-'));
    session = new AnalysisSession(new RunStore(storage), {});
    const settings = { ...readSettings((_k, f) => f), repository: 'repo' };
    const workspace = path.join(fixturesDir, 'checkout-500');
    await session.configure(serverSetup({ settings, workspace, serversDir: path.join(repoRoot, 'dist', 'servers'), nodePath: process.execPath, env: process.env, trusted: true }), settings);
    const { run } = await session.analyze({ incident: '500 errors on checkout API' });
    report = run.report!;
  });
  after(async () => {
    await session?.dispose();
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it("charts every cited metric around the onset, with the report's cited points, deployment and onset", async () => {
    const signals = (await reportSignals(report, (name, args) => session.callTool(name, args)))!;
    assert.equal(signals.onset, at('2026-02-17T14:45:00Z'));
    assert.deepEqual(signals.deployments, [{ t: at('2026-02-17T14:25:00Z'), label: 'v2.14.0' }]);
    const cited = report.evidence.filter((e) => e.kind === 'metric');
    assert.deepEqual(signals.series.map((s) => s.metric).sort(), [...new Set(cited.map((e) => e.metric!))].sort());
    for (const series of signals.series) {
      assert.ok(series.points.length >= 20, `${series.metric}: ${series.points.length} points`);
      assert.ok(series.points[0]![0] <= signals.from + 5 * 60 && series.points.at(-1)![0] >= signals.to - 5 * 60, 'the points span the window');
      for (const point of series.cited) {
        const evidence = cited.find((e) => e.id === point.id)!;
        assert.deepEqual([point.t, point.value], [at(evidence.timestamp!), evidence.value]);
        assert.ok(point.t >= signals.from && point.t <= signals.to);
      }
    }
  });

  it('lists the log templates new or spiking since the onset, against as long a time before it', async () => {
    const { templates } = (await reportSignals(report, (name, args) => session.callTool(name, args)))!;
    const timeout = templates.find((t) => t.template.includes('[db] timeout acquiring connection'));
    assert.deepEqual([timeout?.trend, timeout?.baselineCount, timeout?.example?.file], ['new', 0, 'logs/api.log']);
    assert.ok(templates.every((t) => t.trend === 'new' || t.trend === 'spiking'));
    assert.ok(templates.length <= 8);
  });

  it('a report with no time gives no chart; a server that fails leaves its part out', async () => {
    const timeless: Report = { ...report, rootCause: { ...report.rootCause, onset: null }, evidence: report.evidence.filter((e) => e.kind === 'log'), timeline: [] };
    assert.equal(await reportSignals(timeless, (name, args) => session.callTool(name, args)), undefined);
    const failing = await reportSignals(report, (name, args) => (name === 'get_metrics' ? Promise.reject(new Error('metrics server down')) : session.callTool(name, args)));
    assert.deepEqual(failing?.series, []);
    assert.ok(failing.templates.length > 0, 'the template bars still come');
  });
});
