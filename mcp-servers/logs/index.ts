// Entry point of the logs MCP server: `node dist/servers/logs.js --logs DIR_OR_FILE_OR_GLOB [...]`,
// or `--loki URL [--loki-selector '{namespace="shop"}'] [--loki-tenant T] [--loki-lookback 30d]` to read Grafana Loki,
// or `node dist/servers/logs.js patterns FILE [--assignments]` for the template miner alone.
import { isMainThread } from 'node:worker_threads';
import { UsageError, parseFlags, usage } from '../common/args.js';
import { UserError } from '../common/result.js';
import { logToStderr } from '../common/stdio.js';
import { serve } from '../common/serve.js';
import { ServiceStartError, type SourceHealth } from '../common/http/httpService.js';
import { SERVICE_FLAGS, ServiceOptionsError, serviceOptionsFrom } from '../common/http/serviceOptions.js';
import { LogCatalog } from './catalog.js';
import { LogsContext } from './context.js';
import { runRegexWorker } from './regexWorker.js';
import { runPatternsCli } from './patternsCli.js';
import { createLogsServer, createLokiLogsServer } from './server.js';
import { LokiClient, authFromEnv } from './loki/client.js';
import { LokiContext } from './loki/context.js';
import { locateRipgrep } from './ripgrep/locate.js';

const FLAGS = {
  logs: { env: 'INCIDENT_LOGS', repeatable: true, description: 'a log directory, file or glob' },
  ripgrep: { env: 'INCIDENT_RIPGREP', description: 'the rg binary for literal searches (default: rg on PATH; "off": none)' },
  loki: {
    env: 'INCIDENT_LOKI_URL',
    description:
      'read Grafana Loki at this URL instead of files (credentials only from the environment: INCIDENT_LOKI_TOKEN, or ' +
      'INCIDENT_LOKI_USER + INCIDENT_LOKI_PASSWORD)',
  },
  'loki-selector': { env: 'INCIDENT_LOKI_SELECTOR', description: 'LogQL stream selector bounding what is read, e.g. {namespace="shop"} (default: every stream)' },
  'loki-tenant': { env: 'INCIDENT_LOKI_TENANT', description: 'tenant sent as X-Scope-OrgID' },
  'loki-lookback': { env: 'INCIDENT_LOKI_LOOKBACK', description: 'default window when a call gives no since: this long before now, e.g. 30d, 12h (default 30d)' },
  ...SERVICE_FLAGS,
};

async function main(argv: string[]): Promise<number | undefined> {
  if (argv[0] === 'patterns') return runPatternsCli(argv.slice(1));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(usage('logs.js', FLAGS, '   or: node logs.js patterns FILE [--assignments]\n'));
    return 0;
  }
  try {
    const { flags, rest } = parseFlags(argv, FLAGS);
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const onArgv = (name: string) => argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (onArgv('logs') && onArgv('loki')) throw new UsageError('give either --logs or --loki, not both');
    const service = serviceOptionsFrom(flags);
    if (flags.loki.length > 0 && !onArgv('logs')) {
      const client = new LokiClient(flags.loki[0]!, authFromEnv(process.env, flags['loki-tenant'][0]));
      const lookback = parseLookback(flags['loki-lookback'][0] ?? '30d');
      const ctx = new LokiContext(client, flags['loki-selector'][0], lookback);
      logToStderr('logs', `serving logs from ${ctx.describe()} (${client.describeAuth()})`);
      await serve({ name: 'logs', service, createServer: () => createLokiLogsServer(ctx), checkSource: () => lokiHealth(client) });
      return undefined;
    }
    const catalog = new LogCatalog(flags.logs);
    const files = catalog.files();
    const ripgrep = locateRipgrep(flags.ripgrep[0]);
    logToStderr('logs', `serving ${files.length} log file(s) from ${catalog.describeRoots()}`);
    logToStderr('logs', `literal searches: ${ripgrep.binary ? `ripgrep ${ripgrep.binary}` : 'JavaScript'} (${ripgrep.reason})`);
    const ctx = new LogsContext(catalog, __filename, ripgrep.binary);
    await serve({ name: 'logs', service, createServer: () => createLogsServer(ctx), checkSource: async () => logFilesHealth(catalog) });
    return undefined; // keep running
  } catch (err) {
    if (err instanceof ServiceStartError) {
      process.stderr.write(`logs server: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || err instanceof UserError || err instanceof ServiceOptionsError) {
      process.stderr.write(`logs server: ${err.message}\n${usage('logs.js', FLAGS)}`);
      return 2;
    }
    throw err;
  }
}

function logFilesHealth(catalog: LogCatalog): SourceHealth {
  const kind = 'log files';
  try {
    const count = catalog.files().length;
    if (count === 0) return { kind, ok: false, detail: `no log files found in ${catalog.describeRoots()}` };
    return { kind, ok: true, detail: `${count} log file(s) in ${catalog.describeRoots()}` };
  } catch (err) {
    return { kind, ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

async function lokiHealth(client: LokiClient): Promise<SourceHealth> {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  try {
    const labels = await client.labelNames(nowNs - 3_600_000_000_000n, nowNs);
    return { kind: 'loki', ok: true, detail: `Loki answered (${labels.length} label name(s) in the last hour)` };
  } catch (err) {
    return { kind: 'loki', ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

function parseLookback(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m)$/.exec(text.trim());
  if (!m) throw new UsageError(`--loki-lookback "${text}" is not a duration such as 30d, 12h or 90m`);
  const ms = Number(m[1]) * (m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000);
  if (ms <= 0) throw new UsageError('--loki-lookback must be longer than zero');
  return ms;
}

if (!isMainThread) {
  runRegexWorker();
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`logs server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
