// Regex searches run in a worker thread: a pattern that backtracks catastrophically blocks only the worker,
// which the server stops when it falls silent, instead of hanging the whole server.
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../common/result.js';
import { searchFiles } from './search.js';
import type { SearchOutcome, SearchRequest } from './searchRequest.js';
import type { LogFile } from './catalog.js';

interface Job {
  files: LogFile[];
  year: number;
  request: SearchRequest;
}

type WorkerMessage = { kind: 'progress' } | { kind: 'done'; outcome: SearchOutcome } | { kind: 'failed'; message: string };

/** How long the worker may go without finishing a block of lines before its regex is judged runaway. */
export const STALL_MS = 5_000;

/** Entry point when this bundle is started as a worker thread. */
export function runRegexWorker(): void {
  const job = workerData as Job;
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  searchFiles(job.files, job.year, job.request, () => post({ kind: 'progress' })).then(
    (outcome) => post({ kind: 'done', outcome }),
    (err: unknown) => post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
}

/**
 * Runs the search in a worker started from `workerScript` (this server's own bundle). The caller bounds how many
 * run at once (a worker per CPU): a worker then has a CPU of its own, so falling silent means a runaway regex and
 * not a wait for a CPU. Aborting `signal` (the client cancelled or gave up) stops the worker at once.
 */
export function searchInWorker(workerScript: string, job: Job, stallMs = STALL_MS, signal?: AbortSignal): Promise<SearchOutcome> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = new Worker(workerScript, { workerData: job });
    let settled = false;
    let watchdog: NodeJS.Timeout;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', abandon);
      void worker.terminate();
      action();
    };
    const abandon = () => finish(() => reject(signal!.reason));
    signal?.addEventListener('abort', abandon, { once: true });
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () =>
          finish(() =>
            reject(
              new UserError(
                `the regex /${job.request.pattern}/ ran for over ${stallMs / 1000}s on a single block of lines ` +
                  '(probably catastrophic backtracking, e.g. nested quantifiers like (a+)+). Simplify it, anchor it, ' +
                  'or search for a literal string with regex: false.',
              ),
            ),
          ),
        stallMs,
      );
    };
    arm();
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') arm();
      else if (message.kind === 'done') finish(() => resolve(message.outcome));
      else finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`regex worker exited early (code ${code})`))));
  });
}
