// Prometheus' HTTP API over plain fetch: every failure becomes a message that names the URL and says what to do.
import { UserError } from '../../common/result.js';
import { ENV, type PrometheusSettings } from './settings.js';
import { timeoutOrCancel } from '../../common/callSignal.js';

/** A server that does not answer a trivial query within this long is reported as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A query that has not answered within this long is abandoned (the caller is told to narrow it). */
const ANSWER_TIMEOUT_MS = 30_000;
/** Bodies larger than this are refused: a query that selects too much should be narrowed, not buffered. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type Labels = Record<string, string>;
export interface MatrixSeries {
  metric: Labels;
  values: [number, string][];
}
export interface VectorSample {
  metric: Labels;
  value: [number, string];
}
export type QueryData =
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/** Prometheus' own error (errorType + error), passed on as it said it. */
export class PrometheusQueryError extends UserError {
  constructor(
    message: string,
    readonly errorType: string,
    readonly detail: string,
  ) {
    super(message);
  }

  /** Over 11,000 points per series (or a backend's lower limit): a wider step will do. */
  get tooManyPoints(): boolean {
    return /exceeded maximum resolution|too many points|maximum number of points/i.test(this.detail);
  }
}

export class PrometheusClient {
  readonly url: string;
  private readonly headers: Record<string, string>;
  /** Set after a failed connection, so the next request first checks, within seconds, that the host answers. */
  private reachable = false;

  constructor(private readonly settings: PrometheusSettings) {
    this.url = settings.url;
    this.headers = { Accept: 'application/json', ...settings.headers };
    const c = settings.credentials;
    if (c?.kind === 'bearer') this.headers.Authorization = `Bearer ${c.token}`;
    if (c?.kind === 'basic') this.headers.Authorization = `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
  }

  /** An instant query: the expression evaluated at one time (epoch ms). */
  query(expr: string, time: number): Promise<QueryData> {
    return this.get<QueryData>('/api/v1/query', { query: expr, time: seconds(time) });
  }

  queryRange(expr: string, start: number, end: number, stepMs: number): Promise<QueryData> {
    return this.get<QueryData>('/api/v1/query_range', { query: expr, start: seconds(start), end: seconds(end), step: String(stepMs / 1000) });
  }

  /** Metric names (or another label's values) with samples between start and end. */
  labelValues(label: string, start: number, end: number, match: readonly string[] = []): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, { start: seconds(start), end: seconds(end), 'match[]': [...match] });
  }

  series(match: readonly string[], start: number, end: number): Promise<Labels[]> {
    return this.get<Labels[]>('/api/v1/series', { 'match[]': [...match], start: seconds(start), end: seconds(end) });
  }

  async get<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
    const target = `${this.url}${path}?${search}`;
    if (!this.reachable) await this.checkReachable();
    let response: Response;
    try {
      response = await fetch(target, { headers: this.headers, signal: timeoutOrCancel(ANSWER_TIMEOUT_MS), redirect: 'follow' });
    } catch (err) {
      this.reachable = false;
      throw this.networkError(err, path);
    }
    const text = await readBody(response, this.url);
    return this.unwrap<T>(response, text, path);
  }

  /**
   * A first answer within seconds, so a server that is down, or an address that takes the connection and never
   * answers (a firewall, a proxy), fails fast instead of after the answer timeout. Any HTTP answer will do.
   */
  private async checkReachable(): Promise<void> {
    try {
      const response = await fetch(`${this.url}/api/v1/query?query=1`, { headers: this.headers, signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) });
      await response.body?.cancel();
    } catch (err) {
      const e = err as Error & { cause?: NodeJS.ErrnoException };
      const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s` : describeNetworkCode(e.cause?.code, e.cause?.message ?? e.message);
      throw new UserError(`Cannot reach Prometheus at ${this.url}: ${why}. ${this.whatToCheck()}`);
    }
    this.reachable = true;
  }

  private networkError(err: unknown, path: string): UserError {
    const e = err as Error & { cause?: NodeJS.ErrnoException };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return new UserError(
        `Prometheus at ${this.url} did not answer ${path} within ${ANSWER_TIMEOUT_MS / 1000} s. ` +
          'Narrow since/until or the query, or check the server\'s load.',
      );
    }
    const code = e.cause?.code;
    return new UserError(`Cannot reach Prometheus at ${this.url}: ${describeNetworkCode(code, e.cause?.message ?? e.message)}. ${this.whatToCheck()}`);
  }

  private whatToCheck(): string {
    return `Check that it is running and that --prometheus (or ${ENV.url}) points at it.`;
  }

  private unwrap<T>(response: Response, text: string, path: string): T {
    const where = `Prometheus at ${this.url}`;
    if (response.status === 401) {
      const given = this.settings.credentials ? ' The credentials given were not accepted.' : ' No credentials were given.';
      throw new UserError(
        `${where} answered 401 Unauthorized.${given} Set ${ENV.token} (a bearer token) or ${ENV.user} and ` +
          `${ENV.password} (basic auth) in the metrics server's environment.`,
      );
    }
    if (response.status === 403) {
      throw new UserError(
        `${where} answered 403 Forbidden: the credentials lack access. Set ${ENV.token} (or ${ENV.user}/${ENV.password}) ` +
          'to ones that may read metrics, and check a tenant header such as --prometheus-header "X-Scope-OrgID: TENANT".',
      );
    }
    let body: { status?: string; data?: unknown; errorType?: string; error?: string; warnings?: string[] } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body?.status === 'error' || (body && typeof body.error === 'string')) {
      const errorType = body.errorType ?? `HTTP ${response.status}`;
      const detail = body.error ?? '(no message)';
      throw new PrometheusQueryError(`${where} refused ${path}: ${errorType}: ${detail}`, errorType, detail);
    }
    if (response.status === 404) {
      throw new UserError(
        `${where} has no ${path} (HTTP 404). Point --prometheus at the Prometheus root (http://host:9090) or the ` +
          'prefix of its API (e.g. https://host/prometheus for Mimir).',
      );
    }
    if (!response.ok || body?.status !== 'success') {
      const snippet = text.replace(/\s+/g, ' ').slice(0, 200);
      throw new UserError(`${where} answered ${path} with HTTP ${response.status}${snippet ? `: ${snippet}` : ''}. Is this a Prometheus API?`);
    }
    return body.data as T;
  }
}

async function readBody(response: Response, url: string): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new UserError(`Prometheus at ${url} sent ${Math.round(length / 1048576)} MB for one query; narrow since/until or the query.`);
  }
  try {
    return await response.text();
  } catch (err) {
    throw new UserError(`Prometheus at ${url} broke off its answer: ${(err as Error).message}.`);
  }
}

function describeNetworkCode(code: string | undefined, message: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `no connection within ${CONNECT_TIMEOUT_MS / 1000} s`;
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return code ? `${code} ${message}` : message;
  }
}

function seconds(ms: number): string {
  return String(ms / 1000);
}
