// One MCP server: launch, initialize, list tools, call tools; on a crash, keep its stderr and restart it
// with backoff a bounded number of times. Never throws for a server problem: it says what happened.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ResolvedServer } from '../config/serverDefinitions.js';
import { CallStats } from './callStats.js';
import { answerApprovals, type AskApproval } from './approvals.js';
import { RemoteAuth, isAuthFailure, type OAuthOptions } from './oauth/remoteAuth.js';
import { StderrTail } from './stderrTail.js';

export type ServerState = 'starting' | 'ready' | 'restarting' | 'error' | 'stopped';

export interface ConnectionOptions {
  clientName: string;
  clientVersion: string;
  /** Time allowed to launch, initialize and list tools. */
  startTimeoutMs: number;
  /**
   * Restarts in a row allowed after crashes or failed starts before the server is left in the error state. The
   * count starts again after the server has run for `stableAfterMs`, and when a person asks for a restart.
   */
  maxRestarts: number;
  /** How long a server must stay up for its earlier crashes to be forgiven. */
  stableAfterMs: number;
  /** First restart delay; doubled each time. */
  backoffMs: number;
  /** Environment passed to stdio servers under their own `env` (the SDK passes only a minimal one by default). */
  baseEnv: Record<string, string>;
  /** Sign-in for http servers that answer 401; without it such a server just reports the 401. */
  oauth?: OAuthOptions;
  /** Asks the person to approve what a server asks (MCP elicitation); without it the client does not offer that. */
  approvals?: AskApproval;
}

export class ServerUnavailableError extends Error {}

export class ServerConnection {
  state: ServerState = 'stopped';
  tools: Tool[] = [];
  lastError: string | undefined;
  /** The server refused us and a person must sign in (again). */
  needsSignIn = false;
  readonly stderr = new StderrTail();
  readonly stats = new CallStats();
  private client: Client | undefined;
  private transport: Transport | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  /** Automatic restarts since the server last ran stably (or since a restart was asked for). */
  private restartsInARow = 0;
  private readySince: number | undefined;
  private readonly auth: RemoteAuth | undefined;
  /** The client of the attempt under way (see closed()). */
  private connecting: Client | undefined;
  /** Ends a wait for the browser when the server is stopped. */
  private signInAbort: AbortController | undefined;
  /** The cancel button of a sign-in a person started. */
  private signInSignal: AbortSignal | undefined;

  constructor(
    readonly server: ResolvedServer,
    private readonly options: ConnectionOptions,
    private readonly onChange: (connection: ServerConnection) => void,
    private readonly log: (line: string) => void,
  ) {
    // An Authorization header written in the definition is the user's own scheme: OAuth stays out of its way.
    const ownAuthorization = server.type === 'http' && Object.keys(server.headers).some((h) => h.toLowerCase() === 'authorization');
    if (server.type === 'http' && options.oauth && !ownAuthorization) this.auth = new RemoteAuth(server, options.oauth, options.clientName);
  }

  get name(): string {
    return this.server.name;
  }

  /** Starts the server; resolves after the first attempt, whether it came up or not (retries go on behind). */
  async start(): Promise<void> {
    this.stopping = false;
    this.setState('starting');
    await this.connect(this.options.oauth?.signInOnStart ?? false);
  }

  /** A sign-in a person asked for: may open the browser; resolves when it has succeeded or failed. */
  async signIn(signal?: AbortSignal): Promise<void> {
    this.restartsInARow = 0;
    await this.disconnect();
    this.stopping = false;
    this.signInSignal = signal;
    this.setState('starting');
    try {
      await this.connect(true);
    } finally {
      this.signInSignal = undefined;
    }
  }

  /** A restart someone asked for: a fresh restart budget, whatever happened before. */
  async restart(): Promise<void> {
    this.stats.restarts++;
    this.restartsInARow = 0;
    await this.disconnect();
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signInAbort?.abort(new Error('the server was stopped'));
    clearTimeout(this.restartTimer);
    await this.disconnect();
    this.setState('stopped');
  }

  /** Calls a tool. Throws ServerUnavailableError when the server is down, and the SDK's errors otherwise. */
  async call(tool: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<CallToolResult> {
    if (this.state === 'starting' || this.state === 'restarting') await this.settled(Math.min(timeoutMs, this.options.startTimeoutMs));
    const client = this.client;
    if (!client || this.state !== 'ready') {
      throw new ServerUnavailableError(`server "${this.name}" is not running (${this.state}). ${this.explain()}`);
    }
    const transport = this.transport!;
    const callOnce = async () => (await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, { timeout: timeoutMs, signal })) as CallToolResult;
    try {
      return await callOnce();
    } catch (err) {
      if (!isAuthFailure(err) || this.client !== client) throw err;
      // The server wants more scope (step-up) or refused a refresh. Where a start may open the browser, sign in
      // again and retry once; otherwise the server is down for us until someone signs in.
      if (this.auth?.wantsBrowser && this.options.oauth?.signInOnStart) {
        try {
          this.note('[manager] the server asks for a new sign-in: waiting for the browser');
          await this.auth.signIn(asFinishesAuth(transport), this.options.startTimeoutMs, signal ?? new AbortController().signal);
          return await callOnce();
        } catch (again) {
          if (!isAuthFailure(again) || this.client !== client) throw again;
          await this.refused(client, again, false);
          throw new ServerUnavailableError(`server "${this.name}" ${this.lastError}`);
        }
      }
      await this.refused(client, err, this.auth?.wantsBrowser ?? false);
      throw new ServerUnavailableError(`server "${this.name}" ${this.lastError}`);
    }
  }

  /** The last error and the stderr tail, for messages. */
  explain(): string {
    const tail = this.stderr.text().split('\n').slice(-8).join('\n').trim();
    return [this.lastError, tail ? `Last stderr:\n${tail}` : ''].filter(Boolean).join('\n');
  }

  /** One attempt to come up; `interactive` lets it open the browser when the server wants a sign-in. */
  private async connect(interactive = false): Promise<void> {
    const approvals = this.options.approvals;
    const client = new Client({ name: this.options.clientName, version: this.options.clientVersion }, { capabilities: approvals ? { elicitation: {} } : {} });
    if (approvals) answerApprovals(client, this.name, approvals);
    const transport = this.createTransport();
    client.onerror = (err) => this.note(`[client] ${err.message}`);
    client.onclose = () => this.closed(client);
    this.client = client;
    this.transport = transport;
    this.connecting = client;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish starting within ${this.options.startTimeoutMs} ms`)), this.options.startTimeoutMs);
      });
      const attempt = async () => {
        // Where starts may sign in (CLI), a step-up mid-session may too; elsewhere only an asked-for sign-in.
        await this.auth?.provider.prepare(interactive || (this.options.oauth?.signInOnStart ?? false));
        await this.initialize(client, transport);
      };
      await Promise.race([attempt(), timeout]);
      this.connecting = undefined;
      if (this.client !== client) return; // stopped or restarted meanwhile
      this.lastError = undefined;
      this.needsSignIn = false;
      this.setState('ready');
    } catch (err) {
      this.connecting = undefined;
      if (this.client !== client) return;
      clearTimeout(timer);
      if (isAuthFailure(err)) return await this.unauthorized(client, transport, err, interactive);
      this.client = undefined;
      this.lastError = `failed to start: ${(err as Error).message}`;
      this.note(`[manager] ${this.lastError}`);
      await client.close().catch(() => {});
      this.scheduleRestart();
    } finally {
      clearTimeout(timer);
    }
  }

  /** The server answered 401: sign in if a person may be asked now, otherwise say what they should do. */
  private async unauthorized(client: Client, transport: Transport, err: unknown, interactive: boolean): Promise<void> {
    const auth = this.auth;
    if (!auth?.wantsBrowser || !interactive) return this.refused(client, err, auth?.wantsBrowser ?? false);
    this.note(`[manager] waiting for the sign-in in the browser`);
    const abort = (this.signInAbort = new AbortController());
    const cancel = () => abort.abort(new Error('cancelled by the user'));
    if (this.signInSignal?.aborted) cancel();
    this.signInSignal?.addEventListener('abort', cancel, { once: true });
    try {
      await auth.signIn(asFinishesAuth(transport), this.options.startTimeoutMs, abort.signal);
    } catch (signInErr) {
      if (this.client !== client) return;
      return this.refused(client, signInErr, false);
    } finally {
      this.signInAbort = undefined;
      this.signInSignal?.removeEventListener('abort', cancel);
    }
    if (this.client !== client) return;
    this.note('[manager] signed in');
    this.client = undefined;
    await client.close().catch(() => {});
    // With the new tokens: a 401 now is reported, not answered with another browser tab.
    this.setState('starting');
    await this.connect(false);
  }

  /** Leaves the server in the error state with what to do; restarting on its own would not help. */
  private async refused(client: Client, err: unknown, signInNeeded: boolean): Promise<void> {
    this.client = undefined;
    this.needsSignIn = this.auth !== undefined;
    if (!this.auth) {
      const status = err instanceof StreamableHTTPError ? err.code : 401;
      this.lastError = `the server refused the request (HTTP ${status}): check the credentials in its "headers", or remove them to sign in with OAuth`;
    } else {
      this.lastError = signInNeeded ? this.auth.needsSignInMessage() : this.auth.failureMessage(err);
    }
    this.note(`[manager] ${this.lastError}`);
    await client.close().catch(() => {});
    this.setState('error');
  }

  private async initialize(client: Client, transport: Transport): Promise<void> {
    await client.connect(transport);
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    this.tools = tools;
  }

  private createTransport(): Transport {
    const s = this.server;
    if (s.type === 'http') {
      const requestInit = { headers: s.headers };
      const authProvider = this.auth?.provider;
      // Streamable HTTP is the current transport; "sse" definitions are old servers.
      return s.url.endsWith('/sse')
        ? new SSEClientTransport(new URL(s.url), { requestInit, authProvider })
        : new StreamableHTTPClientTransport(new URL(s.url), { requestInit, authProvider });
    }
    const transport = new StdioClientTransport({
      command: s.command,
      args: s.args,
      env: { ...getDefaultEnvironment(), ...this.options.baseEnv, ...s.env },
      cwd: s.cwd,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      for (const line of this.stderr.write(chunk.toString())) this.log(`[${this.name}] ${line}`);
    });
    return transport;
  }

  private closed(client: Client): void {
    // An http client that fails to initialize (a 401, say) is closed by the SDK itself: that is the attempt
    // failing, which connect() reports, not a crash. A stdio server closing meanwhile did exit.
    if (this.client !== client || this.stopping || (this.connecting === client && this.server.type === 'http')) return;
    this.client = undefined;
    this.lastError = 'the server process exited unexpectedly';
    this.note(`[manager] ${this.lastError}`);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    const ranStably = this.readySince !== undefined && Date.now() - this.readySince >= this.options.stableAfterMs;
    if (ranStably) this.restartsInARow = 0; // crashes far apart are not a crash loop
    this.readySince = undefined;
    if (this.restartsInARow >= this.options.maxRestarts) {
      this.lastError = `${this.lastError ?? 'failed'}; gave up after ${this.restartsInARow} restart(s) in a row`;
      this.setState('error');
      return;
    }
    const delay = this.options.backoffMs * 2 ** this.restartsInARow;
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      this.stats.restarts++;
      this.restartsInARow++;
      void this.connect();
    }, delay);
  }

  private async disconnect(): Promise<void> {
    clearTimeout(this.restartTimer);
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  /** Waits until the server is ready or has given up, at most `ms`. */
  private settled(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private setState(state: ServerState): void {
    if (state === 'ready' && this.state !== 'ready') this.readySince = Date.now();
    this.state = state;
    if (state !== 'starting' && state !== 'restarting') {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
    this.onChange(this);
  }

  private note(line: string): void {
    this.stderr.write(`${line}\n`);
    this.log(`[${this.name}] ${line}`);
  }
}

/** Both http transports can trade an authorization code for tokens; the shared Transport type does not say so. */
function asFinishesAuth(transport: Transport): { finishAuth(code: string): Promise<void> } {
  return transport as unknown as { finishAuth(code: string): Promise<void> };
}
