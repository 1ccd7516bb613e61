// A bundled server as a network service: MCP over Streamable HTTP at /mcp (one session per client, each with its
// own server instance), GET /health and GET /metrics, behind the Host/Origin and token checks. SIGTERM drains it.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { CallWatch } from './callWatch.js';
import { formatUrl, type ListenAddress } from './listenAddress.js';
import { BodyTooLargeError, readBody } from './readBody.js';
import { RequestChecks } from './requestChecks.js';
import { ServiceMetrics, type RejectReason } from './serviceMetrics.js';
import type { ServiceOptions } from './serviceOptions.js';
import { SessionEventStore } from './sessionEventStore.js';

export interface SourceHealth {
  /** What the server reads, e.g. "log files", "loki", "git repository", "prometheus". */
  kind: string;
  ok: boolean;
  /** Why not, or what was found; shown only to callers allowed to use the server (it may name paths). */
  detail?: string;
}

export interface HttpServiceConfig {
  name: string;
  version: string;
  options: ServiceOptions;
  /** A new server for each session: a McpServer serves one transport. */
  createServer: () => McpServer;
  toolNames: readonly string[];
  checkSource: () => Promise<SourceHealth>;
  log: (line: string) => void;
  /** How long a call whose client disconnected may wait for the client to resume its stream before it is cancelled. */
  resumeGraceMs?: number;
  /** Sessions with no request, no open stream and no call for this long are closed. */
  idleSessionMs?: number;
  maxSessions?: number;
  /** On SIGTERM, how long calls in flight may take to finish. */
  drainMs?: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  events: SessionEventStore;
  watch: CallWatch;
  lastSeen: number;
  openStreams: number;
  lastResumeAt: number;
}

export class ServiceStartError extends Error {}

const HEALTH_CACHE_MS = 2_000;

export class HttpService {
  readonly metrics: ServiceMetrics;
  private readonly checks: RequestChecks;
  private readonly sessions = new Map<string, Session>();
  private readonly http: http.Server;
  private readonly startedAt = Date.now();
  private readonly knownTools: ReadonlySet<string>;
  private closing = false;
  private reaper: NodeJS.Timeout | undefined;
  private health: { at: number; value: SourceHealth } | undefined;
  private readonly resumeGraceMs: number;
  private readonly idleSessionMs: number;
  private readonly maxSessions: number;
  private readonly drainMs: number;

  constructor(private readonly config: HttpServiceConfig) {
    this.metrics = new ServiceMetrics(config.name);
    this.checks = new RequestChecks(config.options);
    this.knownTools = new Set(config.toolNames);
    this.metrics.startAtZero(this.knownTools);
    this.resumeGraceMs = config.resumeGraceMs ?? 10_000;
    this.idleSessionMs = config.idleSessionMs ?? 30 * 60_000;
    this.maxSessions = config.maxSessions ?? 1000;
    this.drainMs = config.drainMs ?? 10_000;
    this.http = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        config.log(`request failed: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
    });
  }

  /** Listens; resolves with the address (the real port when 0 was asked for). */
  async start(): Promise<ListenAddress> {
    const { host, port } = this.config.options.address;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', (err: NodeJS.ErrnoException) => reject(new ServiceStartError(describeListenError(err, host, port))));
      this.http.listen(port, host, () => resolve());
    });
    this.http.on('error', (err) => this.config.log(`HTTP server error: ${err.message}`));
    this.reaper = setInterval(() => this.closeIdleSessions(), Math.min(30_000, this.idleSessionMs)).unref();
    const actual = { host, port: (this.http.address() as AddressInfo).port };
    const auth = this.checks.requiresToken ? 'bearer token required' : 'no token (loopback only)';
    this.config.log(`listening on ${formatUrl(actual)} (MCP at /mcp, /health, /metrics; ${auth})`);
    return actual;
  }

  /** Stops accepting, lets calls in flight finish (bounded), then closes every session and connection. */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.reaper);
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const deadline = Date.now() + this.drainMs;
    while (this.callsInFlight() > 0 && Date.now() < deadline) await sleep(25);
    const left = this.callsInFlight();
    if (left > 0) this.config.log(`stopping with ${left} call(s) still running after ${this.drainMs} ms; they are cancelled`);
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close().catch(() => {})));
    this.http.closeAllConnections();
    await closed;
  }

  private callsInFlight(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.watch.inFlight;
    return n;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = this.checks.checkOrigin(req.headers);
    if (refused) return this.refuse(req, res, refused.status, refused.reason);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health') return req.method === 'GET' || req.method === 'HEAD' ? this.serveHealth(req, res) : methodNotAllowed(req, res, 'GET');
    if (path === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(req, res, 'GET');
      if (!this.checks.authorized(req.headers)) return this.refuse(req, res, 401, 'unauthorized');
      res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
      res.end(await this.metrics.registry.metrics());
      return;
    }
    if (path === '/mcp') {
      if (!this.checks.authorized(req.headers)) return this.refuse(req, res, 401, 'unauthorized');
      if (this.closing) return this.refuse(req, res, 503, 'shutting_down');
      return this.serveMcp(req, res);
    }
    req.resume();
    sendJson(res, 404, { error: 'not found: this server answers /mcp, /health and /metrics' });
  }

  private async serveMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    const session = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, this.config.options.maxBodyBytes)).toString('utf8'));
      } catch (err) {
        if (err instanceof BodyTooLargeError) return this.refuse(req, res, 413, 'too_large');
        this.metrics.reject('bad_request');
        return sendJson(res, 400, rpcError(-32700, 'Parse error: the body is not JSON'));
      }
      if (session) return this.handleInSession(session, req, res, body);
      if (sessionId !== undefined) return this.unknownSession(res);
      if (!isInitializeRequest(body)) {
        this.metrics.reject('bad_request');
        return sendJson(res, 400, rpcError(-32000, 'Bad Request: no valid session id; start with an initialize request'));
      }
      if (this.sessions.size >= this.maxSessions) return this.refuse(req, res, 503, 'busy');
      return this.openSession(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (session) return this.handleInSession(session, req, res, undefined);
      req.resume();
      return sessionId === undefined ? sendJson(res, 400, rpcError(-32000, 'Bad Request: mcp-session-id header is required')) : this.unknownSession(res);
    }
    methodNotAllowed(req, res, 'GET, POST, DELETE');
  }

  private async openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const server = this.config.createServer();
    const watch = new CallWatch(this.metrics, this.knownTools);
    const events = new SessionEventStore();
    const session: Session = { transport: undefined as never, events, watch, lastSeen: Date.now(), openStreams: 0, lastResumeAt: 0 };
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: events,
      retryInterval: 1000, // a client whose stream broke waits this long, then resumes with Last-Event-ID
      maxRequestBodySize: this.config.options.maxBodyBytes,
      onsessioninitialized: (id) => {
        this.sessions.set(id, session);
        this.metrics.sessions.inc();
        this.metrics.sessionsOpened.inc();
      },
    });
    session.transport = transport;
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && this.sessions.delete(id)) this.metrics.sessions.dec();
      watch.settleAll();
    };
    await server.connect(transport);
    watch.attach(transport);
    await this.handleInSession(session, req, res, body);
  }

  private async handleInSession(session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    session.lastSeen = Date.now();
    if (req.method === 'GET') {
      if (req.headers['last-event-id']) session.lastResumeAt = Date.now();
      session.openStreams++;
      res.once('close', () => {
        session.openStreams--;
        session.lastSeen = Date.now();
      });
    }
    const ids = requestIds(body);
    if (ids.length > 0) res.once('close', () => this.whenClientLeaves(session, ids));
    await session.transport.handleRequest(req, res, body);
  }

  /** The answer's stream closed: calls still unanswered are cancelled unless the client resumes in time. */
  private whenClientLeaves(session: Session, ids: RequestId[]): void {
    if (session.watch.unanswered(ids).length === 0) return;
    const leftAt = Date.now();
    setTimeout(() => {
      if (session.lastResumeAt >= leftAt) return;
      session.watch.cancel(ids, 'the client disconnected');
    }, this.resumeGraceMs).unref();
  }

  private closeIdleSessions(): void {
    const cutoff = Date.now() - this.idleSessionMs;
    for (const s of this.sessions.values()) {
      s.events.prune();
      if (s.lastSeen < cutoff && s.openStreams === 0 && s.watch.inFlight === 0) void s.transport.close().catch(() => {});
    }
  }

  private async serveHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    const source = await this.sourceHealth();
    const status = this.closing ? 'stopping' : source.ok ? 'ok' : 'unavailable';
    // The detail can name paths and addresses: only for callers who may use the server anyway.
    const shown = this.checks.authorized(req.headers) ? source : { kind: source.kind, ok: source.ok };
    sendJson(res, status === 'ok' ? 200 : 503, {
      status,
      server: this.config.name,
      version: this.config.version,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      tools: this.knownTools.size,
      sessions: this.sessions.size,
      source: shown,
    });
  }

  private async sourceHealth(): Promise<SourceHealth> {
    if (this.health && Date.now() - this.health.at < HEALTH_CACHE_MS) return this.health.value;
    let value: SourceHealth;
    try {
      value = await this.config.checkSource();
    } catch (err) {
      value = { kind: 'unknown', ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
    this.health = { at: Date.now(), value };
    return value;
  }

  private unknownSession(res: ServerResponse): void {
    this.metrics.reject('unknown_session');
    sendJson(res, 404, rpcError(-32001, 'Session not found: it expired or the server restarted; initialize a new session'));
  }

  /** Refusals say only the status: no detail that would help a caller without the token. */
  private refuse(req: IncomingMessage, res: ServerResponse, status: 401 | 403 | 413 | 503, reason: RejectReason): void {
    this.metrics.reject(reason);
    req.resume();
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
    if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="incident-analyzer"';
    if (status === 413) headers.Connection = 'close';
    res.writeHead(status, headers);
    res.end(JSON.stringify({ error: http.STATUS_CODES[status] }));
  }
}

function requestIds(body: unknown): RequestId[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => (m && typeof m === 'object' && 'method' in m && 'id' in m ? [(m as { id: RequestId }).id] : []));
}

function rpcError(code: number, message: string): object {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  res.writeHead(405, { Allow: allow, 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: `method ${req.method} not allowed; use ${allow}` }));
}

function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use; stop the process using it or choose another with --http ${host}:PORT`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need privileges); choose a port above 1024`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: ${host} is not an address of this machine`;
    default:
      return `cannot listen on ${where}: ${err.message}`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
