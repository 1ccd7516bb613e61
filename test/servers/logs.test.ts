import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ripgrepOrSkip } from '../support/ripgrep';
import { repoRoot, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

/** A small incident: quiet INFO traffic from 14:00, pool errors from 14:45, a stack trace, other formats. */
function writeLogs(dir: string): void {
  const app: string[] = [];
  for (let m = 0; m < 45; m++) {
    const mm = String(m).padStart(2, '0');
    app.push(`2026-02-17 14:${mm}:01 INFO [api] POST /api/checkout 200 in ${40 + m}ms order=${1000 + m}`);
    app.push(`2026-02-17 14:${mm}:30 DEBUG [db] pool stats active=${m % 5} idle=15 max=20`);
  }
  app.push('2026-02-17 14:30:00 WARN [cache] redis latency high: 180ms'); // out of order on purpose? no: appended later
  app.pop();
  for (let m = 45; m < 50; m++) {
    app.push(`2026-02-17 14:${m}:05 ERROR [db] timeout acquiring connection from pool after 1000ms (active=5 max=5)`);
    app.push(`2026-02-17 14:${m}:06 ERROR [api] POST /api/checkout 500 connection pool exhausted`);
    app.push('Error: connection pool exhausted');
    app.push('    at Pool.acquire (src/db/pool.js:88:11)');
  }
  fs.writeFileSync(path.join(dir, 'app.log'), app.join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'access.log'),
    [
      '10.0.0.7 - - [17/Feb/2026:14:44:59 +0000] "POST /api/checkout HTTP/1.1" 200 512 "-" "k6"',
      '10.0.0.7 - - [17/Feb/2026:14:45:06 +0000] "POST /api/checkout HTTP/1.1" 500 87 "-" "k6"',
    ].join('\n') + '\n',
  );
  fs.writeFileSync(
    path.join(dir, 'worker.jsonl'),
    [
      '{"ts":"2026-02-17T14:44:00Z","level":"info","msg":"job done","job":"email"}',
      '{"ts":"2026-02-17T14:46:00Z","level":"error","msg":"job failed: connection pool exhausted","job":"email"}',
    ].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(dir, 'syslog'), 'Feb 17 14:45:10 web-1 checkout[311]: ERROR connection pool exhausted\n');
  fs.writeFileSync(path.join(dir, 'blob.log'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10]));
  fs.writeFileSync(path.join(dir, 'wide.log'), `2026-02-17 14:45:00 INFO ${'x'.repeat(200_000)} END\nnext line\n`);
  fs.writeFileSync(path.join(dir, 'regex-bomb.log'), `${'a'.repeat(40)}!\n`);
  fs.writeFileSync(path.join(dir, 'notes.md'), 'not a log by name\n');
}

describe('logs server (real process over stdio)', function () {
  let tmp: string;
  let logsDir: string;
  let server: RunningServer;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-logs-'));
    logsDir = path.join(tmp, 'logs');
    fs.mkdirSync(logsDir);
    writeLogs(logsDir);
    fs.writeFileSync(path.join(tmp, 'secret.log'), 'password=hunter2\n');
    fs.symlinkSync(path.join(tmp, 'secret.log'), path.join(logsDir, 'escape.log'));
    server = await startServer('logs', ['--logs', logsDir]);
  });

  after(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists its tools, each with described inputs, an output schema and read-only annotations', async () => {
    const { tools } = await server.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['list_log_files', 'log_histogram', 'log_patterns', 'read_logs', 'search_logs']);
    for (const tool of tools) {
      assert.ok(tool.description && tool.description.length > 40, `${tool.name} has a description`);
      assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name} is read-only`);
      assert.ok(tool.outputSchema, `${tool.name} has an outputSchema`);
      for (const [name, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        assert.ok((schema as { description?: string }).description, `${tool.name}.${name} is described`);
      }
    }
  });

  it('lists log files with format and time span, leaving out non-logs and links out of the root', async () => {
    const result = structuredOf(await server.call('list_log_files'));
    const byName = Object.fromEntries(result.files.map((f: { file: string }) => [f.file, f]));
    assert.deepEqual(Object.keys(byName).sort(), [
      'access.log', 'app.log', 'blob.log', 'regex-bomb.log', 'syslog', 'wide.log', 'worker.jsonl',
    ]);
    assert.equal(byName['app.log'].format, 'timestamped');
    assert.equal(byName['app.log'].firstTime, '2026-02-17T14:00:01Z');
    assert.equal(byName['app.log'].lastTime, '2026-02-17T14:49:06Z');
    assert.equal(byName['access.log'].format, 'access');
    assert.equal(byName['worker.jsonl'].format, 'json');
    assert.equal(byName['syslog'].format, 'syslog');
    assert.equal(byName['syslog'].firstTime, '2026-02-17T14:45:10Z', 'syslog takes its year from the other files');
    assert.equal(byName['blob.log'].format, 'binary');
  });

  it('reads numbered lines and pages through a file', async () => {
    const first = await server.call('read_logs', { file: 'app.log', offset: 91, limit: 3 });
    const page = structuredOf(first);
    assert.deepEqual(
      page.lines.map((l: { line: number }) => l.line),
      [91, 92, 93],
    );
    assert.equal(page.lines[0].text, '2026-02-17 14:45:05 ERROR [db] timeout acquiring connection from pool after 1000ms (active=5 max=5)');
    assert.equal(page.nextOffset, 94);
    assert.match(textOf(first), /^91: 2026-02-17 14:45:05 ERROR/m);
    assert.match(textOf(first), /offset=94/);
    const last = structuredOf(await server.call('read_logs', { file: 'app.log', offset: 109, limit: 50 }));
    assert.equal(last.endOfFile, true);
    assert.equal(last.nextOffset, null);
    assert.equal(last.lines.length, 2);
  });

  it('cuts a very long line and says so', async () => {
    const page = structuredOf(await server.call('read_logs', { file: 'wide.log' }));
    assert.ok(page.lines[0].text.length < 600);
    assert.match(page.lines[0].text, /\(\+\d+ chars\)$/);
    assert.equal(page.lines[1].text, 'next line');
  });

  it('searches literally and case-insensitively, returning file:line with times', async () => {
    const result = await server.call('search_logs', { pattern: 'CONNECTION POOL EXHAUSTED', file: 'app.log' });
    const found = structuredOf(result);
    assert.equal(found.total, 10);
    assert.equal(found.totalIsExact, true);
    assert.deepEqual(found.matches[0], {
      file: 'app.log',
      line: 92,
      text: '2026-02-17 14:45:06 ERROR [api] POST /api/checkout 500 connection pool exhausted',
      time: '2026-02-17T14:45:06Z',
      level: 'error',
    });
    assert.match(textOf(result), /^app\.log:92: 2026-02-17 14:45:06 ERROR/m);
  });

  it('treats regex characters literally unless regex is true', async () => {
    const literal = structuredOf(await server.call('search_logs', { pattern: '[db] timeout', file: 'app.log' }));
    assert.equal(literal.total, 5);
    const regex = structuredOf(await server.call('search_logs', { pattern: 'after \\d{4}ms', regex: true, file: 'app.log' }));
    assert.equal(regex.total, 5);
    assert.equal(regex.matches[0].line, 91);
  });

  it('filters by level (continuation lines belong to their record) and by time window, across formats', async () => {
    const errors = structuredOf(await server.call('search_logs', { pattern: 'pool', level: 'error', max_results: 100 }));
    const where = errors.matches.map((m: { file: string; line: number }) => `${m.file}:${m.line}`);
    assert.ok(where.includes('app.log:93'), 'the "Error:" continuation line of an ERROR record is kept');
    assert.ok(!where.some((w: string) => w.startsWith('app.log:') && Number(w.split(':')[1]) < 91), 'DEBUG pool stats are left out');
    assert.ok(where.includes('worker.jsonl:2'));
    assert.ok(where.includes('syslog:1'));

    const windowed = structuredOf(
      await server.call('search_logs', { pattern: 'checkout', since: '2026-02-17T14:44:30Z', until: '2026-02-17 14:45:30' }),
    );
    assert.deepEqual(
      windowed.matches.map((m: { file: string; line: number }) => `${m.file}:${m.line}`),
      ['access.log:1', 'access.log:2', 'app.log:92', 'syslog:1'],
    );
  });

  it('shows context lines around a match', async () => {
    const found = structuredOf(await server.call('search_logs', { pattern: 'Pool.acquire', file: 'app.log', context: 2, max_results: 1 }));
    const m = found.matches[0];
    assert.equal(m.line, 94);
    assert.deepEqual(m.before.map((c: { line: number }) => c.line), [92, 93]);
    assert.deepEqual(m.after.map((c: { line: number }) => c.line), [95, 96]);
  });

  it('pages search results and says how many were left out', async () => {
    const first = await server.call('search_logs', { pattern: 'POST /api/checkout 200', file: 'app.log', max_results: 10 });
    const page = structuredOf(first);
    assert.equal(page.total, 45);
    assert.equal(page.matches.length, 10);
    assert.equal(page.nextOffset, 10);
    assert.match(textOf(first), /offset=10/);
    const next = structuredOf(
      await server.call('search_logs', { pattern: 'POST /api/checkout 200', file: 'app.log', max_results: 10, offset: 40 }),
    );
    assert.deepEqual(next.matches.map((m: { line: number }) => m.line), [81, 83, 85, 87, 89]);
    assert.equal(next.nextOffset, null);
  });

  it('does not search binary files, and names them', async () => {
    const all = await server.call('search_logs', { pattern: 'PK' });
    assert.deepEqual(structuredOf(all).skippedBinary, ['blob.log']);
    assert.match(textOf(all), /not searched, binary: blob\.log/);
    assert.ok(!structuredOf(all).matches.some((m: { file: string }) => m.file === 'blob.log'));
  });

  it('stops at the page when asked not to count, saying there are more', async () => {
    const quick = await server.call('search_logs', { pattern: 'POST /api/checkout 200', file: 'app.log', max_results: 10, count: false });
    const page = structuredOf(quick);
    assert.equal(page.matches.length, 10);
    assert.equal(page.totalIsExact, false);
    assert.equal(page.nextOffset, 10);
    assert.match(textOf(quick), /at least 11 \(not counted further\)/);
  });

  describe('search engines', () => {
    const ask = { pattern: 'connection pool exhausted', level: 'error', context: 1, max_results: 100 };

    it('searches literal text with ripgrep when one is on PATH, regexes with JavaScript, and both agree', async function () {
      ripgrepOrSkip(this);
      const withRg = structuredOf(await server.call('search_logs', ask));
      assert.equal(withRg.engine, 'ripgrep');
      assert.match(server.stderr(), /literal searches: ripgrep \//);
      const regex = structuredOf(await server.call('search_logs', { ...ask, pattern: 'connection pool exhausted', regex: true }));
      assert.equal(regex.engine, 'javascript');
      const jsOnly = await startServer('logs', ['--logs', logsDir, '--ripgrep', 'off']);
      try {
        const withJs = structuredOf(await jsOnly.call('search_logs', ask));
        assert.equal(withJs.engine, 'javascript');
        assert.match(jsOnly.stderr(), /literal searches: JavaScript \(ripgrep turned off\)/);
        assert.deepEqual({ ...withJs, engine: 'x' }, { ...withRg, engine: 'x' });
        assert.ok(withRg.total >= 8, `found ${withRg.total}`);
      } finally {
        await jsOnly.close();
      }
    });

    describe('lines longer than 64 KB', () => {
      let dir: string;
      /** The search_logs answer on a 200 KB line holding the text only after 100 KB, between normal lines. */
      const askLongLines = async (extra: string[]) => {
        const s = await startServer('logs', ['--logs', dir, ...extra]);
        try {
          const result = await s.call('search_logs', { pattern: 'deadlock detected' });
          return { result, found: structuredOf(result), regex: await s.call('search_logs', { pattern: 'dead.ock', regex: true }) };
        } finally {
          await s.close();
        }
      };

      before(() => {
        dir = path.join(tmp, 'long-lines');
        fs.mkdirSync(dir);
        fs.writeFileSync(
          path.join(dir, 'long.log'),
          [
            '2026-02-17 14:44:00 INFO [api] request ok',
            '2026-02-17 14:44:30 ERROR [db] deadlock detected on orders',
            `2026-02-17 14:45:00 ERROR [api] payload ${'x'.repeat(100 * 1024)} deadlock detected ${'y'.repeat(100 * 1024)}`,
            '2026-02-17 14:45:30 INFO [api] request ok',
          ].join('\n') + '\n',
        );
      });

      it('the answer names a line that holds the text only past its first 64 KB (JavaScript)', async () => {
        const { result, found, regex } = await askLongLines(['--ripgrep', 'off']);
        assert.equal(found.engine, 'javascript');
        assert.deepEqual(found.matches.map((m: { line: number }) => m.line), [2], 'the text past 64 KB is not searched');
        assert.deepEqual(found.partlySearched, { count: 1, lines: [{ file: 'long.log', line: 3 }], rest: 'holds-match' });
        assert.match(textOf(result), /1 line\(s\) longer than 64 KB hold "deadlock detected" only past their first 64 KB.*: long\.log:3\. read_logs/);
        // A regex cannot be run past 64 KB: every long line without a match in its first 64 KB is named.
        assert.deepEqual(structuredOf(regex).partlySearched, { count: 1, lines: [{ file: 'long.log', line: 3 }], rest: 'not-searched' });
        assert.match(textOf(regex), /not searched further .*so matches may be missing: long\.log:3/);
      });

      it('ripgrep gives the same answer as JavaScript', async function () {
        ripgrepOrSkip(this);
        const withRg = await askLongLines([]);
        const withJs = await askLongLines(['--ripgrep', 'off']);
        assert.equal(withRg.found.engine, 'ripgrep');
        assert.deepEqual({ ...withRg.found, engine: 'x' }, { ...withJs.found, engine: 'x' });
        assert.equal(textOf(withRg.result), textOf(withJs.result));
      });
    });

    it('a ripgrep that fails is set aside for that search, and the answer comes from JavaScript', async () => {
      const fakeRg = path.join(tmp, 'broken-rg');
      fs.writeFileSync(fakeRg, '#!/bin/sh\necho "rg: something went wrong" >&2\nexit 2\n', { mode: 0o755 });
      const broken = await startServer('logs', ['--logs', logsDir, '--ripgrep', fakeRg]);
      try {
        const result = structuredOf(await broken.call('search_logs', ask));
        assert.equal(result.engine, 'javascript');
        assert.ok(result.total >= 8);
        assert.match(broken.stderr(), /ripgrep failed: rg: something went wrong; searching with JavaScript/);
      } finally {
        await broken.close();
      }
    });

    it('a ripgrep path that is not a program is reported at start-up, and searches still work', async () => {
      const notAProgram = path.join(tmp, 'not-rg.txt');
      fs.writeFileSync(notAProgram, 'text');
      const odd = await startServer('logs', ['--logs', logsDir, '--ripgrep', notAProgram], { PATH: '/nonexistent' });
      try {
        const result = structuredOf(await odd.call('search_logs', ask));
        assert.equal(result.engine, 'javascript');
        assert.match(odd.stderr(), /not-rg\.txt is not an executable file and no rg is on PATH/);
      } finally {
        await odd.close();
      }
    });
  });

  it('mines templates and marks the ones that are new in the window, with example lines', async () => {
    const result = await server.call('log_patterns', { file: 'app.log', since: '2026-02-17T14:45:00Z' });
    const patterns = structuredOf(result);
    const fresh = patterns.templates.filter((t: { trend: string }) => t.trend === 'new');
    assert.equal(fresh.length, 2, textOf(result));
    const timeout = fresh.find((t: { template: string }) => t.template.includes('timeout acquiring connection'));
    assert.ok(timeout, textOf(result));
    assert.equal(timeout.count, 5);
    assert.equal(timeout.level, 'error');
    assert.equal(timeout.firstTime, '2026-02-17T14:45:05Z');
    assert.equal(timeout.lastTime, '2026-02-17T14:49:05Z');
    assert.deepEqual(timeout.examples[0], { file: 'app.log', line: 91 });
    assert.ok(!timeout.template.includes('1000ms'), 'durations are masked');
    const gone = patterns.templates.filter((t: { trend: string }) => t.trend === 'gone');
    assert.ok(gone.length >= 1, 'templates that stopped appearing are reported as gone');
    assert.equal(patterns.linesInBaseline, 90);
    assert.match(textOf(result), /\[NEW\] ERROR x5/);
  });

  it('counts records per minute, each bucket citing its first line', async () => {
    const result = await server.call('log_histogram', { file: 'app.log', level: 'error', bucket_minutes: 1 });
    const histogram = structuredOf(result);
    assert.equal(histogram.total, 10, 'continuation lines are not counted as records');
    assert.deepEqual(
      histogram.buckets.map((b: { start: string; count: number }) => [b.start, b.count]),
      ['45', '46', '47', '48', '49'].map((m) => [`2026-02-17T14:${m}:00Z`, 2]),
    );
    assert.deepEqual(histogram.buckets[0].first, { file: 'app.log', line: 91 });
    const all = structuredOf(await server.call('log_histogram', { pattern: 'checkout', file: 'app.log' }));
    assert.equal(all.bucketMinutes, 1);
    assert.equal(all.total, 50);
  });

  describe('bad input: a clear error, and the server answers the next call', () => {
    const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
      ['a missing file', 'read_logs', { file: 'nope.log' }, /no log file "nope\.log".*Known files/],
      ['a traversal', 'read_logs', { file: '../secret.log' }, /outside the log folders/],
      ['an absolute path elsewhere', 'read_logs', { file: '/etc/passwd' }, /outside the log folders/],
      ['a symlink out of the root', 'read_logs', { file: 'escape.log' }, /not one of the log files/],
      ['a NUL byte', 'search_logs', { pattern: 'x', file: 'app.log\u0000.txt' }, /NUL/],
      ['a file that is not a log by name', 'read_logs', { file: 'notes.md' }, /not one of the log files/],
      ['a binary file', 'read_logs', { file: 'blob.log' }, /binary/],
      ['a binary file to search', 'search_logs', { pattern: 'PK', file: 'blob.log' }, /binary file, not a log/],
      ['an offset past the end', 'read_logs', { file: 'access.log', offset: 50 }, /has only 2 line/],
      ['an invalid regex', 'search_logs', { pattern: '(unclosed', regex: true }, /invalid regex/],
      ['an unreadable time', 'search_logs', { pattern: 'x', since: 'yesterday-ish' }, /ISO-8601/],
      ['a backwards window', 'log_patterns', { since: '2026-02-17T15:00:00Z', until: '2026-02-17T14:00:00Z' }, /after until/],
      ['an empty window', 'log_patterns', { since: '2030-01-01T00:00:00Z' }, /no log lines fall in that window/],
      ['a wrong argument type', 'read_logs', { file: 'app.log', limit: 'many' }, /limit/],
    ];
    for (const [what, tool, args, message] of cases) {
      it(`${what}`, async () => {
        const result = await server.call(tool, args);
        assert.equal(result.isError, true, textOf(result));
        assert.match(textOf(result), message);
        assert.ok(!textOf(result).includes('hunter2'));
        const next = await server.call('read_logs', { file: 'access.log', limit: 1 });
        assert.equal(next.isError, undefined);
      });
    }

    it('a regex that backtracks catastrophically is stopped, not left to hang the server', async function () {
      this.timeout(20_000);
      const started = Date.now();
      const pending = server.call('search_logs', { pattern: '^(a+)+$', regex: true, file: 'regex-bomb.log' });
      // While the runaway regex is being watched, the server still answers other calls.
      const meanwhile = await server.call('read_logs', { file: 'access.log', limit: 1 });
      assert.equal(meanwhile.isError, undefined);
      const result = await pending;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /catastrophic backtracking/);
      assert.ok(Date.now() - started < 15_000);
      const next = await server.call('search_logs', { pattern: 'a+!', regex: true, file: 'regex-bomb.log' });
      assert.equal(structuredOf(next).total, 1);
    });
  });

  describe('start-up', () => {
    const logsJs = path.join(repoRoot, 'dist', 'servers', 'logs.js');

    it('without --logs: exits 2 and says what to pass', () => {
      const run = spawnSync(process.execPath, [logsJs], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /pass --logs/);
      assert.equal(run.stdout, '', 'nothing but protocol on stdout');
    });

    it('with a location that does not exist: exits 2 and names it', () => {
      const run = spawnSync(process.execPath, [logsJs, '--logs', '/no/such/dir'], { encoding: 'utf8' });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /"\/no\/such\/dir" does not exist/);
    });

    it('takes its location from INCIDENT_LOGS and accepts a glob', async () => {
      const viaEnv = await startServer('logs', [], { INCIDENT_LOGS: path.join(logsDir, '*.jsonl') });
      try {
        const listed = structuredOf(await viaEnv.call('list_log_files'));
        assert.deepEqual(listed.files.map((f: { file: string }) => f.file), ['worker.jsonl']);
        const outside = await viaEnv.call('read_logs', { file: 'app.log' });
        assert.equal(outside.isError, true, 'files outside the glob are refused');
      } finally {
        await viaEnv.close();
      }
    });
  });
});

describe('logs server on the checkout-500 fixture', function () {
  const logsDir = path.join(repoRoot, 'fixtures', 'checkout-500', 'logs');
  let server: RunningServer;

  before(async function () {
    if (!fs.existsSync(logsDir)) this.skip();
    server = await startServer('logs', ['--logs', logsDir]);
  });
  after(async () => server?.close());

  it('finds the pool-exhaustion errors starting at the onset, each citing a line that says it', async () => {
    const found = structuredOf(await server.call('search_logs', { pattern: 'pool exhausted', max_results: 5 }));
    assert.ok(found.total > 50, `many pool errors (${found.total})`);
    for (const m of found.matches) {
      const page = structuredOf(await server.call('read_logs', { file: m.file, offset: m.line, limit: 1 }));
      assert.equal(page.lines[0].text, m.text, 'the cited line says what the match quotes');
    }
    const before = structuredOf(await server.call('search_logs', { pattern: 'pool exhausted', until: '2026-02-17T14:44:00Z' }));
    assert.equal(before.total, 0, 'no pool exhaustion before the onset');
  });

  it('shows the pool errors as new templates after 14:45', async () => {
    const patterns = structuredOf(
      await server.call('log_patterns', { since: '2026-02-17T14:45:00Z', level: 'error', max_templates: 10 }),
    );
    const fresh = patterns.templates.filter((t: { trend: string }) => t.trend === 'new' || t.trend === 'spiking');
    assert.ok(fresh.some((t: { template: string }) => /pool/i.test(t.template)), JSON.stringify(fresh, null, 1));
  });
});
