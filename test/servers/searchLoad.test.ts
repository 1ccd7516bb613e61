// search_logs under load: many regex searches at once run a few at a time (one per CPU) instead of all at once, so
// none is taken for catastrophic backtracking while it only waits for a CPU; a call the client abandons stops its
// worker at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

/** CPU time used so far by a process (all its threads), in clock ticks. */
function cpuTicksOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

describe('search_logs under load', function () {
  this.timeout(180_000);
  let tmp: string;
  let server: RunningServer;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'search-load-'));
    const lines = Array.from({ length: 60_000 }, (_, i) => `2026-02-17 14:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:00 INFO [api] request ${i} served user=u${i % 977} path=/api/items/${i % 311} in ${i % 97}ms`);
    fs.writeFileSync(path.join(tmp, 'app.log'), `${lines.join('\n')}\n${'a'.repeat(40)}!\n`);
    server = await startServer('logs', ['--logs', tmp]);
  });
  after(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('40 harmless regex searches at once all answer; none is reported as backtracking', async () => {
    const calls = Array.from({ length: 40 }, (_, i) =>
      server.client.callTool({ name: 'search_logs', arguments: { pattern: `user=u${i}\\d* path=/api/items/\\d+ in (\\d+)ms`, regex: true, max_results: 5 } }, CallToolResultSchema, { timeout: 170_000 }),
    );
    const answers = await Promise.all(calls);
    const failed = answers.filter((a) => a.isError).map((a) => textOf(a as never).split('\n')[0]);
    assert.deepEqual(failed, []);
    for (const a of answers) assert.ok(structuredOf(a as never).total > 0);
  });

  it('a search the client gives up on stops its worker at once, not at the watchdog', async () => {
    const pid = server.pid!;
    await assert.rejects(
      server.client.callTool({ name: 'search_logs', arguments: { pattern: '(a+)+$', regex: true } }, CallToolResultSchema, { timeout: 700 }),
      /timed out/i,
    );
    await new Promise((r) => setTimeout(r, 300));
    const from = cpuTicksOf(pid);
    await new Promise((r) => setTimeout(r, 1500)); // well inside the 5 s watchdog
    const spent = cpuTicksOf(pid) - from; // a runaway regex would burn about 150 ticks (a whole CPU)
    assert.ok(spent < 40, `the server used ${spent} ticks of CPU in the 1.5 s after the client gave up`);
    const next = await server.call('search_logs', { pattern: 'request 59999 served', max_results: 1 });
    assert.equal(structuredOf(next).matches.length, 1, 'the server goes on');
  });
});
