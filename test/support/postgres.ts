// A throwaway PostgreSQL for the tests: initdb into a temporary folder, started with pg_ctl on a free loopback port,
// with a password (scram-sha-256) so tests can check it never leaks. initdb refuses to run as root, so as root the
// server runs as the `postgres` user Debian's package creates. Without the binaries the calling suite is skipped
// with the reason printed, unless REQUIRE_BACKENDS=1, where that is a failure (apt-get install postgresql).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
  /** The user the server runs as when we are root; undefined when we are not. */
  runAs?: { name: string; uid: number; gid: number };
}

export interface RunningPostgres {
  /** postgres://app:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  host: string;
  port: number;
  password: string;
  /** The same server and credentials, another database. */
  urlOf(database: string): string;
  /** Stops the server (fast: open connections are cut). Synchronous, so a test can stop it in the middle of a change. */
  stop(): void;
  /** Starts it again on the same port and data. */
  restart(): void;
  /** Stops it and deletes its folder. */
  remove(): void;
}

const SEARCHED = '/usr/lib/postgresql/*/bin';

/** The binaries, or skips the calling suite (from `before`) saying why; throws when REQUIRE_BACKENDS=1. */
export function postgresOrSkip(context: Mocha.Context): PostgresBinaries {
  const found = findBinaries();
  if (typeof found !== 'string') return found;
  if (process.env.REQUIRE_BACKENDS === '1') throw new Error(`REQUIRE_BACKENDS=1 but ${found}`);
  console.log(`    (skipping the PostgreSQL suite: ${found}; apt-get install postgresql)`);
  return context.skip();
}

/** The binaries, or why they cannot be used. */
function findBinaries(): PostgresBinaries | string {
  // initdb and pg_ctl from one folder, so they are of one version; PATH first, then Debian's versioned folders.
  const debian = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  const folders = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...debian];
  const folder = folders.find((dir) => isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'pg_ctl')));
  if (!folder) return `initdb and pg_ctl are neither on PATH nor in ${SEARCHED}`;
  const binaries: PostgresBinaries = { initdb: path.join(folder, 'initdb'), pgCtl: path.join(folder, 'pg_ctl') };
  if (process.getuid?.() !== 0) return binaries;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!uid) return 'initdb refuses to run as root, and there is no postgres user to run it as';
  if (spawnSync('runuser', ['--help']).error) return 'initdb refuses to run as root, and runuser is missing to run it as postgres';
  return { ...binaries, runAs: { name: 'postgres', uid, gid } };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function startPostgres(binaries: PostgresBinaries): Promise<RunningPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postgres-test-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'log');
  const ownedByServer = (file: string) => binaries.runAs && fs.chownSync(file, binaries.runAs.uid, binaries.runAs.gid);
  ownedByServer(dir);
  // Unreserved URL characters only, and unlikely to appear in any message by chance.
  const password = `pw-${crypto.randomBytes(12).toString('hex')}`;
  const passwordFile = path.join(dir, 'password');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  ownedByServer(passwordFile);

  // As root, every command runs as the server's user.
  const command = (file: string, args: string[]): [string, string[]] =>
    binaries.runAs ? ['runuser', ['-u', binaries.runAs.name, '--', file, ...args]] : [file, args];
  const run = (file: string, args: string[]) => {
    const [cmd, argv] = command(file, args);
    const done = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (done.status !== 0) {
      const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${path.basename(file)} ${args[args.length - 1]} failed (${done.status}): ${done.stderr || done.stdout}\n${serverLog}`);
    }
  };

  const port = await freePort();
  // pg_ctl hands the options to a shell, hence the quotes. fsync=off (and initdb's --no-sync): a test database need
  // not survive a power cut, so nothing waits on the disk.
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories='${dir}' -c fsync=off`;
  const start = () => run(binaries.pgCtl, ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start']);
  const stop = () => run(binaries.pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
  try {
    run(binaries.initdb, ['-D', data, '-U', 'app', '-A', 'scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--locale=C', '--no-sync']);
    fs.rmSync(passwordFile);
    start();
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  // Should this process die without removing the server (a crash, SIGKILL), a watchdog stops it and cleans up.
  const [stopCmd, stopArgs] = command(binaries.pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
  const watchdog = spawn(
    'sh',
    ['-c', 'pid=$1; dir=$2; shift 2; while kill -0 "$pid" 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1; rm -rf "$dir"', 'sh', String(process.pid), dir, stopCmd, ...stopArgs],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();

  let running = true;
  const urlOf = (database: string) => `postgres://app:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    host: '127.0.0.1',
    port,
    password,
    urlOf,
    stop() {
      if (running) stop();
      running = false;
    },
    restart() {
      if (running) stop();
      start();
      running = true;
    },
    remove() {
      if (running) stop();
      running = false;
      try {
        if (watchdog.pid) process.kill(-watchdog.pid, 'SIGTERM'); // its own process group: the shell and its sleep
      } catch {
        // already gone
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
