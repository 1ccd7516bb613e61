// 200 calls at once on each server, all valid: every one must get its real answer (no "No commit", no false
// "catastrophic backtracking", no timeout) and each server's peak memory stays bounded.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { fixturesDir, startServer, type RunningServer } from '../support/servers';

const fixture = path.join(fixturesDir, 'checkout-500');
const CALLS = 200;
const PEAK_MB = 400;

function peakMb(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

async function hammer(server: RunningServer, calls: Array<[string, Record<string, unknown>]>): Promise<string[]> {
  const answers = await Promise.all(
    calls.map(([name, args]) => server.client.callTool({ name, arguments: args }, CallToolResultSchema, { timeout: 240_000 }).then((r) => ({ name, args, r }))),
  );
  return answers.filter((a) => a.r.isError).map((a) => `${a.name} ${JSON.stringify(a.args)}: ${JSON.stringify(a.r.content).slice(0, 200)}`);
}

describe(`${CALLS} concurrent calls per server`, function () {
  this.timeout(300_000);

  it('git: every get_commit of a real commit finds it, among other calls', async () => {
    const server = await startServer('git', ['--repo', path.join(fixture, 'repo'), '--deployments', path.join(fixture, 'deployments.json')]);
    try {
      const hashes = execFileSync('git', ['log', '--format=%H'], { cwd: path.join(fixture, 'repo'), encoding: 'utf8' }).trim().split('\n');
      const calls = Array.from({ length: CALLS }, (_, i): [string, Record<string, unknown>] =>
        i % 4 === 3 ? ['search_commits', { query: 'pool' }] : i % 4 === 2 ? ['get_recent_commits', { limit: 5 }] : ['get_commit', { hash: hashes[i % hashes.length]!, max_patch_lines: 50 }],
      );
      assert.deepEqual(await hammer(server, calls), []);
      assert.ok(peakMb(server.pid!) < PEAK_MB, `git server peaked at ${Math.round(peakMb(server.pid!))} MB`);
    } finally {
      await server.close();
    }
  });

  it('logs: literal and regex searches, histograms and reads all answer', async () => {
    const server = await startServer('logs', ['--logs', path.join(fixture, 'logs')]);
    try {
      const calls = Array.from({ length: CALLS }, (_, i): [string, Record<string, unknown>] =>
        i % 4 === 0
          ? ['search_logs', { pattern: `timeout acquiring connection from pool after \\d+ms`, regex: true, max_results: 20 }]
          : i % 4 === 1
            ? ['search_logs', { pattern: 'pool', max_results: 20, context: 2 }]
            : i % 4 === 2
              ? ['log_histogram', { level: 'ERROR', bucket_minutes: 5 }]
              : ['read_logs', { file: 'api.log', offset: 1 + i, limit: 50 }],
      );
      assert.deepEqual(await hammer(server, calls), []);
      assert.ok(peakMb(server.pid!) < PEAK_MB, `logs server peaked at ${Math.round(peakMb(server.pid!))} MB`);
    } finally {
      await server.close();
    }
  });

  it('metrics: anomalies, error rates and values at a time all answer', async () => {
    const server = await startServer('metrics', ['--metrics', path.join(fixture, 'metrics.json')]);
    try {
      const calls = Array.from({ length: CALLS }, (_, i): [string, Record<string, unknown>] =>
        i % 3 === 0 ? ['get_anomalies', {}] : i % 3 === 1 ? ['get_error_rates', {}] : ['get_metric_at', { metric: 'error_rate', timestamp: '2026-02-17T15:00:00Z' }],
      );
      assert.deepEqual(await hammer(server, calls), []);
      assert.ok(peakMb(server.pid!) < PEAK_MB, `metrics server peaked at ${Math.round(peakMb(server.pid!))} MB`);
    } finally {
      await server.close();
    }
  });
});
