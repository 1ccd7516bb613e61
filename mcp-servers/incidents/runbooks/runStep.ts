// Runs an approved step: the program with its argument array (never a shell), in the workspace, bounded in time
// and in the output it keeps.
import { spawn } from 'node:child_process';
import type { StepCommand } from './stepCommand.js';

export interface StepOutcome {
  exitCode: number | null;
  /** The signal that ended it, when one did. */
  signal: string | null;
  timedOut: boolean;
  /** Why it was stopped before its end, when it was: the call was cancelled, or the server stopped. */
  interrupted?: string;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all. */
  startError?: string;
}

const KEEP_BYTES = 32 * 1024;
const KILL_GRACE_MS = 2_000;

/** @param options.stop stops the step early (SIGTERM, then SIGKILL); `options.why` says why, for the outcome. */
export function runStep(command: StepCommand, options: { cwd: string; timeoutMs: number; stop?: AbortSignal; why?: () => string }): Promise<StepOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command.program, command.args, { cwd: options.cwd, env: stepEnvironment(process.env), shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdout = new BoundedText();
    const stderr = new BoundedText();
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    let timedOut = false;
    let interrupted: string | undefined;
    let killer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (killer) return;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const interrupt = () => {
      interrupted = options.why?.() ?? 'stopped';
      kill();
    };
    if (options.stop?.aborted) interrupt();
    else options.stop?.addEventListener('abort', interrupt, { once: true });
    const finish = (outcome: Partial<StepOutcome>) => {
      clearTimeout(timer);
      clearTimeout(killer);
      options.stop?.removeEventListener('abort', interrupt);
      resolve({ exitCode: null, signal: null, timedOut, ...(interrupted ? { interrupted } : {}), durationMs: Date.now() - started, stdout: stdout.text(), stderr: stderr.text(), ...outcome });
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `${command.program} was not found (is it installed and on PATH?)` : err.message;
      finish({ startError: why });
    });
    child.once('close', (code, signal) => finish({ exitCode: code, signal }));
  });
}

/** Keeps the first KEEP_BYTES of a stream and counts the rest. */
class BoundedText {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  add(chunk: Buffer): void {
    const room = KEEP_BYTES - this.kept;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }

  text(): string {
    // NUL cannot be stored in PostgreSQL text, and is never meaningful in a journal.
    const text = Buffer.concat(this.chunks).toString('utf8').replace(/\u0000/g, '\uFFFD');
    return this.dropped > 0 ? `${text}\n…[${this.dropped} more bytes not kept]` : text;
  }
}

/**
 * What a step sees of the server's environment: everything it may need (PATH, HOME, KUBECONFIG, cloud credentials…)
 * except the server's own settings and secrets, INCIDENT_* (the database URL with its password, the team webhook,
 * the service token), which a runbook program has no business reading.
 */
export function stepEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('INCIDENT_')));
}
