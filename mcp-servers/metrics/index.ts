// Entry point: node dist/servers/metrics.js --metrics FILE (or INCIDENT_METRICS=FILE),
// or --prometheus URL (or INCIDENT_PROMETHEUS_URL) to read a Prometheus instead of a file.
import { parseFlags, usage, UsageError, type FlagSpec } from '../common/args.js';
import { logToStderr } from '../common/stdio.js';
import { serve } from '../common/serve.js';
import { ServiceStartError, type SourceHealth } from '../common/http/httpService.js';
import { SERVICE_FLAGS, ServiceOptionsError, serviceOptionsFrom, type ServiceOptions } from '../common/http/serviceOptions.js';
import { JsonFileMetricSource } from './jsonFileSource.js';
import { PrometheusClient } from './prometheus/client.js';
import { PrometheusMetricSource } from './prometheus/prometheusSource.js';
import {
  ENV,
  SettingsError,
  credentialsFrom,
  describeSettings,
  parseHeaders,
  parseLookback,
  prometheusUrl,
  type PrometheusSettings,
} from './prometheus/settings.js';
import { SignalsFileError, readTeamSignals } from './prometheus/teamSignals.js';
import { createMetricsServer } from './server.js';
import type { MetricSource } from './source.js';

const FLAGS = {
  metrics: { env: 'INCIDENT_METRICS', description: 'JSON metrics file: {"metrics": [{"timestamp": ..., "cpu_usage": ...}]}' },
  prometheus: { env: ENV.url, description: 'Prometheus to read instead of a file: its root URL, e.g. http://127.0.0.1:9090' },
  signals: { env: ENV.signals, description: 'JSON file of team signals: {"signals": {"name": "PromQL expression"}}' },
  'prometheus-header': {
    env: ENV.headers,
    repeatable: true,
    description: `header sent to Prometheus, "Name: value" (e.g. a tenant id: "X-Scope-OrgID: team-a"); the variable holds one per line`,
  },
  'prometheus-lookback': { env: ENV.lookback, description: 'how far back to look for the data (default 400d)' },
  ...SERVICE_FLAGS,
} satisfies Record<string, FlagSpec>;

const CREDENTIALS_HELP =
  `Credentials come from the environment only: ${ENV.token} (bearer token), or ${ENV.user} and ${ENV.password} (basic auth).\n`;

type Choice = ({ kind: 'file'; file: string } | { kind: 'prometheus'; settings: PrometheusSettings; signalsFile?: string }) & {
  service: ServiceOptions | undefined;
};

function chooseSource(argv: string[], env: NodeJS.ProcessEnv): Choice {
  // The header variable holds one header per line, so it is read here rather than split like a path list.
  const { flags, rest } = parseFlags(argv, FLAGS, { ...env, [ENV.headers]: undefined });
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const service = serviceOptionsFrom(flags, env);
  const fromArgv = (name: string) => argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  let kind: 'file' | 'prometheus';
  if (fromArgv('metrics') && fromArgv('prometheus')) throw new UsageError('give --metrics or --prometheus, not both');
  else if (fromArgv('metrics')) kind = 'file';
  else if (fromArgv('prometheus')) kind = 'prometheus';
  else if (flags.prometheus[0] && flags.metrics[0]) throw new UsageError(`set INCIDENT_METRICS or ${ENV.url}, not both`);
  else if (flags.prometheus[0]) kind = 'prometheus';
  else if (flags.metrics[0]) kind = 'file';
  else throw new UsageError('--metrics FILE or --prometheus URL is required');
  if (kind === 'file') {
    const stray = ['signals', 'prometheus-header', 'prometheus-lookback'].find(fromArgv);
    if (stray) throw new UsageError(`--${stray} needs --prometheus URL`);
    return { kind, file: flags.metrics[0]!, service };
  }
  try {
    const headerLines = flags['prometheus-header'].length ? flags['prometheus-header'] : (env[ENV.headers] ?? '').split(/\r?\n/);
    const settings: PrometheusSettings = {
      url: prometheusUrl(flags.prometheus[0]!),
      headers: parseHeaders(headerLines, flags['prometheus-header'].length ? 'argv' : 'env'),
      lookbackMs: parseLookback(flags['prometheus-lookback'][0]),
    };
    const credentials = credentialsFrom(env);
    if (credentials) settings.credentials = credentials;
    return { kind, settings, service, ...(flags.signals[0] && { signalsFile: flags.signals[0] }) };
  } catch (err) {
    if (err instanceof SettingsError) throw new UsageError(err.message);
    throw err;
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage('dist/servers/metrics.js', FLAGS, CREDENTIALS_HELP));
    process.exit(0);
  }
  let source: MetricSource;
  let service: ServiceOptions | undefined;
  let checkSource: () => Promise<SourceHealth>;
  try {
    const choice = chooseSource(argv, process.env);
    service = choice.service;
    if (choice.kind === 'file') {
      // A missing or broken file does not stop the server: each tool explains what is wrong until it is fixed.
      const fileSource = new JsonFileMetricSource(choice.file);
      source = fileSource;
      checkSource = () => metricsFileHealth(fileSource);
    } else {
      const teamSignals = choice.signalsFile ? readTeamSignals(choice.signalsFile) : [];
      const client = new PrometheusClient(choice.settings);
      source = new PrometheusMetricSource(client, { lookbackMs: choice.settings.lookbackMs, teamSignals });
      checkSource = () => prometheusHealth(client);
      logToStderr(
        'metrics',
        `reading ${source.label} (${describeSettings(choice.settings)}` +
          `${choice.signalsFile ? `, ${teamSignals.length} team signals from ${choice.signalsFile}` : ''})`,
      );
    }
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof SignalsFileError) && !(err instanceof ServiceOptionsError)) throw err;
    process.stderr.write(`metrics: ${err.message}\n${usage('dist/servers/metrics.js', FLAGS, CREDENTIALS_HELP)}`);
    process.exit(2);
  }
  if (source instanceof JsonFileMetricSource) logToStderr('metrics', `reading ${source.label}`);
  const metricSource = source;
  serve({ name: 'metrics', service, createServer: () => createMetricsServer(metricSource), checkSource }).catch((err: unknown) => {
    logToStderr('metrics', `failed to start: ${err instanceof ServiceStartError ? err.message : err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}

async function metricsFileHealth(source: JsonFileMetricSource): Promise<SourceHealth> {
  try {
    const catalog = await source.catalog();
    return { kind: 'metrics file', ok: true, detail: `${source.label}: ${catalog.metrics.length} metric(s)` };
  } catch (err) {
    return { kind: 'metrics file', ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

async function prometheusHealth(client: PrometheusClient): Promise<SourceHealth> {
  try {
    await client.query('vector(1)', Date.now());
    return { kind: 'prometheus', ok: true, detail: `Prometheus at ${client.url} answered` };
  } catch (err) {
    return { kind: 'prometheus', ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

main();
