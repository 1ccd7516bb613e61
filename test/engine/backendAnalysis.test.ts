// The whole analysis with its data where teams keep it: each fixture's metrics backfilled into a real Prometheus and
// its logs pushed into a real Grafana Loki (both started here on loopback), the repository on disk. The built-in
// analyst must reach the same culprit, category and onset as from the files, and every citation must be verified
// through the servers that read the backends (a Loki line by its stream and nanosecond time).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BuiltinAnalyst } from '../../src/engine/analysts/builtin';
import { runAnalysis, type RunResult } from '../../src/engine/analysis/run';
import { buildServerList } from '../../src/engine/config/serverList';
import type { DataSources } from '../../src/engine/config/workspaceDefaults';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import { scenarios, type Scenario } from '../support/fixtureRun';
import { lokiBinaryOrSkip, startLoki, type RunningLoki } from '../support/loki';
import { openMetricsFromFixture, readFixtureRows } from '../support/openMetricsFromFixture';
import { prometheusOrSkip, removePrometheusData, startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { pushFixtureToLoki } from '../support/pushFixtureToLoki';
import { repoRoot } from '../support/servers';

async function analyse(scenario: Scenario, sources: Partial<DataSources>): Promise<RunResult> {
  const { servers, skipped } = buildServerList({
    sources: { workspace: scenario.dir, repo: path.join(scenario.dir, 'repo'), ...sources },
    serversDir: path.join(repoRoot, 'dist', 'servers'),
  });
  const manager = new McpClientManager(servers);
  try {
    return await runAnalysis({ incident: scenario.incident, window: scenario.window, analyst: new BuiltinAnalyst(), manager, skippedServers: skipped });
  } finally {
    await manager.stop();
  }
}

function finding(result: RunResult) {
  assert.equal(result.outcome, 'report', JSON.stringify(result.error));
  const { rootCause } = result.report!;
  return { suspectCommit: rootCause.suspectCommit, category: rootCause.category, onset: rootCause.onset };
}

describe('an analysis served from Prometheus and Loki', function () {
  this.timeout(240_000);
  // The four scenarios the backends were built against: each starts its own Prometheus and Loki, which costs a
  // minute, so the later fixtures (files only) are not repeated here.
  const BACKEND_SCENARIOS = ['checkout-500', 'orders-disk-full', 'payments-upstream-outage', 'search-memory-leak'];
  const fixtures = scenarios().filter((s) => BACKEND_SCENARIOS.includes(s.name));

  for (const scenario of fixtures) {
    describe(scenario.name, () => {
      let prometheus: RunningPrometheus | undefined;
      let loki: RunningLoki | undefined;

      before(async function () {
        const binaries = prometheusOrSkip(this);
        const lokiBinary = lokiBinaryOrSkip(this);
        prometheus = await startPrometheus(binaries, openMetricsFromFixture(readFixtureRows(path.join(scenario.dir, 'metrics.json'))));
        loki = await startLoki(lokiBinary);
        await pushFixtureToLoki(loki.url, path.join(scenario.dir, 'logs'));
      });
      after(async () => {
        await loki?.stop();
        if (prometheus) {
          await prometheus.stop();
          removePrometheusData(prometheus);
        }
      });

      it('gives the culprit, category and onset the files give, every citation verified in the backends', async () => {
        const fromFiles = await analyse(scenario, {});
        const fromBackends = await analyse(scenario, { prometheus: { url: prometheus!.url }, loki: { url: loki!.url } });
        assert.deepEqual(finding(fromBackends), finding(fromFiles));

        const report = fromBackends.report!;
        const unverified = report.evidence.filter((e) => !e.verified);
        assert.deepEqual(unverified, [], 'every citation re-read from Prometheus and Loki');
        const logs = report.evidence.filter((e) => e.kind === 'log');
        assert.ok(logs.length > 0, 'log lines are cited');
        for (const e of logs) {
          assert.match(e.file!, /^\{.*filename=".*"\}$/, 'a Loki stream');
          assert.match(e.timeNs!, /^\d{19}$/, 'by its nanosecond time');
          assert.equal(e.line, undefined);
        }
        assert.ok(report.evidence.some((e) => e.kind === 'metric'), 'metric points are cited');
        assert.equal(report.toolCalls.filter((c) => c.isError).length, 0, JSON.stringify(report.toolCalls.filter((c) => c.isError)));
        assert.match(fromBackends.markdown!, /filename=.* @ 20\d\d-/);
      });
    });
  }
});
