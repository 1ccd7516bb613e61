// The template miner on log shapes it was not built on: one test per rule that keeps it free of per-system
// settings (header/message boundary, word positions vs variable positions, digit-free variables, constants with
// digits, values of varying token counts), plus the CLI's --set for the leave-one-system-out bench.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PatternMiner } from '../../mcp-servers/logs/patterns/index.js';
import { runPatternsCli } from '../../mcp-servers/logs/patternsCli.js';

/** Template id of each line, all mined by one miner in order. */
function idsOf(lines: string[]): string[] {
  const miner = new PatternMiner();
  return lines.map((line) => miner.add(line));
}

function templateOf(line: string): string {
  const miner = new PatternMiner();
  return miner.template(miner.add(line));
}

describe('PatternMiner without per-system rules', () => {
  describe('header/message boundary', () => {
    it('reads a bracketed field with spaces as one header field, anchored by the level word', () => {
      const [a, b, c, other] = idsOf([
        '2024-03-01 10:00:01.123 INFO [Scheduler worker 3] c.e.Jobs - nightly export finished',
        '2024-03-01 10:00:02.456 INFO [main] c.e.Jobs - nightly export finished',
        '2024-03-01 10:00:03.789 WARN [http-nio-8080-exec-1] c.e.Jobs - nightly export finished',
        '2024-03-01 10:00:04.000 INFO [main] c.e.Jobs - nightly export failed',
      ]);
      assert.equal(a, b);
      assert.equal(a, c);
      assert.notEqual(a, other);
    });

    it('finds the message after a level word and the separator that follows it (Spring Boot, Python logging)', () => {
      assert.equal(
        templateOf('2024-01-01 10:00:00.123  INFO 1234 --- [  main] o.s.b.StartupInfoLogger : Starting app v1'),
        '<*> INFO <*> --- [  main] <*> : Starting app <*>',
      );
      const [a, b] = idsOf([
        '2024-01-01 10:00:00,123 - billing - INFO - invoice 17 sent',
        '2024-01-01 10:00:01,456 - mailer - ERROR - invoice 18 sent',
      ]);
      assert.equal(a, b);
    });

    it('takes leading header columns (id, host, component, state, epoch) as the header when nothing ends in ":"', () => {
      const [a, b, other] = idsOf([
        '134681 node-246 unix.hw state_change.unavailable 1077804742 1 link down',
        '134682 node-109 boot.cmd state_change.available 1077804743 1 link down',
        '134683 node-12 unix.hw state_change.unavailable 1077804744 1 link up',
      ]);
      assert.equal(a, b);
      assert.notEqual(a, other);
    });

    it('takes a capitalised level word ("Info", "Warning") after the start of a line as the end of the header', () => {
      const [a, b] = idsOf(['2016-09-28 04:30:30, Info CBS started', '2016-09-28 04:30:31, Warning CBS started']);
      assert.equal(a, b);
      assert.notEqual(templateOf('Error opening file now'), '<*>');
    });

    it('stops the header before quoted text: a request line is message, and "status:" after it is no component', () => {
      const line = (verb: string, id: string, size: number): string =>
        `2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-${id} 113d3a99 - - -] 10.11.10.1 ` +
        `"${verb} /v2/${id}/servers/detail HTTP/1.1" status: 200 len: ${size} time: 0.2477829`;
      const [get1, get2, post] = idsOf([line('GET', '54fadb41', 1893), line('GET', '9c3da401', 211), line('POST', '54fadb41', 1893)]);
      assert.equal(get1, get2);
      assert.notEqual(get1, post);
    });

    it('evens the width of a plain-column header out over the file (a host without digits among numbered ones)', () => {
      const ids = idsOf([
        '134681 node-246 unix.hw state_change.unavailable 1077804742 1 link down on port 3',
        '134682 node-109 boot.cmd state_change.available 1077804743 1 link down on port 4',
        '134683 node-12 unix.hw state_change.unavailable 1077804744 1 link down on port 5',
        '134684 master unix.hw state_change.unavailable 1077804745 1 link down on port 6',
      ]);
      assert.equal(new Set(ids).size, 1);
    });

    it('treats placeholder-only groups ("[-]", "[ctx-1f3a u7 p9 - -]") as empty values, not separators', () => {
      const [a, b] = idsOf(['[ctx-1f3a u7 p9 - -] WARN slow query on orders', '[-] WARN slow query on orders']);
      assert.equal(a, b);
    });

    it('a masked component name still closes the header after a level word', () => {
      assert.equal(
        templateOf('2024-01-01 10:00:00,123 INFO [main] org.apache.hadoop.mapred.TaskTracker: Starting tasktracker'),
        '<*> INFO [main] <*>: Starting tasktracker',
      );
      const [a, b] = idsOf([
        '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001',
        '2015-10-18 18:01:48,001 INFO [main] org.apache.hadoop.yarn.Client: Created MRAppMaster for application appattempt_1445144423722_0021_000001',
      ]);
      assert.equal(a, b);
    });
  });

  describe('word positions against variable positions', () => {
    it('keeps short messages that differ in one enumerated word apart', () => {
      const [start, stop] = idsOf(['cupsd startup succeeded', 'cupsd shutdown succeeded']);
      assert.notEqual(start, stop);
      const [on, off] = idsOf(['2024-01-01 10:00:00 INFO cache: flag enabled=true', '2024-01-01 10:00:01 INFO cache: flag enabled=false']);
      assert.notEqual(on, off);
    });

    it('still merges a word position once it has shown a variable', () => {
      const ids = idsOf([
        'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster7 from 173.234.31.186',
        'Dec 10 06:55:47 LabSZ sshd[24201]: Invalid user admin from 5.36.59.76',
        'Dec 10 06:55:48 LabSZ sshd[24202]: Invalid user test from 5.36.59.77',
      ]);
      assert.equal(new Set(ids).size, 1);
    });

    it('does not let a word vary that stayed put while the template took several other forms', () => {
      const users = ['alice', 'bob', 'carol', 'dave'];
      const lines = users.map((u, i) => `Dec 10 06:55:4${i} LabSZ sshd[2420${i}]: Failed password for invalid user ${u} from 10.0.0.${i} port 22 ssh2`);
      lines.push('Dec 10 06:55:50 LabSZ sshd[24210]: Failed none for invalid user erin from 10.0.0.9 port 22 ssh2');
      lines.push('Dec 10 06:55:51 LabSZ sshd[24211]: Failed password for invalid user frank from 10.0.0.8 port 22 ssh2');
      const ids = idsOf(lines);
      assert.equal(new Set(ids.slice(0, 4)).size, 1);
      assert.notEqual(ids[4], ids[0], '"none" in place of "password" is another event');
      assert.equal(ids[5], ids[0]);
    });
  });

  describe('what counts as a variable', () => {
    it('masks digit-free qualified names (classes, settings, hosts) but keeps named constants', () => {
      assert.equal(templateOf('Loading class org.example.jobs.Nightly now'), 'Loading class <*> now');
      assert.equal(templateOf('Setting spark.executor.memory to 4g'), 'Setting <*> to <*>');
      assert.equal(
        templateOf('onReceive action: android.intent.action.SCREEN_ON'),
        'onReceive action: android.intent.action.SCREEN_ON',
      );
    });

    it('masks colon-separated addresses whole, digit-free groups included', () => {
      assert.equal(templateOf('link up mac 00:1a:2b:3c:4d:ee addr fe80::1ff:fe23:abcd'), 'link up mac <*> addr <*>');
      assert.equal(templateOf('link up mac aa:bb:cc:dd:ee:ff'), 'link up mac <*>');
    });

    it('keeps short names with one digit ("eth0", "ssh2", "md5") as constants', () => {
      assert.equal(templateOf('checksum md5 of sda1 via eth0 over ssh2'), 'checksum md5 of sda1 via eth0 over ssh2');
    });

    it('masks time-zone words with the timestamp', () => {
      assert.equal(templateOf('built on 03/20/2014 15:59 GMT by release'), 'built on <*> by release');
    });
  });

  describe('values whose token count varies', () => {
    it('reads quoted and bracketed values with spaces as one value', () => {
      const [a, b, c] = idsOf(['user "John Smith" logged in', 'user "Al" logged in', "user 'Mary Ann Lee' logged in"]);
      assert.equal(a, b);
      assert.equal(a, c);
      const [d, e] = idsOf(['retry scheduled (in 30 sec) for job', 'retry scheduled (in 2 hours) for job']);
      assert.equal(d, e);
      assert.equal(templateOf('retry scheduled (in 30 sec) for job'), 'retry scheduled (in <*>) for job');
      assert.equal(templateOf('sent 1190 bytes (1.16 KB) of 3'), 'sent <*> bytes <*> of <*>');
    });

    it('collapses a repeated group of tokens holding variables', () => {
      const [a, b, c] = idsOf([
        'status host1 0x1 OK host2 0x2 OK host3 0x3 OK',
        'status host1 0x1 OK',
        'status host4 0x4 OK host5 0x5 OK',
      ]);
      assert.equal(a, b);
      assert.equal(a, c);
    });
  });
});

describe('patterns CLI --set', () => {
  let dir: string;
  let logFile: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'patterns-set-'));
    logFile = path.join(dir, 'app.log');
    writeFileSync(logFile, 'job alpha started now\njob beta started now\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    });
    const quiet = process.stderr.write;
    process.stderr.write = () => true;
    try {
      return { code: await runPatternsCli(args, sink), out };
    } finally {
      process.stderr.write = quiet;
    }
  }

  it('passes numeric miner options through', async () => {
    const loose = await run([logFile, '--json', '--set', 'wordSimilarityThreshold=0', '--set', 'similarityThreshold=0.5']);
    assert.equal(loose.code, 0);
    assert.equal(loose.out.trim().split('\n').length, 1);
    const strict = await run([logFile, '--json', '--set', 'similarityThreshold=1']);
    assert.equal(strict.code, 0);
    assert.equal(strict.out.trim().split('\n').length, 2);
  });

  it('refuses unknown options and non-numbers', async () => {
    assert.equal((await run([logFile, '--set', 'bogus=1'])).code, 2);
    assert.equal((await run([logFile, '--set', 'similarityThreshold=high'])).code, 2);
    assert.equal((await run([logFile, '--set'])).code, 2);
  });
});
