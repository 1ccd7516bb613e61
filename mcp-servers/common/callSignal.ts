// The abort signal of the tool call that the running code serves, without passing it through every function:
// the places that start outside work (git, ripgrep, HTTP queries) read it, so a cancelled call or a client that
// went away stops that work instead of leaving it to run out its timeout.
import { AsyncLocalStorage } from 'node:async_hooks';

const currentCall = new AsyncLocalStorage<AbortSignal>();

export function runWithCallSignal<T>(signal: AbortSignal | undefined, body: () => Promise<T>): Promise<T> {
  return signal ? currentCall.run(signal, body) : body();
}

export function callSignal(): AbortSignal | undefined {
  return currentCall.getStore();
}

/** Aborts after `ms`, or when the current call is cancelled, whichever comes first. */
export function timeoutOrCancel(ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  const call = callSignal();
  return call ? AbortSignal.any([timeout, call]) : timeout;
}

/** Runs work shared by several calls (a memoized index) outside any call, so one caller leaving cannot stop it. */
export function outsideAnyCall<T>(work: () => T): T {
  return currentCall.exit(work);
}

/** Calls `stop` if the current call is cancelled; returns `release`, to call once the work has ended. */
export function onCancel(stop: () => void): () => void {
  const signal = callSignal();
  if (!signal) return () => {};
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}
