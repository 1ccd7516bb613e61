// How to reach Prometheus: the URL and headers from flags or the environment, credentials from the environment only
// (never argv, which any user of the machine can read with ps).

export const ENV = {
  url: 'INCIDENT_PROMETHEUS_URL',
  token: 'INCIDENT_PROMETHEUS_TOKEN',
  user: 'INCIDENT_PROMETHEUS_USER',
  password: 'INCIDENT_PROMETHEUS_PASSWORD',
  headers: 'INCIDENT_PROMETHEUS_HEADERS',
  signals: 'INCIDENT_PROMETHEUS_SIGNALS',
  lookback: 'INCIDENT_PROMETHEUS_LOOKBACK',
} as const;

export type Credentials = { kind: 'bearer'; token: string } | { kind: 'basic'; user: string; password: string };

export interface PrometheusSettings {
  /** The server's root, without a trailing slash: http://host:9090 or https://host/prometheus. */
  url: string;
  /** Sent with every request, e.g. a tenant id (X-Scope-OrgID) for Mimir, Cortex or Thanos. */
  headers: Record<string, string>;
  credentials?: Credentials;
  /** How far back from now to look for the data when nothing narrower is known. */
  lookbackMs: number;
}

export class SettingsError extends Error {}

export const DEFAULT_LOOKBACK_DAYS = 400;

export function prometheusUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new SettingsError(`--prometheus "${given}" is not a URL; give one such as http://127.0.0.1:9090`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError(`--prometheus must be an http:// or https:// URL, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new SettingsError(
      `--prometheus must not carry credentials in the URL; set ${ENV.user} and ${ENV.password} (or ${ENV.token}) in the environment`,
    );
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** Parses "Name: value" lines. Authorization is refused on argv: it would be visible to every user of the machine. */
export function parseHeaders(lines: readonly string[], from: 'argv' | 'env'): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new SettingsError(`header "${line}" is not "Name: value" (e.g. --prometheus-header "X-Scope-OrgID: team-a")`);
    }
    if (from === 'argv' && name.toLowerCase() === 'authorization') {
      throw new SettingsError(`pass credentials through ${ENV.token} (or ${ENV.user}/${ENV.password}), not on the command line`);
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function credentialsFrom(env: NodeJS.ProcessEnv): Credentials | undefined {
  const token = env[ENV.token];
  if (token) return { kind: 'bearer', token };
  const user = env[ENV.user];
  if (user) return { kind: 'basic', user, password: env[ENV.password] ?? '' };
  if (env[ENV.password]) throw new SettingsError(`${ENV.password} is set but ${ENV.user} is not`);
  return undefined;
}

/** "400d", "90d", "12h", "30m" or a number of days. */
export function parseLookback(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_LOOKBACK_DAYS * 86_400_000;
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m|w|y)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new SettingsError(`--prometheus-lookback "${text}" is not a duration such as 400d, 8w or 36h`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 }[(m[2] ?? 'd') as 'd'];
  return Number(m[1]) * unit;
}

/** What the start-up line says about the connection: never a secret, only where it came from. */
export function describeSettings(settings: PrometheusSettings): string {
  const auth =
    settings.credentials?.kind === 'bearer'
      ? `bearer token from ${ENV.token}`
      : settings.credentials?.kind === 'basic'
        ? `basic auth as ${settings.credentials.user} from ${ENV.user}/${ENV.password}`
        : 'no credentials';
  const names = Object.keys(settings.headers);
  return `${auth}${names.length ? `, headers ${names.join(', ')}` : ''}`;
}
