// A lock file beside a journal, so two writers (two servers on one workspace, or an editor's and a terminal's)
// never decide a change against a journal the other is extending. Created with O_EXCL; a lock left by a process
// that died is taken over once it is older than any change can take.
import fs from 'node:fs';
import { UserError } from '../../common/result.js';

const RETRY_MS = 15;
const WAIT_MS = 5_000;
const STALE_MS = 30_000;

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  await acquire(lockPath);
  try {
    return await work();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

async function acquire(lockPath: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, `${process.pid} ${new Date().toISOString()}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (takeOverIfStale(lockPath)) continue;
    if (Date.now() > deadline) {
      throw new UserError(
        `another writer has held ${lockPath} for over ${WAIT_MS / 1000} s; try again, or delete that file if no other incident server is running`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

function takeOverIfStale(lockPath: string): boolean {
  try {
    if (Date.now() - fs.statSync(lockPath).mtimeMs < STALE_MS) return false;
    fs.rmSync(lockPath, { force: true });
    return true;
  } catch {
    return true; // gone meanwhile: try again
  }
}
