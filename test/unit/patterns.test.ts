// The log-template miner: masking, grouping, stable ids, robustness, and the `patterns` CLI output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { PatternMiner, assignments, mineFile } from '../../mcp-servers/logs/patterns/index.js';
import { runPatternsCli } from '../../mcp-servers/logs/patternsCli.js';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Template of a line mined on its own. */
function templateOf(line: string): string {
  const miner = new PatternMiner();
  return miner.template(miner.add(line));
}

describe('PatternMiner', () => {
  describe('masks variable parts', () => {
    const cases: Array<[string, string, string]> = [
      ['numbers', 'retrying after 3 attempts of 120', 'retrying after <*> attempts of <*>'],
      ['hex', 'checksum 0x1f3a mismatch for deadbeef01', 'checksum <*> mismatch for <*>'],
      ['IPv4 and host:port', 'connect 10.0.0.12 via proxy.example.org:8080 failed', 'connect <*> via <*> failed'],
      ['paths', 'cannot open /var/log/app/12.log for reading', 'cannot open <*> for reading'],
      ['durations', 'request took 250ms (timeout 30s)', 'request took <*> (timeout <*>)'],
      ['durations inside a token', 'retry in=30s backoff=1.5s', 'retry in=<*> backoff=<*>'],
      ['UUIDs', 'job 3f2b8c1e-9d4a-4e1b-8f7a-2c6d5e4b3a21 done', 'job <*> done'],
      ['key=value values', 'pool stats size=10 idle=3 name=main', 'pool stats size=<*> idle=<*> name=main'],
      ['ids with a stem', 'deleting block blk_-6952295868487656571', 'deleting block blk_<*>'],
      ['units after numbers', 'sent 1190 bytes (1.16 KB) in 2 sec', 'sent <*> bytes <*> in <*>'],
    ];
    for (const [kind, line, expected] of cases) {
      it(kind, () => assert.equal(templateOf(line), expected));
    }

    it('timestamps, pids and levels of a header, with no configuration', () => {
      assert.equal(
        templateOf('2024-03-01T10:15:42.123Z 4121 ERROR db.Pool: connection refused'),
        '<*> ERROR db.Pool: connection refused',
      );
      assert.equal(
        templateOf('Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186'),
        '<*> LabSZ sshd[<*>]: Invalid user webmaster from <*>',
      );
      assert.equal(templateOf('[Sun Dec 04 04:47:44 2005] [notice] child init ok'), '<*> [notice] child init ok');
    });
  });

  it('groups lines of the same shape and keeps different events apart', () => {
    const miner = new PatternMiner();
    const a1 = miner.add('2024-03-01 10:00:01 INFO api.Server: request 17 served in 12ms');
    const a2 = miner.add('2024-03-01 10:00:02 INFO api.Server: request 18 served in 250ms');
    const b = miner.add('2024-03-01 10:00:03 WARN api.Server: cache miss for key 99');
    const c = miner.add('2024-03-01 10:00:04 INFO api.Server: shutting down');
    assert.equal(a1, a2);
    assert.notEqual(a1, b);
    assert.notEqual(a1, c);
    assert.notEqual(b, c);
    assert.equal(miner.templates().length, 3);
  });

  it('keeps ids stable while templates generalise', () => {
    const miner = new PatternMiner();
    const first = miner.add('Jun 14 15:16:01 host app[1]: user alice logged in from web');
    assert.equal(miner.template(first), '<*> host app[<*>]: user alice logged in from web');
    const second = miner.add('Jun 14 15:16:02 host app[2]: user bob logged in from web');
    assert.equal(second, first);
    assert.equal(miner.template(first), '<*> host app[<*>]: user <*> logged in from web');
    const third = miner.add('Jun 14 15:16:03 host app[3]: user carol logged in from web');
    assert.equal(third, first);
    assert.deepEqual(miner.templates(), [{ id: first, template: '<*> host app[<*>]: user <*> logged in from web', count: 3 }]);
  });

  it('merges messages whose variables span different numbers of tokens', () => {
    const miner = new PatternMiner();
    const a = miner.add('[10.30 16:49:07] app.exe - host.example.com:443 close, 403 bytes sent, lifetime <1 sec');
    const b = miner.add('[10.30 16:49:08] app.exe - host.example.com:443 close, 1190 bytes (1.16 KB) sent, lifetime 00:02');
    assert.equal(a, b);
  });

  it('survives a 1 MB line, binary garbage and empty lines', () => {
    const miner = new PatternMiner();
    const started = Date.now();
    const huge = 'x'.repeat(500_000) + ' ' + 'word 123 '.repeat(60_000);
    const garbage = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    for (const line of [huge, garbage, '', '   ', '\u0000\u0001\u0002', huge]) {
      const id = miner.add(line);
      assert.equal(typeof miner.template(id), 'string');
    }
    assert.equal(miner.add(''), miner.add('  '));
    assert.ok(Date.now() - started < 2000, 'pathological lines must stay cheap');
  });

  it('uses memory per template, not per line', () => {
    const miner = new PatternMiner();
    for (let i = 0; i < 20_000; i++) miner.add(`2024-01-01 00:00:${i % 60} INFO job ${i} finished in ${i % 97}ms`);
    assert.equal(miner.templates().length, 1);
    assert.equal(miner.templates()[0]!.count, 20_000);
  });
});

describe('patterns CLI', () => {
  let dir: string;
  let logFile: string;
  const lines = [
    'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
    'Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186 [preauth]',
    'Dec 10 06:55:49 LabSZ sshd[24201]: Invalid user admin from 5.36.59.76',
  ];

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'patterns-test-'));
    logFile = path.join(dir, 'auth.log');
    writeFileSync(logFile, lines.join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('assigns every line the final template of its id', async () => {
    const result = [...assignments(await mineFile(logFile))];
    assert.deepEqual(result, [
      { line: 1, template_id: 'T1', template: '<*> LabSZ sshd[<*>]: Invalid user <*> from <*>' },
      { line: 2, template_id: 'T2', template: '<*> LabSZ sshd[<*>]: Connection closed by <*> [preauth]' },
      { line: 3, template_id: 'T1', template: '<*> LabSZ sshd[<*>]: Invalid user <*> from <*>' },
    ]);
  });

  it('returns 2 on bad usage', async () => {
    const quiet = process.stderr.write;
    process.stderr.write = () => true;
    try {
      assert.equal(await runPatternsCli([]), 2);
      assert.equal(await runPatternsCli([path.join(dir, 'missing.log')]), 2);
      assert.equal(await runPatternsCli(['--bogus', logFile]), 2);
    } finally {
      process.stderr.write = quiet;
    }
  });

  it('prints one JSON line per input line when run as a process', async () => {
    let cli = path.join(repoRoot, 'dist', 'servers', 'logs.js');
    if (!existsSync(cli)) {
      // The logs server bundle is not built: bundle just the CLI.
      cli = path.join(dir, 'patterns-cli.js');
      await build({
        stdin: {
          contents: `import { runPatternsCli } from './mcp-servers/logs/patternsCli.ts';
            runPatternsCli(process.argv.slice(3)).then((code) => process.exit(code));`,
          resolveDir: repoRoot,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: cli,
        logLevel: 'silent',
      });
    }
    const run = spawnSync(process.execPath, [cli, 'patterns', logFile, '--assignments'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const printed = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(printed.length, lines.length);
    printed.forEach((row, i) => {
      assert.deepEqual(Object.keys(row), ['line', 'template_id', 'template']);
      assert.equal(row.line, i + 1);
    });
    assert.equal(printed[0]!.template_id, printed[2]!.template_id);
    assert.equal(printed[0]!.template, '<*> LabSZ sshd[<*>]: Invalid user <*> from <*>');

    const usage = spawnSync(process.execPath, [cli, 'patterns'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /no FILE/);
  });
});
