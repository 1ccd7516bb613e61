// A real Prometheus for the tests: Debian's prometheus + promtool on PATH, backfilled with OpenMetrics text before
// it starts (blocks added to a running server appear only after a minute), on a free loopback port, stopped with
// SIGTERM after. Without the binaries the calling suite is skipped with the reason printed, unless
// REQUIRE_BACKENDS=1, where that is a failure (apt-get install prometheus).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

export interface RunningPrometheus {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, e.g. after a test stopped it. */
  restart(): Promise<void>;
  log(): string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The binaries, or skips the calling suite (from `before`) saying why; throws when REQUIRE_BACKENDS=1. */
export function prometheusOrSkip(context: Mocha.Context): PrometheusBinaries {
  const prometheus = onPath('prometheus');
  const promtool = onPath('promtool');
  if (prometheus && promtool) return { prometheus, promtool };
  const reason = `${!prometheus ? 'prometheus' : 'promtool'} is not on PATH (apt-get install prometheus)`;
  if (process.env.REQUIRE_BACKENDS === '1') throw new Error(`REQUIRE_BACKENDS=1 but ${reason}`);
  console.log(`    (skipping the Prometheus suite: ${reason})`);
  return context.skip();
}


/**
 * Backfills `openMetrics` into a new data folder with promtool, then starts Prometheus on it. `keepDir`: a folder
 * kept across runs (a bench's backfilled data); when it already holds data, `openMetrics` may be undefined.
 */
export async function startPrometheus(binaries: PrometheusBinaries, openMetrics: string | undefined, keepDir?: string): Promise<RunningPrometheus> {
  if (keepDir) fs.mkdirSync(keepDir, { recursive: true });
  const dir = keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-test-'));
  const dataDir = path.join(dir, 'data');
  if (openMetrics !== undefined) {
    fs.mkdirSync(dataDir, { recursive: true });
    const input = path.join(dir, 'backfill.om');
    fs.writeFileSync(input, openMetrics);
    const backfill = spawnSync(binaries.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir], { encoding: 'utf8' });
    fs.rmSync(input, { force: true });
    if (backfill.status !== 0) throw new Error(`promtool backfill failed (${backfill.status}): ${backfill.stderr || backfill.stdout}`);
  }
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    child = spawn(
      binaries.prometheus,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    });
    const started = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`prometheus exited during start-up:\n${log.slice(-2000)}`);
      try {
        const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`prometheus not ready on ${url} after 30 s:\n${log.slice(-2000)}`);
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url,
    port,
    dataDir,
    stop: async () => {
      await stop();
    },
    restart: async () => {
      await stop();
      await start();
    },
    log: () => log,
  };
}

/** Removes the data folder of a stopped Prometheus. */
export function removePrometheusData(running: RunningPrometheus): void {
  fs.rmSync(path.dirname(running.dataDir), { recursive: true, force: true });
}
