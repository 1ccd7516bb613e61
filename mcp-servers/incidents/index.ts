// Entry point: `node dist/servers/incidents.js [--workspace DIR] [--postgres URL] [--runbooks FILE] [--http [HOST:]PORT]`.
// The webhook URL is a secret and comes only from the environment (INCIDENT_WEBHOOK_URL), as does a database
// password best (INCIDENT_POSTGRES_URL: a URL on the command line is visible to every user of the machine).
import path from 'node:path';
import { parseFlags, usage, UsageError, type FlagSpec } from '../common/args.js';
import { ServiceStartError } from '../common/http/httpService.js';
import { SERVICE_FLAGS, ServiceOptionsError, serviceOptionsFrom } from '../common/http/serviceOptions.js';
import { UserError } from '../common/result.js';
import { serve } from '../common/serve.js';
import { logToStderr } from '../common/stdio.js';
import { webhookFromEnv, webhookHost } from './notify/webhook.js';
import { createIncidentsServer } from './server.js';
import { FileIncidentStore } from './store/fileStore.js';
import type { IncidentStore } from './store/incidentStore.js';
import { PostgresIncidentStore } from './store/postgresStore.js';

const FLAGS = {
  workspace: { env: 'INCIDENT_WORKSPACE', description: 'the workspace: runbooks, incident files and postmortems live here (default: the current folder)' },
  postgres: { env: 'INCIDENT_POSTGRES_URL', description: 'keep incidents in this PostgreSQL (postgres://user@host:port/db) instead of files; prefer the variable' },
  runbooks: { env: 'INCIDENT_RUNBOOKS', description: 'the runbook file (default WORKSPACE/.incident-analyzer/runbooks.yaml)' },
  ...SERVICE_FLAGS,
} satisfies Record<string, FlagSpec>;

const ENV_HELP = 'The team webhook comes from INCIDENT_WEBHOOK_URL (and INCIDENT_WEBHOOK_FORMAT: slack or json).\n';

async function main(argv: string[]): Promise<number | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage('dist/servers/incidents.js', FLAGS, ENV_HELP));
    return 0;
  }
  let store: IncidentStore | undefined;
  try {
    const { flags, rest } = parseFlags(argv, FLAGS);
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const service = serviceOptionsFrom(flags);
    const workspace = path.resolve(flags.workspace[0] ?? process.cwd());
    const runbooksFile = path.resolve(workspace, flags.runbooks[0] ?? path.join('.incident-analyzer', 'runbooks.yaml'));
    store = flags.postgres[0] ? await PostgresIncidentStore.open(flags.postgres[0]) : new FileIncidentStore(workspace);
    const webhook = webhookFromEnv(process.env);
    logToStderr('incidents', `incidents in ${store.describe()}; runbooks from ${runbooksFile}; webhook ${webhook ? `${webhookHost(webhook)} (${webhook.format})` : 'not set'}`);
    const deps = { store, workspace, runbooksFile, webhook };
    const health = store.health.bind(store);
    await serve({ name: 'incidents', service, createServer: () => createIncidentsServer(deps), checkSource: health });
    return undefined;
  } catch (err) {
    await store?.close().catch(() => undefined);
    if (err instanceof ServiceStartError) {
      process.stderr.write(`incidents server: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || err instanceof ServiceOptionsError || err instanceof UserError) {
      process.stderr.write(`incidents server: ${err.message}\n${err instanceof UserError ? '' : usage('dist/servers/incidents.js', FLAGS, ENV_HELP)}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`incidents server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
