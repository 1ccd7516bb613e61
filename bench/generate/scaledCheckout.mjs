// checkout-500 at real scale, for the end-to-end benchmark: the fixture's incident day as it is, plus
// - a week of rotated api logs before it (api.log.1 … api.log.7, about 1 GB): the fixture's healthy hours replayed,
// - 50,000 older commits under the fixture's history (the fixture's commits and deployments on top, re-hashed),
// - a week of per-second metrics before the incident day, from the fixture's healthy hours, then the day itself.
// Deterministic; built once into bench/data/ and reused while its stamp matches.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildRepo } from '../../scripts/build-fixture-repos.mjs';
import { bigHistory, deploymentsOf } from './bigRepo.mjs';
import { prng } from './prng.mjs';

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'fixtures', 'checkout-500');
const DAY_MS = 86_400_000;
const INCIDENT_DAY = Date.parse('2026-02-17T00:00:00Z');
/** The fixture's hours before the release's effects: what a normal day looks like. */
const HEALTHY_UNTIL = '14:20:00';

export function ensureScaledCheckout(dir, { logMb = 1024, commits = 50_000, metricDays = 7 } = {}) {
  const stampFile = path.join(dir, '.stamp');
  const stamp = `v1 ${logMb} ${commits} ${metricDays}`;
  const scenario = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'scenario.json'), 'utf8'));
  const result = { workspace: dir, repo: path.join(dir, 'repo'), scenario };
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return { ...result, built: false };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  writeRepoAndDeployments(dir, commits);
  writeLogs(dir, logMb);
  writeMetrics(dir, metricDays);
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario, null, 2));
  fs.writeFileSync(stampFile, stamp);
  return { ...result, built: true };
}

/** Older generated history first, then the fixture's own commits; deployments follow the new hashes. */
function writeRepoAndDeployments(dir, count) {
  const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'history.json'), 'utf8'));
  const older = bigHistory(count).commits;
  // Spread the older commits over the two years before the fixture's first commit.
  const end = Date.parse(fixture.commits[0].date) - DAY_MS;
  const start = end - 2 * 365 * DAY_MS;
  older.forEach((c, i) => (c.date = new Date(start + ((end - start) * i) / count).toISOString().replace('.000Z', 'Z')));
  const history = {
    commits: [...older, ...fixture.commits],
    tags: (fixture.tags ?? []).map((t) => ({ ...t, commit: t.commit + count })),
  };
  const hashes = buildRepo(history, path.join(dir, 'repo'));
  const fixtureHashes = execFileSync('git', ['rev-list', '--reverse', 'HEAD'], { cwd: path.join(FIXTURE, 'repo'), encoding: 'utf8' }).trim().split('\n');
  const renamed = new Map(fixtureHashes.map((h, i) => [h, hashes[count + i]]));
  const { deployments } = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'deployments.json'), 'utf8'));
  const recent = deployments.map((d) => ({ ...d, commits: d.commits.map((h) => renamed.get(h) ?? h) }));
  fs.writeFileSync(path.join(dir, 'deployments.json'), JSON.stringify({ deployments: [...recent, ...deploymentsOf(older, hashes.slice(0, count))] }, null, 1));
}

/** The fixture's logs, plus api.log.1 … api.log.7: each day before, its healthy lines replayed round the clock. */
function writeLogs(dir, logMb) {
  for (const file of fs.readdirSync(path.join(FIXTURE, 'logs'))) fs.copyFileSync(path.join(FIXTURE, 'logs', file), path.join(dir, 'logs', file));
  let keep = false; // continuation lines travel with the record above them
  const healthy = fs
    .readFileSync(path.join(FIXTURE, 'logs', 'api.log'), 'utf8')
    .split('\n')
    .filter((line) => {
      const time = /^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d)/.exec(line)?.[1];
      if (time) keep = time < HEALTHY_UNTIL;
      return keep && line !== '';
    })
    .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, ''));
  const avgBytes = healthy.reduce((n, l) => n + l.length + 21, 0) / healthy.length;
  const perDay = Math.round((logMb * 1024 * 1024) / 7 / avgBytes);
  const stamp = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  for (let back = 1; back <= 7; back++) {
    const dayStart = INCIDENT_DAY - back * DAY_MS;
    const fd = fs.openSync(path.join(dir, 'logs', `api.log.${back}`), 'w');
    let chunk = '';
    let time = stamp(dayStart);
    for (let i = 0; i < perDay; i++) {
      const line = healthy[i % healthy.length];
      const isRecord = /^(DEBUG|INFO|WARN|ERROR) /.test(line);
      if (isRecord) time = stamp(dayStart + Math.floor((i * DAY_MS) / perDay));
      chunk += isRecord ? `${time} ${line}\n` : `${line}\n`;
      if (chunk.length > 4_000_000) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
    fs.closeSync(fd);
  }
}

/** Per-second points: days before the incident follow the fixture's healthy minutes; the incident day is the fixture's. */
function writeMetrics(dir, days) {
  const minutes = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'metrics.json'), 'utf8')).metrics;
  const series = Object.keys(minutes[0]).filter((k) => k !== 'timestamp');
  const healthy = minutes.filter((m) => m.timestamp.slice(11, 19) < HEALTHY_UNTIL);
  const first = Date.parse(minutes[0].timestamp);
  const last = Date.parse(minutes.at(-1).timestamp) + 59_000;
  const rand = prng(11);
  const fd = fs.openSync(path.join(dir, 'metrics.json'), 'w');
  fs.writeSync(fd, '{"metrics":[\n');
  let chunk = '';
  let firstPoint = true;
  for (let t = first - days * DAY_MS; t <= last; t += 1000) {
    const minute = t >= first ? minutes[Math.floor((t - first) / 60_000)] : healthy[Math.floor(((t - first + days * DAY_MS) % DAY_MS) / 60_000) % healthy.length];
    const point = { timestamp: new Date(t).toISOString().replace('.000Z', 'Z') };
    for (const s of series) {
      const v = minute[s];
      point[s] = typeof v === 'number' ? Math.max(0, Math.round(v * (0.98 + rand() * 0.04) * 100) / 100) : v;
    }
    chunk += `${firstPoint ? '' : ',\n'}${JSON.stringify(point)}`;
    firstPoint = false;
    if (chunk.length > 4_000_000) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, `${chunk}\n]}\n`);
  fs.closeSync(fd);
}
