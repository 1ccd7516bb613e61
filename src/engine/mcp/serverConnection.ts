// One MCP server: launch, initialize, list tools, call tools; on a crash, keep its stderr and restart it
// with backoff a bounded number of times. Never throws for a server problem: it says what happened.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ResolvedServer } from '../config/serverDefinitions.js';
import { CallStats } from './callStats.js';
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
}

export class ServerUnavailableError extends Error {}

export class ServerConnection {
  state: ServerState = 'stopped';
  tools: Tool[] = [];
  lastError: string | undefined;
  readonly stderr = new StderrTail();
  readonly stats = new CallStats();
  private client: Client | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  /** Automatic restarts since the server last ran stably (or since a restart was asked for). */
  private restartsInARow = 0;
  private readySince: number | undefined;

  constructor(
    readonly server: ResolvedServer,
    private readonly options: ConnectionOptions,
    private readonly onChange: (connection: ServerConnection) => void,
    private readonly log: (line: string) => void,
  ) {}

  get name(): string {
    return this.server.name;
  }

  /** Starts the server; resolves after the first attempt, whether it came up or not (retries go on behind). */
  async start(): Promise<void> {
    this.stopping = false;
    this.setState('starting');
    await this.connect();
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
    const result = await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, { timeout: timeoutMs, signal });
    return result as CallToolResult;
  }

  /** The last error and the stderr tail, for messages. */
  explain(): string {
    const tail = this.stderr.text().split('\n').slice(-8).join('\n').trim();
    return [this.lastError, tail ? `Last stderr:\n${tail}` : ''].filter(Boolean).join('\n');
  }

  private async connect(): Promise<void> {
    const client = new Client({ name: this.options.clientName, version: this.options.clientVersion });
    const transport = this.createTransport();
    client.onerror = (err) => this.note(`[client] ${err.message}`);
    client.onclose = () => this.closed(client);
    this.client = client;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish starting within ${this.options.startTimeoutMs} ms`)), this.options.startTimeoutMs);
      });
      await Promise.race([this.initialize(client, transport), timeout]);
      if (this.client !== client) return; // stopped or restarted meanwhile
      this.lastError = undefined;
      this.setState('ready');
    } catch (err) {
      if (this.client !== client) return;
      this.client = undefined;
      this.lastError = `failed to start: ${(err as Error).message}`;
      this.note(`[manager] ${this.lastError}`);
      await client.close().catch(() => {});
      this.scheduleRestart();
    } finally {
      clearTimeout(timer);
    }
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
      // Streamable HTTP is the current transport; "sse" definitions are old servers.
      return s.url.endsWith('/sse')
        ? new SSEClientTransport(new URL(s.url), { requestInit })
        : new StreamableHTTPClientTransport(new URL(s.url), { requestInit });
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
    if (this.client !== client || this.stopping) return;
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
