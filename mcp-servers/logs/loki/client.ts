// Talks to Grafana Loki over HTTP with plain fetch. Credentials come from the environment only (never argv):
// INCIDENT_LOKI_TOKEN (bearer) or INCIDENT_LOKI_USER + INCIDENT_LOKI_PASSWORD (basic); the tenant goes in
// X-Scope-OrgID. Loki's errors are plain text and are passed on; an unreachable Loki is named within seconds.
import { UserError } from '../../common/result.js';
import { canonicalLabels, type Labels } from './labels.js';
import { timeoutOrCancel } from '../../common/callSignal.js';

export interface LokiAuth {
  token?: string;
  user?: string;
  password?: string;
  tenant?: string;
}

export interface LokiClientOptions {
  /** How long a query may take before it fails (ms). */
  queryTimeoutMs?: number;
  /** How long reaching Loki may take before it is called unreachable (ms). */
  connectTimeoutMs?: number;
}

export interface LokiStream {
  labels: Labels;
  /** canonicalLabels(labels). */
  stream: string;
  values: Array<[string, string]>;
}

export interface LokiSeries {
  metric: Labels;
  values: Array<[number, string]>;
}

/** Loki answered with an HTTP error; `body` is its plain-text message. */
export class LokiHttpError extends UserError {
  constructor(
    readonly status: number,
    readonly body: string,
    message: string,
  ) {
    super(message);
  }
}

const PROBE_TTL_MS = 30_000;

export function authFromEnv(env: NodeJS.ProcessEnv, tenant?: string): LokiAuth {
  return {
    token: env.INCIDENT_LOKI_TOKEN || undefined,
    user: env.INCIDENT_LOKI_USER || undefined,
    password: env.INCIDENT_LOKI_PASSWORD || undefined,
    tenant: tenant || env.INCIDENT_LOKI_TENANT || undefined,
  };
}

export class LokiClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly queryTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private reachableAt = 0;

  constructor(url: string, readonly auth: LokiAuth, options: LokiClientOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UserError(`--loki "${url}" is not a URL; give one such as http://127.0.0.1:3100.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UserError(`--loki "${url}" must be an http:// or https:// URL.`);
    if (parsed.username || parsed.password) {
      throw new UserError('--loki must not carry credentials in the URL; set INCIDENT_LOKI_TOKEN or INCIDENT_LOKI_USER/INCIDENT_LOKI_PASSWORD instead.');
    }
    this.url = url.replace(/\/+$/, '');
    this.headers = {};
    if (auth.token) this.headers.Authorization = `Bearer ${auth.token}`;
    else if (auth.user !== undefined) this.headers.Authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password ?? ''}`).toString('base64')}`;
    if (auth.tenant) this.headers['X-Scope-OrgID'] = auth.tenant;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 60_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  }

  describeAuth(): string {
    const how = this.auth.token ? 'bearer token' : this.auth.user !== undefined ? `basic auth as ${this.auth.user}` : 'no auth';
    return `${how}${this.auth.tenant ? `, tenant ${this.auth.tenant}` : ''}`;
  }

  /** Log entries of a LogQL log query in [startNs, endNs), `limit` at most. */
  async queryStreams(query: string, startNs: bigint, endNs: bigint, limit: number, direction: 'forward' | 'backward'): Promise<LokiStream[]> {
    const body = await this.get('/loki/api/v1/query_range', {
      query,
      start: startNs.toString(),
      end: endNs.toString(),
      limit: String(limit),
      direction,
    });
    const data = body.data as { resultType?: string; result?: Array<{ stream?: Labels; values?: Array<[string, string]> }> };
    if (data?.resultType !== 'streams') throw new UserError(`Loki answered "${query}" with ${data?.resultType ?? 'nothing'} instead of log lines.`);
    return (data.result ?? []).map((r) => {
      // Labels our own pipeline stages extract (ia_*) are not the stream's.
      const labels = Object.fromEntries(Object.entries(r.stream ?? {}).filter(([k]) => !k.startsWith('ia_')));
      return { labels, stream: canonicalLabels(labels), values: r.values ?? [] };
    });
  }

  /** A metric query over [startNs, endNs] evaluated every `stepSeconds`. */
  async queryMatrix(query: string, startNs: bigint, endNs: bigint, stepSeconds: number): Promise<LokiSeries[]> {
    const body = await this.get('/loki/api/v1/query_range', { query, start: startNs.toString(), end: endNs.toString(), step: String(stepSeconds) });
    const data = body.data as { resultType?: string; result?: Array<{ metric?: Labels; values?: Array<[number, string]> }> };
    if (data?.resultType !== 'matrix') throw new UserError(`Loki answered "${query}" with ${data?.resultType ?? 'nothing'} instead of a matrix.`);
    return (data.result ?? []).map((r) => ({ metric: r.metric ?? {}, values: r.values ?? [] }));
  }

  async labelNames(startNs: bigint, endNs: bigint): Promise<string[]> {
    const body = await this.get('/loki/api/v1/labels', { start: startNs.toString(), end: endNs.toString() });
    return ((body.data as string[] | undefined) ?? []).filter((n) => n !== '__name__');
  }

  async series(matchers: string[], startNs: bigint, endNs: bigint): Promise<Labels[]> {
    const params = new URLSearchParams({ start: startNs.toString(), end: endNs.toString() });
    for (const m of matchers) params.append('match[]', m);
    const body = await this.get('/loki/api/v1/series', params);
    return (body.data as Labels[] | undefined) ?? [];
  }

  /** Any HTTP answer within the connect timeout means Loki is there; remembered for a while. */
  private async ensureReachable(): Promise<void> {
    if (Date.now() - this.reachableAt < PROBE_TTL_MS) return;
    try {
      const response = await fetch(`${this.url}/loki/api/v1/status/buildinfo`, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.connectTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw new UserError(`cannot reach Loki at ${this.url}: ${reason(err, this.connectTimeoutMs)}. Check --loki and that Loki is running.`);
    }
    this.reachableAt = Date.now();
  }

  private async get(path: string, params: Record<string, string> | URLSearchParams): Promise<{ status?: string; data?: unknown }> {
    await this.ensureReachable();
    const search = params instanceof URLSearchParams ? params : new URLSearchParams(params);
    const target = `${this.url}${path}?${search.toString()}`;
    let response: Response;
    let text: string;
    try {
      try {
        response = await fetch(target, { headers: this.headers, signal: timeoutOrCancel(this.queryTimeoutMs) });
        text = await response.text();
      } catch (err) {
        // A kept-alive connection that Loki closed meanwhile: a GET is safe to send once more on a new one.
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw err;
        response = await fetch(target, { headers: this.headers, signal: timeoutOrCancel(this.queryTimeoutMs) });
        text = await response.text();
      }
    } catch (err) {
      this.reachableAt = 0;
      throw new UserError(`Loki at ${this.url} failed to answer ${path}: ${reason(err, this.queryTimeoutMs)}. Check that Loki is running; narrow since/until if it is slow.`);
    }
    if (response.status === 401 || response.status === 403) {
      const what = response.status === 401 ? 'refused the request without valid credentials (401)' : 'refused these credentials (403)';
      const has = this.auth.token ? 'INCIDENT_LOKI_TOKEN is set' : this.auth.user !== undefined ? 'INCIDENT_LOKI_USER is set' : 'no credentials are set';
      throw new LokiHttpError(
        response.status,
        text,
        `Loki at ${this.url} ${what}: ${oneLine(text)}. ${has}; set INCIDENT_LOKI_TOKEN (bearer token) or INCIDENT_LOKI_USER and ` +
          `INCIDENT_LOKI_PASSWORD (basic auth) in the server's environment` +
          `${this.auth.tenant ? '' : ', and INCIDENT_LOKI_TENANT (or --loki-tenant) if Loki is multi-tenant'}.`,
      );
    }
    if (!response.ok) {
      throw new LokiHttpError(response.status, text, `Loki at ${this.url} answered HTTP ${response.status} to ${path}: ${oneLine(text)}`);
    }
    try {
      return JSON.parse(text) as { status?: string; data?: unknown };
    } catch {
      throw new UserError(`Loki at ${this.url} answered ${path} with something that is not JSON: ${oneLine(text)}`);
    }
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat || '(empty body)';
}

function reason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ?? e?.message ?? String(err);
}
