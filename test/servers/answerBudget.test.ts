// Every answer stays within a byte budget that it states: a legal search with many matches and wide context used
// to produce an 11 MB message, past the SDK's 10 MB limit; the client dropped the connection and took the logs
// server for dead.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANSWER_BUDGET_BYTES } from '../../mcp-servers/common/result';
import { startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

describe('answers within a byte budget', function () {
  this.timeout(60_000);
  let tmp: string;
  let server: RunningServer;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-'));
    const lines = Array.from({ length: 800 }, (_, i) => `2026-02-17 14:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} ERROR [api] needle ${i} ${'x'.repeat(700)}`);
    fs.writeFileSync(path.join(tmp, 'big.log'), `${lines.join('\n')}\n`);
    server = await startServer('logs', ['--logs', tmp]);
  });
  after(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a search of 500 matches with 10 lines of context each comes back cut to the budget, saying so, and the server goes on', async () => {
    const result = await server.call('search_logs', { pattern: 'needle', max_results: 500, context: 10 });
    assert.ok(!result.isError, textOf(result));
    const text = textOf(result);
    const structured = structuredOf(result);
    assert.ok(Buffer.byteLength(text) <= ANSWER_BUDGET_BYTES + 1000, `text is ${Buffer.byteLength(text)} bytes`);
    assert.ok(Buffer.byteLength(JSON.stringify(structured)) <= ANSWER_BUDGET_BYTES, 'structured answer within the budget');
    assert.match(text, /this answer was cut at 2 MB/);
    assert.match(text, /matches: only the first \d+ of 500 are in the structured answer/);
    assert.equal(structured.answer_cut.field, 'matches');
    assert.ok(structured.answer_cut.kept > 10 && structured.answer_cut.kept < 500);
    assert.equal(structured.matches.length, structured.answer_cut.kept);
    const after = await server.call('search_logs', { pattern: 'needle 799', max_results: 1 });
    assert.equal(structuredOf(after).matches.length, 1, 'the server is still up');
  });
});
