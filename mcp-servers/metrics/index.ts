// Entry point: node dist/servers/metrics.js --metrics FILE (or INCIDENT_METRICS=FILE).
import { parseFlags, usage, UsageError, type FlagSpec } from '../common/args.js';
import { logToStderr, serveOverStdio } from '../common/stdio.js';
import { JsonFileMetricSource } from './jsonFileSource.js';
import { createMetricsServer } from './server.js';

const FLAGS = {
  metrics: { env: 'INCIDENT_METRICS', description: 'JSON metrics file: {"metrics": [{"timestamp": ..., "cpu_usage": ...}]}' },
} satisfies Record<string, FlagSpec>;

function main(): void {
  let file: string;
  try {
    const { flags, rest } = parseFlags(process.argv.slice(2), FLAGS);
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const given = flags.metrics[0];
    if (given === undefined) throw new UsageError('--metrics is required');
    file = given;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`metrics: ${err.message}\n${usage('dist/servers/metrics.js', FLAGS)}`);
    process.exit(2);
  }
  // A missing or broken file does not stop the server: each tool explains what is wrong until it is fixed.
  const source = new JsonFileMetricSource(file);
  serveOverStdio(createMetricsServer(source), 'metrics').catch((err: unknown) => {
    logToStderr('metrics', `failed to start: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}

main();
