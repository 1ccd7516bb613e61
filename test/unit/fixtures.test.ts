// The incident fixtures: repos rebuild to the hashes deployments.json names, and every file is well formed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATEGORIES } from '../../src/engine/report/schema';
import { fixturesDir, repoRoot } from '../support/servers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;


interface Commit {
  author: { name: string; email: string };
  date: string;
  message: string;
  files: Record<string, string | null>;
}
interface History {
  commits: Commit[];
  tags: { name: string; commit: number; date: string; message: string; tagger: { name: string; email: string } }[];
}
interface Deployment {
  version: string;
  deployed_at: string;
  status: 'succeeded' | 'failed' | 'rolled_back';
  commits: string[];
}
interface Scenario {
  incident: string;
  window: { since: string; until: string };
  expected: { culpritCommitSubject: string | null; category: string; onset: string };
  description: string;
}
type MetricPoint = Record<string, unknown> & { timestamp: string; service?: string };

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/** Time of a log line in any of the fixtures' formats, or undefined for continuation lines (stack frames). */
function lineTime(line: string, year: number): number | undefined {
  if (line.startsWith('{')) {
    const record = JSON.parse(line) as Record<string, unknown>;
    const value = record.ts ?? record.time ?? record.timestamp ?? record['@timestamp'];
    assert.equal(typeof value, 'string', `JSON log line without ts/time/timestamp/@timestamp: ${line.slice(0, 120)}`);
    return Date.parse(value as string);
  }
  // 2026-02-17 14:45:23 / 2026-02-17T14:45:23.123Z / 2026-02-17 14:45:23.123 UTC / 2026-01-22 03:14:07,123
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,6}))?/.exec(line);
  if (iso) return Date.parse(`${iso[1]}T${iso[2]}.${(iso[3] ?? '0').slice(0, 3).padEnd(3, '0')}Z`);
  // gunicorn [2026-06-09 13:42:00 +0000] / Celery [2026-06-03 10:12:55,118: INFO/ForkPoolWorker-3] (UTC)
  const bracket = /^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:,(\d{3}))?[: ]/.exec(line);
  if (bracket) return Date.parse(`${bracket[1]}T${bracket[2]}.${bracket[3] ?? '000'}Z`);
  // nginx combined: [17/Feb/2026:14:45:23 +0000]
  const clf = /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000\]/.exec(line);
  if (clf) return Date.UTC(Number(clf[3]), MONTHS.indexOf(clf[2]!), Number(clf[1]), Number(clf[4]), Number(clf[5]), Number(clf[6]));
  // nginx error log: 2026/01/22 03:14:07
  const slash = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(line);
  if (slash) return Date.UTC(Number(slash[1]), Number(slash[2]) - 1, Number(slash[3]), Number(slash[4]), Number(slash[5]), Number(slash[6]));
  // JVM unified logging (-Xlog:...:utctime): [2026-05-20T12:31:02.123+0000][info][gc] ...
  const jvm = /^\[(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})([+-]\d{2})(\d{2})\]/.exec(line);
  if (jvm) return Date.parse(`${jvm[1]}${jvm[2]}:${jvm[3]}`);
  // syslog: Mar  5 09:12:44 (no year; the scenario's)
  const sys = /^(\w{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) /.exec(line);
  if (sys && MONTHS.includes(sys[1]!)) {
    return Date.UTC(year, MONTHS.indexOf(sys[1]!), Number(sys[2]!.trim()), Number(sys[3]), Number(sys[4]), Number(sys[5]));
  }
  // logfmt: time=2026-01-22T03:14:07.123Z ... (or ts=, anywhere in the line)
  const logfmt = /(?:^|\s)(?:time|ts)="?(\d{4}-\d{2}-\d{2}T[^\s"]+)/.exec(line);
  if (logfmt) return Date.parse(logfmt[1]!);
  return undefined;
}

const scenarios = fs
  .readdirSync(fixturesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(fixturesDir, e.name, 'scenario.json')))
  .map((e) => e.name)
  .sort();

describe('incident fixtures', () => {
  let outDir = '';

  before(function () {
    this.timeout(120_000);
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixture-repos-test-'));
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-fixture-repos.mjs'), '--out', outDir], { stdio: 'pipe' });
  });

  after(() => {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('has the four required scenarios', () => {
    for (const name of ['checkout-500', 'payments-upstream-outage', 'search-memory-leak']) assert.ok(scenarios.includes(name), `missing fixtures/${name}`);
    assert.ok(scenarios.length >= 4, `expected at least 4 scenarios, found ${scenarios.join(', ')}`);
  });

  for (const name of scenarios) {
    describe(name, () => {
      const dir = path.join(fixturesDir, name);
      const history = readJson<History>(path.join(dir, 'history.json'));
      const { deployments } = readJson<{ deployments: Deployment[] }>(path.join(dir, 'deployments.json'));
      const scenario = readJson<Scenario>(path.join(dir, 'scenario.json'));
      const { metrics } = readJson<{ metrics: MetricPoint[] }>(path.join(dir, 'metrics.json'));
      const onset = Date.parse(scenario.expected.onset);
      const repoHashes = (): string[] => git(path.join(outDir, name), ['rev-list', '--reverse', 'main']).trim().split('\n');

      it('history.json is a plausible app history', () => {
        assert.ok(history.commits.length >= 30 && history.commits.length <= 80, `${history.commits.length} commits`);
        assert.ok(new Set(history.commits.map((c) => c.author.email)).size >= 3, 'several authors');
        for (const c of history.commits) {
          assert.match(c.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/);
          assert.ok(c.message.split('\n')[0]!.trim().length > 0, 'commit has a subject');
          assert.ok(Object.keys(c.files).length > 0, `commit "${c.message.split('\n')[0]}" changes files`);
        }
        for (let i = 1; i < history.commits.length; i++) {
          assert.ok(Date.parse(history.commits[i]!.date) >= Date.parse(history.commits[i - 1]!.date), `commit ${i} is not older than its parent`);
        }
      });

      it('rebuilds to exactly the hashes deployments.json names, in order', () => {
        const hashes = repoHashes();
        assert.equal(hashes.length, history.commits.length);
        // Deployments ship consecutive runs of commits, so together they are a prefix of the history.
        const shipped = deployments.flatMap((d) => d.commits);
        assert.ok(shipped.length > 0);
        assert.deepEqual(shipped, hashes.slice(0, shipped.length));
        for (const d of deployments) for (const h of d.commits) assert.match(h, /^[0-9a-f]{40}$/);
      });

      it('has an annotated tag per deployment at its last commit, dated when it was deployed', () => {
        const repo = path.join(outDir, name);
        assert.ok(deployments.length >= 3, 'several deployments');
        for (const d of deployments) {
          assert.match(d.deployed_at, ISO_Z);
          assert.ok(['succeeded', 'failed', 'rolled_back'].includes(d.status));
          assert.equal(git(repo, ['cat-file', '-t', d.version]).trim(), 'tag', `${d.version} is annotated`);
          assert.equal(git(repo, ['rev-parse', `${d.version}^{commit}`]).trim(), d.commits[d.commits.length - 1]);
          const taggerDate = Number(git(repo, ['for-each-ref', '--format=%(taggerdate:unix)', `refs/tags/${d.version}`]).trim()) * 1000;
          assert.equal(taggerDate, Date.parse(d.deployed_at));
        }
        for (let i = 1; i < deployments.length; i++) {
          assert.ok(Date.parse(deployments[i]!.deployed_at) > Date.parse(deployments[i - 1]!.deployed_at), 'deployments are in time order');
        }
      });

      it('scenario.json is complete', () => {
        assert.ok(scenario.incident.trim().length > 10);
        assert.ok(scenario.description.trim().length > 40);
        assert.match(scenario.window.since, ISO_Z);
        assert.match(scenario.window.until, ISO_Z);
        assert.match(scenario.expected.onset, ISO_Z);
        assert.ok((CATEGORIES as readonly string[]).includes(scenario.expected.category), `category ${scenario.expected.category}`);
        assert.ok(Date.parse(scenario.window.since) < onset && onset < Date.parse(scenario.window.until), 'onset inside the window');
        const culprit = scenario.expected.culpritCommitSubject;
        assert.ok(culprit === null || (typeof culprit === 'string' && culprit.length > 0));
      });

      it('the expected culprit was shipped by a deployment before the onset', () => {
        const culprit = scenario.expected.culpritCommitSubject;
        if (culprit === null) return;
        const matches = history.commits.map((c, i) => [c.message.split('\n')[0], i] as const).filter(([subject]) => subject === culprit);
        assert.equal(matches.length, 1, `exactly one commit titled "${culprit}"`);
        const hash = repoHashes()[matches[0]![1]];
        const shippedBy = deployments.find((d) => hash !== undefined && d.commits.includes(hash));
        assert.ok(shippedBy, 'culprit is in a deployment');
        assert.ok(Date.parse(shippedBy.deployed_at) < onset, 'deployed before the onset');
        assert.notEqual(shippedBy.status, 'failed');
      });

      it('metrics are per minute with hours of baseline before the onset', () => {
        assert.ok(metrics.length > 0);
        const byService = new Map<string, MetricPoint[]>();
        for (const p of metrics) {
          assert.match(p.timestamp, ISO_Z);
          // Metric names vary by team; a point needs some numbers, not a fixed set of names.
          assert.ok(Object.keys(p).filter((k) => k !== 'timestamp' && k !== 'service').length >= 3, `${p.timestamp}: at least three metrics`);
          for (const [key, value] of Object.entries(p)) {
            if (key !== 'timestamp' && key !== 'service') assert.ok(typeof value === 'number' && Number.isFinite(value), `${key} is numeric`);
          }
          const key = p.service ?? '';
          byService.set(key, [...(byService.get(key) ?? []), p]);
        }
        for (const [service, points] of byService) {
          const times = points.map((p) => Date.parse(p.timestamp));
          for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, MINUTE, `${service || name} point ${i} is one minute after the last`);
          assert.ok(onset - times[0]! >= 6 * HOUR, `${service || name}: at least 6 h of baseline before the onset`);
          assert.ok(times[times.length - 1]! > onset, 'metrics continue past the onset');
        }
      });

      it('logs: several files, thousands of lines, each in time order', () => {
        const logsDir = path.join(dir, 'logs');
        const files = fs.readdirSync(logsDir).sort();
        assert.ok(files.length >= 2, 'several log files');
        const year = new Date(onset).getUTCFullYear();
        let totalLines = 0;
        let totalBytes = 0;
        let seenOnset = false;
        for (const file of files) {
          const text = fs.readFileSync(path.join(logsDir, file), 'utf8');
          totalBytes += Buffer.byteLength(text);
          assert.ok(text.endsWith('\n'), `${file} ends with a newline`);
          const lines = text.slice(0, -1).split('\n');
          totalLines += lines.length;
          let last = -Infinity;
          let stamped = 0;
          lines.forEach((line, i) => {
            const t = lineTime(line, year);
            if (t === undefined) return;
            assert.ok(!Number.isNaN(t), `${file}:${i + 1} has an unreadable time`);
            assert.ok(t >= last, `${file}:${i + 1} is earlier than the line before it`);
            last = t;
            stamped++;
            if (Math.abs(t - onset) < 15 * MINUTE) seenOnset = true;
          });
          assert.ok(stamped > 0.2 * lines.length, `${file}: lines carry a time`);
        }
        assert.ok(seenOnset, 'some log lines are near the onset');
        assert.ok(totalLines >= 5_000 && totalLines <= 30_000, `${totalLines} log lines`);
        assert.ok(totalBytes < 6 * 1024 * 1024, `${totalBytes} bytes of logs`);
      });
    });
  }
});
