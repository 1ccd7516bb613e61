// Entry point of the logs MCP server: `node dist/servers/logs.js --logs DIR_OR_FILE_OR_GLOB [...]`,
// or `node dist/servers/logs.js patterns FILE [--assignments]` for the template miner alone.
import { isMainThread } from 'node:worker_threads';
import { UsageError, parseFlags, usage } from '../common/args.js';
import { UserError } from '../common/result.js';
import { logToStderr, serveOverStdio } from '../common/stdio.js';
import { LogCatalog } from './catalog.js';
import { LogsContext } from './context.js';
import { runRegexWorker } from './regexWorker.js';
import { runPatternsCli } from './patternsCli.js';
import { createLogsServer } from './server.js';
import { locateRipgrep } from './ripgrep/locate.js';

const FLAGS = {
  logs: { env: 'INCIDENT_LOGS', repeatable: true, description: 'a log directory, file or glob' },
  ripgrep: { env: 'INCIDENT_RIPGREP', description: 'the rg binary for literal searches (default: rg on PATH; "off": none)' },
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
    const catalog = new LogCatalog(flags.logs);
    const files = catalog.files();
    const ripgrep = locateRipgrep(flags.ripgrep[0]);
    logToStderr('logs', `serving ${files.length} log file(s) from ${catalog.describeRoots()}`);
    logToStderr('logs', `literal searches: ${ripgrep.binary ? `ripgrep ${ripgrep.binary}` : 'JavaScript'} (${ripgrep.reason})`);
    await serveOverStdio(createLogsServer(new LogsContext(catalog, __filename, ripgrep.binary)), 'logs');
    return undefined; // keep running
  } catch (err) {
    if (err instanceof UsageError || err instanceof UserError) {
      process.stderr.write(`logs server: ${err.message}\n${usage('logs.js', FLAGS)}`);
      return 2;
    }
    throw err;
  }
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
