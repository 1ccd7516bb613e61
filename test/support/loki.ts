// A real Grafana Loki for the tests: the binary from LOKI_BIN, else unpacked once from ../shared/bin (next to the
// repository) into node_modules/.cache; without one the suite skips and says why, unless REQUIRE_BACKENDS=1, where
// a missing Loki is a failure. Loki runs on free loopback ports with its data in a temporary folder, and is stopped
// with SIGTERM (only the process started here). The config carries every pitfall of
// ../shared/observability-backends.md: loopback instance and frontend addresses, no look-back limit for data still
// in the ingester, old samples accepted, no ring wait before /ready.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './servers';
import { freePort } from './ports';

const PACKED = path.resolve(repoRoot, '..', 'shared', 'bin', 'loki-2.8.11-linux-amd64.xz');
const CACHE_DIR = path.join(repoRoot, 'node_modules', '.cache', 'incident-analyzer', 'loki');

export interface LokiBinary {
  path?: string;
  /** Where it came from, or why there is none. */
  reason: string;
}

/** Finds (or unpacks) a Grafana Loki binary. Never throws: an absent one comes back with the reason. */
export function findLokiBinary(): LokiBinary {
  const given = process.env.LOKI_BIN;
  if (given) {
    return isExecutable(given) ? { path: given, reason: `LOKI_BIN=${given}` } : { reason: `LOKI_BIN=${given} is not an executable file` };
  }
  const cached = path.join(CACHE_DIR, 'loki-2.8.11');
  if (isExecutable(cached)) return { path: cached, reason: `cached ${cached}` };
  if (!fs.existsSync(PACKED)) return { reason: `no LOKI_BIN and no ${PACKED}` };
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.part`;
    fs.writeFileSync(partial, execFileSync('xz', ['-dc', PACKED], { maxBuffer: 512 * 1024 * 1024 }), { mode: 0o755 });
    fs.renameSync(partial, cached);
    return { path: cached, reason: `unpacked ${PACKED} into ${cached}` };
  } catch (err) {
    return { reason: `could not unpack ${PACKED}: ${(err as Error).message.split('\n')[0]}` };
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Loki binary, or skips the suite (from a `before` hook) saying why; fails instead under REQUIRE_BACKENDS=1. */
export function lokiBinaryOrSkip(ctx: Mocha.Context): string {
  const found = findLokiBinary();
  if (found.path) return found.path;
  if (process.env.REQUIRE_BACKENDS === '1') throw new Error(`REQUIRE_BACKENDS=1 but there is no Grafana Loki: ${found.reason}`);
  console.log(`    (skipping the Loki suite: ${found.reason}; set LOKI_BIN to a Grafana Loki binary)`);
  return ctx.skip();
}

export interface RunningLoki {
  url: string;
  pid: number;
  dir: string;
  /** Loki's own output (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}


/**
 * `splitQueriesBy`: Loki 2.8 cuts every query into pieces of this length (its default, 30m, makes a 32-day test
 * window 1,536 queries: 20 s here, past a minute on a busy machine). Tests use day-long pieces to stay quick; the
 * tools split long windows themselves either way. The bench keeps Loki's default.
 */
export function lokiConfig(dir: string, httpPort: number, grpcPort: number, splitQueriesBy = '24h'): string {
  return `auth_enabled: false
server:
  http_listen_address: 127.0.0.1
  http_listen_port: ${httpPort}
  grpc_listen_address: 127.0.0.1
  grpc_listen_port: ${grpcPort}
  log_level: warn
common:
  path_prefix: ${dir}/data
  storage:
    filesystem:
      chunks_directory: ${dir}/data/chunks
      rules_directory: ${dir}/data/rules
  replication_factor: 1
  instance_addr: 127.0.0.1
  ring:
    kvstore:
      store: inmemory
ingester:
  lifecycler:
    min_ready_duration: 0s
  query_store_max_look_back_period: -1
schema_config:
  configs:
    - from: 2020-01-01
      store: boltdb-shipper
      object_store: filesystem
      schema: v11
      index:
        prefix: index_
        period: 24h
limits_config:
  reject_old_samples: true
  reject_old_samples_max_age: 87600h
  ingestion_rate_mb: 256
  ingestion_burst_size_mb: 512
  per_stream_rate_limit: 256MB
  per_stream_rate_limit_burst: 512MB
  split_queries_by_interval: ${splitQueriesBy}
frontend_worker:
  frontend_address: 127.0.0.1:${grpcPort}
analytics:
  reporting_enabled: false
`;
}

/**
 * Starts Loki and resolves once /ready answers 200 (about half a second). `keepDir`: a folder whose data is kept
 * across runs (a bench's ingested logs), instead of a temporary one removed on stop.
 */
export async function startLoki(
  binary: string,
  readyTimeoutMs = 60_000,
  { keepDir, splitQueriesBy }: { keepDir?: string; splitQueriesBy?: string } = {},
): Promise<RunningLoki> {
  if (keepDir) fs.mkdirSync(keepDir, { recursive: true });
  const dir = keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ia-loki-'));
  const httpPort = await freePort();
  let grpcPort = await freePort();
  while (grpcPort === httpPort) grpcPort = await freePort();
  const configFile = path.join(dir, 'loki.yml');
  fs.writeFileSync(configFile, lokiConfig(dir, httpPort, grpcPort, splitQueriesBy));
  const child: ChildProcess = spawn(binary, [`-config.file=${configFile}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exitedPromise;
      clearTimeout(killer);
    }
    if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`Loki exited during start-up:\n${output.slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Loki not ready after ${readyTimeoutMs} ms:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: child.pid!, dir, output: () => output, stop };
}
