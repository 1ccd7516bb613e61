// incident-analyzer: the engine from a terminal. `analyze` investigates; `incident …` carries an incident on.
// Exit codes: 0 done (or --help, --version), 2 bad usage or configuration, 1 the work failed.
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json';
import { ConfigError } from '../engine/config/serverDefinitions.js';
import { UsageError, checkAnalyzeArgs, positiveInteger, type AnalyzeOptions } from './args.js';
import { runAnalyze } from './analyzeCommand.js';
import { incidentCommand } from './incidentCommands.js';

function program(exitWith: (code: Promise<number>) => void): Command {
  const root = new Command('incident-analyzer')
    .description('Finds the root cause of a production incident from logs, git history and metrics, with every claim linked to its evidence.')
    .version(packageJson.version, '-V, --version');
  root
    .command('analyze')
    .description('investigate an incident and print the root-cause report, every citation checked')
    .argument('[incident...]', 'what is wrong, in quotes, e.g. "500 errors on checkout API"')
    .option('--workspace <dir>', 'folder to investigate (default: current folder)')
    .option('--repo <path>', 'git repository (default: the workspace)')
    .option('--logs <location>', 'log folder, file or glob; repeat for more (default: logs/ and **/*.{log,jsonl})', (v: string, all: string[]) => [...all, v], [])
    .option('--metrics <file>', 'metrics file (default: metrics.json in the workspace, if present)')
    .option('--deployments <file>', 'deployments JSON (default: deployments.json in the workspace, if present)')
    .option('--prometheus <url>', 'metrics from Prometheus (credentials: INCIDENT_PROMETHEUS_TOKEN, or _USER and _PASSWORD; headers: INCIDENT_PROMETHEUS_HEADERS)')
    .option('--signals <file>', 'team-defined Prometheus signals, {"signals": {"name": "PromQL"}}')
    .option('--loki <url>', 'logs from Grafana Loki (credentials: INCIDENT_LOKI_TOKEN, or _USER and _PASSWORD; tenant: INCIDENT_LOKI_TENANT)')
    .option('--loki-selector <selector>', `LogQL stream selector bounding the logs read, e.g. '{namespace="shop"}'`)
    .option('--config <file>', 'mcp.json with more servers (same names replace the bundled ones); OAuth sign-in opens your browser')
    .option('--since <time>', 'start of the time window to study (ISO-8601)')
    .option('--until <time>', 'end of the window')
    .option('--analyst <name>', 'auto | builtin | ollama', 'auto')
    .option('--model <name>', 'Ollama model; with --analyst auto, a model means Ollama')
    .option('--ollama-host <url>', 'default http://127.0.0.1:11434 (API key: OLLAMA_API_KEY)')
    .option('--max-turns <n>', 'model turns before the report is asked for (default 12)', positiveInteger)
    .option('--num-ctx <n>', 'context window given to the model (default 16384)', positiveInteger)
    .option('--no-predigest', "do not give the model the built-in analyst's first pass to start from")
    .option('--tool-timeout <ms>', 'per tool call (default 60000)', positiveInteger)
    .option('--json <file>', 'also write the report as JSON')
    .option('--markdown <file>', 'also write the report as Markdown')
    .option('--transcript <file>', 'append every event as JSON lines')
    .action((incident: string[], options: AnalyzeOptions & { toolTimeout?: number }) => {
      const { toolTimeout, ...rest } = options;
      exitWith((async () => runAnalyze(checkAnalyzeArgs(incident, { ...rest, toolTimeoutMs: toolTimeout }, process.cwd())))());
    });
  root.addCommand(incidentCommand(exitWith));
  return root;
}

async function main(argv: string[]): Promise<number> {
  let work: Promise<number> | undefined;
  let running: Command | undefined;
  const root = program((code) => (work = code));
  root.hook('preAction', (_root, action) => {
    running = action;
  });
  // Every command: errors come back to main (for exit code 2) and are followed by that command's usage.
  for (const command of [root, ...root.commands, ...root.commands.flatMap((c) => c.commands)]) command.exitOverride().showHelpAfterError();
  if (argv.length === 0) {
    process.stderr.write(root.helpInformation());
    return 2;
  }
  try {
    await root.parseAsync(argv, { from: 'user' });
    return work ? await work : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander has already said what was wrong
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`incident-analyzer: ${err.message}\n\n${(running ?? root).helpInformation()}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`incident-analyzer failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
