// The MCP conformance runner's client scenarios against the engine's client manager (test/conformance/client.ts).
// The client is bundled once so each scenario starts in a fraction of a second; the scenarios run side by side,
// results go to a temporary folder, and a failure not listed in client-expected-failures.yml fails the test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../support/servers';

const runner = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const baseline = path.join(__dirname, 'client-expected-failures.yml');

/** Scenarios run one by one; the auth suite runs as one batch (the runner parallelises it itself). */
const SCENARIOS = [
  'initialize',
  'tools_call',
  'elicitation-sep1034-client-defaults',
  'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/client-credentials-basic',
  'auth/client-credentials-jwt',
];

interface RunnerResult {
  code: number | null;
  output: string;
}

function runConformance(args: string[], outDir: string): Promise<RunnerResult> {
  return new Promise((resolve) => {
    // --timeout: the runner's limit per client (30 s by default) is tight on a busy machine.
    execFile(process.execPath, [runner, 'client', ...args, '--timeout', '60000', '--expected-failures', baseline, '-o', outDir], { cwd: repoRoot, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** The summary lines of a run, not the hundreds of request logs: enough to see which scenario broke. */
function summary(output: string): string {
  return output
    .split('\n')
    .filter((line) => /✓|✗|~|FAILURE|Unexpected|Stale|Baseline|not ready|OVERALL/.test(line))
    .join('\n');
}

describe('MCP client conformance (engine client manager)', function () {
  this.timeout(180_000);
  let work: string;
  let command: string;
  const results = new Map<string, Promise<RunnerResult>>();

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-conformance-'));
    const bundle = path.join(work, 'client.cjs');
    await build({ entryPoints: [path.join(__dirname, 'client.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning' });
    command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)}`;
    // Each run starts its own servers and clients: the auth suite (fifteen at once) first, then the other
    // scenarios three at a time, so a two-core machine is not asked for more than it can do in time.
    const auth = runConformance(['--command', command, '--suite', 'auth'], path.join(work, 'auth'));
    results.set('auth', auth);
    const slots = [auth.then(() => {}), auth.then(() => {}), auth.then(() => {})];
    SCENARIOS.forEach((scenario, i) => {
      const run = slots[i % slots.length]!.then(() => runConformance(['--command', command, '--scenario', scenario], path.join(work, scenario.replace('/', '-'))));
      slots[i % slots.length] = run.then(() => {});
      results.set(scenario, run);
    });
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('the auth suite passes, apart from the expected failures', async () => {
    const { code, output } = await results.get('auth')!;
    assert.equal(code, 0, summary(output));
    assert.match(output, /Baseline check passed|OVERALL: PASSED/);
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario} passes, or fails as expected`, async () => {
      const { code, output } = await results.get(scenario)!;
      assert.equal(code, 0, summary(output));
    });
  }

  // sse-retry checks that the reconnect waits the server's `retry` (500 ms) within 200 ms: it runs alone, once
  // the others are done, and gets a second try, as a busy two-core machine can be late by more than that.
  it('sse-retry passes (run alone: it measures time)', async function () {
    this.retries(1);
    await Promise.all(results.values());
    const { code, output } = await runConformance(['--command', command, '--scenario', 'sse-retry'], path.join(work, `sse-retry-${Date.now()}`));
    assert.equal(code, 0, summary(output));
  });
});
