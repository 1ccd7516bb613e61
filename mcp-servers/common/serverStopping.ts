// Work that must not be cut off silently when the server stops: a runbook step is killed rather than left
// running unobserved, and its end is journaled before the process exits. Whatever way the server stops
// (stdin closed, SIGTERM, the HTTP service drained), it calls stopServerWork() first.

const stopping = new AbortController();
const pending = new Set<Promise<unknown>>();

/** Aborted, with the reason, once the server has begun to stop. */
export const serverStopping: AbortSignal = stopping.signal;

/** Keeps the process alive (up to stopServerWork's limit) until `work` has settled. */
export function finishBeforeExit<T>(work: Promise<T>): Promise<T> {
  pending.add(work);
  void work.finally(() => pending.delete(work)).catch(() => {});
  return work;
}

/** Tells the work in progress to stop, then waits for it, at most `limitMs`. Safe to call more than once. */
export async function stopServerWork(reason: string, limitMs = 5_000): Promise<void> {
  if (!stopping.signal.aborted) stopping.abort(new Error(reason));
  if (pending.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
  await Promise.race([Promise.allSettled([...pending]), limit]);
  clearTimeout(timer);
}
