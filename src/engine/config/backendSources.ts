// Prometheus and Grafana Loki as data sources of the bundled metrics and logs servers. Where the server is comes
// on its command line; credentials only through its environment (never argv, where `ps` would show them).

export interface PrometheusSource {
  url: string;
  /** A JSON file of team-defined signals (name → PromQL). */
  signals?: string;
  /** Credentials and headers, as the variables the metrics server reads (see PROMETHEUS_ENV). */
  env?: Record<string, string>;
}

export interface LokiSource {
  url: string;
  /** The LogQL stream selector that bounds what is read, e.g. {namespace="shop"}. */
  selector?: string;
  /** Credentials and the tenant, as the variables the logs server reads (see LOKI_ENV). */
  env?: Record<string, string>;
}

/**
 * What the metrics server reads for Prometheus from its environment: bearer token, or user and password; extra
 * headers, one per line; how far back to look for data when no window is given.
 */
export const PROMETHEUS_ENV = [
  'INCIDENT_PROMETHEUS_TOKEN',
  'INCIDENT_PROMETHEUS_USER',
  'INCIDENT_PROMETHEUS_PASSWORD',
  'INCIDENT_PROMETHEUS_HEADERS',
  'INCIDENT_PROMETHEUS_LOOKBACK',
] as const;
/** What the logs server reads for Loki: bearer token, or user and password; the tenant (X-Scope-OrgID); the lookback. */
export const LOKI_ENV = ['INCIDENT_LOKI_TOKEN', 'INCIDENT_LOKI_USER', 'INCIDENT_LOKI_PASSWORD', 'INCIDENT_LOKI_TENANT', 'INCIDENT_LOKI_LOOKBACK'] as const;

/** The given variables that are set in `env`, to hand to a server. */
export function credentialsFrom(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]!]] : [])));
}

/** An http(s) URL, or an error message that says what is wrong with it. */
export function checkBackendUrl(what: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${what} "${url}" is not a URL; give one such as http://127.0.0.1:9090`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${what} "${url}" must be an http:// or https:// URL`;
  if (parsed.username || parsed.password) return `${what} must not carry credentials in the URL; set them in the environment (or the extension's secret storage) instead`;
  return undefined;
}
