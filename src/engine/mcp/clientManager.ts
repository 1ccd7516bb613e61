// Launches every server in parallel, merges their tools into one catalog and routes each call to its server.
// One broken server never blocks the rest: its calls come back as tool errors that say what happened.
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ResolvedServer } from '../config/serverDefinitions.js';
import type { ServerFigures } from './callStats.js';
import { ServerConnection, ServerUnavailableError, type ConnectionOptions, type ServerState } from './serverConnection.js';

export interface CatalogTool {
  /** The name the analyst uses: the tool's own name, or `server.tool` when two servers share it. */
  name: string;
  server: string;
  tool: string;
  description: string;
  inputSchema: Tool['inputSchema'];
  outputSchema?: Tool['outputSchema'];
}

export interface ServerStatus extends ServerFigures {
  name: string;
  state: ServerState;
  toolCount: number;
  lastError?: string;
  /** The server wants a person to sign in (OAuth): `signIn(name)` does it. */
  needsSignIn?: boolean;
}

export interface ToolCallOutcome {
  server: string;
  tool: string;
  isError: boolean;
  /** The text content, joined. */
  text: string;
  structured?: Record<string, unknown>;
  durationMs: number;
}

export interface ManagerOptions extends Partial<ConnectionOptions> {
  callTimeoutMs?: number;
  log?: (line: string) => void;
  onStatus?: (status: ServerStatus) => void;
}

const DEFAULTS: ConnectionOptions & { callTimeoutMs: number } = {
  clientName: 'incident-analyzer',
  clientVersion: '0.1.0',
  startTimeoutMs: 15_000,
  maxRestarts: 3,
  stableAfterMs: 60_000,
  backoffMs: 250,
  baseEnv: {},
  callTimeoutMs: 60_000,
};

export class McpClientManager {
  private readonly connections: ServerConnection[];
  /** How long a call may take unless the caller says otherwise. */
  readonly callTimeoutMs: number;

  constructor(servers: readonly ResolvedServer[], options: ManagerOptions = {}) {
    // An option given as undefined (e.g. a CLI flag not used) keeps its default rather than erasing it.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ManagerOptions;
    const settings = { ...DEFAULTS, ...given };
    this.callTimeoutMs = settings.callTimeoutMs;
    const log = options.log ?? (() => {});
    const changed = (c: ServerConnection) => {
      this.catalogCache = undefined; // a (re)connected server may bring other tools
      options.onStatus?.(statusOf(c));
    };
    this.connections = servers.map((s) => new ServerConnection(s, settings, changed, log));
  }

  private started: Promise<void> | undefined;
  private catalogCache: CatalogTool[] | undefined;

  /** Starts all servers at once; resolves when each has come up or failed its first attempt. */
  async start(): Promise<ServerStatus[]> {
    this.started = Promise.all(this.connections.map((c) => c.start())).then(() => {});
    await this.started;
    return this.statuses();
  }

  /** Starts the servers unless that was done already. */
  async ready(): Promise<ServerStatus[]> {
    if (!this.started) return this.start();
    await this.started;
    return this.statuses();
  }

  get serverCount(): number {
    return this.connections.length;
  }

  async stop(): Promise<void> {
    this.started = undefined;
    await Promise.all(this.connections.map((c) => c.stop()));
  }

  async restart(name?: string): Promise<void> {
    await Promise.all(this.connections.filter((c) => !name || c.name === name).map((c) => c.restart()));
  }

  /**
   * Signs in to a server that asked for it: opens the browser through the opener, waits (bounded) and connects.
   * Resolves with the server's status afterwards, ready or with an error that says what went wrong.
   */
  async signIn(name: string, signal?: AbortSignal): Promise<ServerStatus | undefined> {
    const connection = this.connection(name);
    if (!connection) return undefined;
    await connection.signIn(signal);
    return statusOf(connection);
  }

  statuses(): ServerStatus[] {
    return this.connections.map(statusOf);
  }

  stderrOf(name: string): string {
    return this.connection(name)?.stderr.text() ?? '';
  }

  /** Every tool of every ready server; a name two servers share is qualified as `server.tool`. */
  catalog(): CatalogTool[] {
    this.catalogCache ??= this.buildCatalog();
    return this.catalogCache;
  }

  private buildCatalog(): CatalogTool[] {
    const all = this.connections.flatMap((c) => c.tools.map((t) => ({ server: c.name, t })));
    const counts = new Map<string, number>();
    for (const { t } of all) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    return all.map(({ server, t }) => ({
      name: counts.get(t.name)! > 1 ? `${server}.${t.name}` : t.name,
      server,
      tool: t.name,
      description: t.description ?? '',
      inputSchema: t.inputSchema,
      outputSchema: t.outputSchema,
    }));
  }

  /**
   * Calls a tool by catalog name. Problems with the server (down, crashed mid-call, too slow) come back as an
   * error outcome the analyst can read; only cancellation through `signal` throws.
   */
  async callTool(name: string, args: Record<string, unknown>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ToolCallOutcome> {
    const entry = this.catalog().find((t) => t.name === name);
    if (!entry) {
      const known = this.catalog().map((t) => t.name).join(', ');
      return { server: '?', tool: name, isError: true, text: `unknown tool "${name}". Available tools: ${known || 'none (no server is ready)'}.`, durationMs: 0 };
    }
    const connection = this.connection(entry.server)!;
    const timeoutMs = options.timeoutMs ?? this.callTimeoutMs;
    const started = performance.now();
    const outcome = (isError: boolean, text: string, structured?: Record<string, unknown>): ToolCallOutcome => {
      const durationMs = Math.round(performance.now() - started);
      connection.stats.record(durationMs, isError);
      return { server: entry.server, tool: entry.tool, isError, text, structured, durationMs };
    };
    // A signal of its own per call: the SDK leaves a listener on the signal it is given, and a run's signal
    // lives through hundreds of calls.
    const callAbort = new AbortController();
    const forward = () => callAbort.abort(options.signal?.reason);
    if (options.signal?.aborted) forward();
    options.signal?.addEventListener('abort', forward, { once: true });
    try {
      const result = await connection.call(entry.tool, args, timeoutMs, callAbort.signal);
      return outcome(result.isError === true, textOf(result), result.structuredContent as Record<string, unknown> | undefined);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      return outcome(true, describeFailure(err, entry, timeoutMs, connection));
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
  }

  private connection(name: string): ServerConnection | undefined {
    return this.connections.find((c) => c.name === name);
  }
}

function statusOf(c: ServerConnection): ServerStatus {
  return { name: c.name, state: c.state, toolCount: c.tools.length, lastError: c.lastError, ...(c.needsSignIn ? { needsSignIn: true } : {}), ...c.stats.figures() };
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type} content]`)).join('\n');
}

function describeFailure(err: unknown, entry: CatalogTool, timeoutMs: number, connection: ServerConnection): string {
  const call = `${entry.server}.${entry.tool}`;
  if (err instanceof ServerUnavailableError) return `${call} could not run: ${err.message}`;
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return `${call} did not answer within ${Math.round(timeoutMs / 1000)} s and was abandoned. Try a narrower request or another tool.`;
  }
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
    return `${call} failed: the "${entry.server}" server stopped during the call; it is being restarted. ${connection.explain()}`;
  }
  return `${call} failed: ${(err as Error).message ?? String(err)}`;
}
