// A log file swapped for a link after the catalog listed it (within its cache time) must not be read through:
// the link could lead anywhere on the machine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

describe('log files swapped for links', function () {
  this.timeout(30_000);
  let tmp: string;
  let server: RunningServer;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'links-'));
    fs.mkdirSync(path.join(tmp, 'logs'));
    fs.writeFileSync(path.join(tmp, 'outside.txt'), 'TOP SECRET line one\nTOP SECRET line two\n');
    fs.writeFileSync(path.join(tmp, 'logs', 'app.log'), '2026-02-17 14:00:00 INFO [api] started\n');
    server = await startServer('logs', ['--logs', path.join(tmp, 'logs')]);
  });
  after(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('read_logs, search_logs and log_patterns refuse a file that became a link, whichever search engine runs', async () => {
    assert.equal(structuredOf(await server.call('list_log_files')).files.length, 1); // the catalog is now cached
    const log = path.join(tmp, 'logs', 'app.log');
    fs.rmSync(log);
    fs.symlinkSync(path.join(tmp, 'outside.txt'), log);
    const answers = [
      await server.call('read_logs', { file: 'app.log' }),
      await server.call('search_logs', { pattern: 'SECRET' }),
      await server.call('search_logs', { pattern: 'SEC.ET', regex: true }),
      await server.call('log_patterns', {}),
    ];
    for (const answer of answers) {
      assert.doesNotMatch(JSON.stringify(answer), /TOP SECRET/, textOf(answer));
      assert.equal(answer.isError, true, textOf(answer));
      assert.match(textOf(answer), /has become a link since the log files were listed/);
    }
  });
});
