// The only way the server talks to git: execFile/spawn (never a shell), fixed environment, timeouts, capped output.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callSignal, onCancel } from '../common/callSignal.js';
import { LineSplitter } from '../common/lineSplitter.js';
import { Semaphore } from '../common/semaphore.js';
import { UserError } from '../common/result.js';
import { describeFailure } from './gitErrors.js';
import { gitExecutable } from './gitExecutable.js';

export interface GitRunOptions {
  /** Text written to git's stdin (for `--stdin` / `cat-file --batch-check`). */
  input?: string;
  timeoutMs?: number;
  maxBuffer?: number;
  /** Exit codes other than 0 that are an answer rather than a failure (e.g. 1 for `rev-parse --verify -q`). */
  okExitCodes?: number[];
}

export interface GitResult {
  stdout: string;
  exitCode: number;
}

export interface StreamedLines {
  /** The kept lines, after skipping `skipLines`. */
  lines: string[];
  /** Every line git produced, or a lower bound when `complete` is false. */
  totalLines: number;
  /** False when git's output exceeded the reading cap and was cut off. */
  complete: boolean;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

/**
 * Settings that make git's output parseable and git itself inert whatever the repository's own config says:
 * no colour, no pager, no external diff/textconv, no fsmonitor hook (repository config can name a program to run).
 */
const SAFE_CONFIG = [
  '-c', 'core.quotepath=off',
  '-c', 'core.pager=cat',
  '-c', 'core.fsmonitor=false',
  '-c', 'color.ui=never',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'diff.external=',
  '-c', 'log.showSignature=false',
  '-c', 'log.decorate=false',
  '-c', 'log.mailmap=false',
];

/**
 * git processes that run at once, for the whole server: 200 calls at once would otherwise start 200 gits that
 * share two CPUs and each run past its timeout. The others wait their turn; a call's timeout starts with its git.
 */
const GIT_PROCESSES = 4;
const gitSlots = new Semaphore(GIT_PROCESSES);

export class GitCli {
  readonly repoPath: string;
  private verified = false;

  constructor(
    repoPath: string,
    /** The git to run; by default the one on PATH (see gitExecutable). */
    private readonly executable?: string,
  ) {
    this.repoPath = path.resolve(repoPath);
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_PAGER: 'cat',
      PAGER: 'cat',
      LC_ALL: 'C',
      LANG: 'C',
      GIT_OPTIONAL_LOCKS: '0',
      // git log flushes after every commit when writing to a pipe; 50,000 tiny reads cost Node more than git's walk.
      GIT_FLUSH: '0',
      // Stop git from walking up to an enclosing repository when --repo is not one itself.
      GIT_CEILING_DIRECTORIES: path.dirname(this.repoPath),
      GIT_DIR: undefined,
      GIT_WORK_TREE: undefined,
      GIT_INDEX_FILE: undefined,
    };
  }

  /** Fails with a message that says how to fix --repo, unless the path is (the top of) a git repository. */
  async ensureRepository(): Promise<void> {
    if (this.verified) return;
    const fix = 'Start the git server with --repo (or INCIDENT_REPO) set to the top-level directory of a git repository.';
    if (!fs.existsSync(this.repoPath)) throw new UserError(`The repository path ${this.repoPath} does not exist. ${fix}`);
    if (!fs.statSync(this.repoPath).isDirectory()) {
      throw new UserError(`The repository path ${this.repoPath} is not a directory. ${fix}`);
    }
    const probe = await this.run(['rev-parse', '--git-dir'], { okExitCodes: [128] });
    if (probe.exitCode !== 0) throw new UserError(`${this.repoPath} is not a git repository. ${fix}`);
    this.verified = true;
  }

  /** Runs git with args (never through a shell); resolves with stdout or rejects with git's own complaint. */
  run(args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
    return gitSlots.run(() => this.runNow(args, options), callSignal());
  }

  private runNow(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
    const fullArgs = [...SAFE_CONFIG, ...args];
    return new Promise((resolve, reject) => {
      const git = this.executable ?? gitExecutable();
      // Our own timer, not execFile's: execFile's empties stdout when it fires, and if git had just exited with 0
      // that came back as an empty success ("no such commit"). Here a git that finished keeps its whole answer,
      // and one that was stopped is an error.
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      let cancelled = false;
      const release = onCancel(() => {
        cancelled = true;
        child.kill('SIGKILL');
      });
      const child = execFile(
        git,
        fullArgs,
        {
          cwd: this.repoPath,
          env: this.env(),
          encoding: 'utf8',
          maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          clearTimeout(timer);
          release();
          if (cancelled) return reject(new UserError('the call was cancelled'));
          if (!error) return resolve({ stdout, exitCode: 0 });
          if (timedOut) return reject(describeFailure(args, Object.assign(error, { killed: true }), stderr));
          const code = typeof error.code === 'number' ? error.code : undefined;
          if (code !== undefined && options.okExitCodes?.includes(code)) return resolve({ stdout, exitCode: code });
          reject(describeFailure(args, error, stderr));
        },
      );
      // git may exit before reading all its input (e.g. on a bad revision); that EPIPE must not kill the server.
      child.stdin?.on('error', () => undefined);
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  }

  /**
   * Streams git's stdout line by line, keeping lines [skipLines, skipLines + keepLines) and only counting the rest,
   * and kills git once `readCapBytes` have been read (so a gigantic diff costs bounded time and memory).
   */
  streamLines(
    args: readonly string[],
    window: { skipLines: number; keepLines: number; keepBytes: number; readCapBytes: number; maxLineChars: number },
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<StreamedLines> {
    return gitSlots.run(() => this.streamLinesNow(args, window, timeoutMs), callSignal());
  }

  private streamLinesNow(
    args: readonly string[],
    window: { skipLines: number; keepLines: number; keepBytes: number; readCapBytes: number; maxLineChars: number },
    timeoutMs: number,
  ): Promise<StreamedLines> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.executable ?? gitExecutable(), [...SAFE_CONFIG, ...args], {
        cwd: this.repoPath,
        env: this.env(),
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const lines: string[] = [];
      let keptBytes = 0;
      let totalLines = 0;
      let readBytes = 0;
      let complete = true;
      let stderr = '';
      let settled = false;
      const timer = setTimeout(() => {
        complete = false;
        child.kill('SIGKILL');
      }, timeoutMs);
      let cancelled = false;
      const release = onCancel(() => {
        cancelled = true;
        child.kill('SIGKILL');
      });
      const take = (whole: string) => {
        const index = totalLines++;
        if (index < window.skipLines || lines.length >= window.keepLines) return;
        // One minified line must not eat the whole budget.
        const line =
          whole.length > window.maxLineChars
            ? `${whole.slice(0, window.maxLineChars)} …[${whole.length - window.maxLineChars} more characters cut]`
            : whole;
        if (keptBytes + line.length > window.keepBytes) {
          window = { ...window, keepLines: lines.length }; // byte budget spent: keep nothing more
          return;
        }
        keptBytes += line.length + 1;
        lines.push(line);
      };
      const splitter = new LineSplitter(take);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (!complete) return;
        readBytes += chunk.length;
        splitter.push(chunk);
        if (readBytes > window.readCapBytes) {
          complete = false;
          child.kill('SIGKILL');
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 4096) stderr += chunk;
      });
      child.on('error', (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        release();
        reject(describeFailure(args, error, stderr));
      });
      child.on('close', (code) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        release();
        if (cancelled) return reject(new UserError('the call was cancelled'));
        if (complete) splitter.end();
        if (complete && code !== 0) {
          return reject(describeFailure(args, Object.assign(new Error(`exit code ${code}`), { code }), stderr));
        }
        resolve({ lines, totalLines, complete });
      });
    });
  }
}

