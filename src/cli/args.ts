// Command-line arguments of `incident-analyzer analyze`. Bad usage is a UsageError (exit code 2).
import { checkBackendUrl } from '../engine/config/backendSources.js';

export class UsageError extends Error {}

export interface AnalyzeArgs {
  incident: string;
  workspace: string;
  repo?: string;
  logs: string[];
  metrics?: string;
  deployments?: string;
  prometheus?: string;
  signals?: string;
  loki?: string;
  lokiSelector?: string;
  config?: string;
  analyst: 'auto' | 'builtin' | 'ollama';
  model?: string;
  ollamaHost?: string;
  since?: string;
  until?: string;
  json?: string;
  markdown?: string;
  transcript?: string;
  toolTimeoutMs?: number;
  maxTurns?: number;
  numCtx?: number;
  /** False with --no-predigest: the model starts without the built-in analyst's first pass. */
  predigest: boolean;
}

export const USAGE = `usage: incident-analyzer analyze "<incident>" [options]

  --workspace DIR      folder to investigate (default: current folder)
  --repo PATH          git repository (default: the workspace)
  --logs DIR|FILE|GLOB log location, may repeat (default: logs/ and **/*.{log,jsonl})
  --metrics FILE       metrics JSON (default: metrics.json in the workspace, if present)
  --deployments FILE   deployments JSON (default: deployments.json in the workspace, if present)
  --prometheus URL     metrics from Prometheus instead of a file (credentials: INCIDENT_PROMETHEUS_TOKEN,
                       or _USER and _PASSWORD; extra headers: INCIDENT_PROMETHEUS_HEADERS)
  --signals FILE       team-defined Prometheus signals, {"signals": {"name": "PromQL"}}
  --loki URL           logs from Grafana Loki instead of files (credentials: INCIDENT_LOKI_TOKEN, or
                       _USER and _PASSWORD; tenant: INCIDENT_LOKI_TENANT)
  --loki-selector SEL  LogQL stream selector that bounds the logs read, e.g. '{namespace="shop"}'
  --config FILE        mcp.json with more servers (same names replace the bundled ones); an http server
                       that needs OAuth sign-in opens your browser, tokens are kept (owner-only) in
                       $XDG_CONFIG_HOME/incident-analyzer/oauth-tokens.json (default ~/.config/...)
  --since TIME         start of the time window to study (ISO-8601)
  --until TIME         end of the window
  --analyst NAME       auto (default) | builtin | ollama
  --model NAME         Ollama model; with --analyst auto, using a model means Ollama
  --ollama-host URL    default http://127.0.0.1:11434 (API key: OLLAMA_API_KEY)
  --max-turns N        model turns before the report is asked for (default 12)
  --num-ctx N          context window given to the model (default 16384)
  --no-predigest       do not give the model the built-in analyst's first pass to start from
  --tool-timeout MS    per tool call (default 60000)
  --json FILE          also write the report as JSON
  --markdown FILE      also write the report as Markdown
  --transcript FILE    append every event as JSON lines (default: none)
`;

const VALUE_FLAGS: Record<string, keyof AnalyzeArgs> = {
  '--workspace': 'workspace',
  '--repo': 'repo',
  '--metrics': 'metrics',
  '--deployments': 'deployments',
  '--prometheus': 'prometheus',
  '--signals': 'signals',
  '--loki': 'loki',
  '--loki-selector': 'lokiSelector',
  '--config': 'config',
  '--analyst': 'analyst',
  '--model': 'model',
  '--ollama-host': 'ollamaHost',
  '--since': 'since',
  '--until': 'until',
  '--json': 'json',
  '--markdown': 'markdown',
  '--transcript': 'transcript',
};
const NUMBER_FLAGS: Record<string, 'toolTimeoutMs' | 'maxTurns' | 'numCtx'> = {
  '--tool-timeout': 'toolTimeoutMs',
  '--max-turns': 'maxTurns',
  '--num-ctx': 'numCtx',
};

export function parseAnalyzeArgs(argv: readonly string[], cwd: string): AnalyzeArgs {
  const out: Partial<AnalyzeArgs> & { logs: string[] } = { logs: [], analyst: 'auto', predigest: true };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--logs') out.logs.push(value());
    else if (arg === '--no-predigest') out.predigest = false;
    else if (flag in VALUE_FLAGS) (out as Record<string, unknown>)[VALUE_FLAGS[flag]!] = value();
    else if (flag in NUMBER_FLAGS) {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number, not "${raw}"`);
      out[NUMBER_FLAGS[flag]!] = n;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${flag}`);
    else positional.push(arg);
  }
  if (positional.length === 0 || !positional[0]!.trim()) throw new UsageError('say what the incident is, e.g. analyze "500 errors on checkout API"');
  if (positional.length > 1) throw new UsageError(`one incident text expected, got ${positional.length}: quote it`);
  if (!['auto', 'builtin', 'ollama'].includes(out.analyst!)) throw new UsageError(`--analyst must be auto, builtin or ollama, not "${out.analyst}"`);
  if (out.metrics && out.prometheus) throw new UsageError('give --metrics FILE or --prometheus URL, not both');
  if (out.logs.length > 0 && out.loki) throw new UsageError('give --logs or --loki URL, not both');
  if (out.signals && !out.prometheus) throw new UsageError('--signals needs --prometheus URL');
  if (out.lokiSelector && !out.loki) throw new UsageError('--loki-selector needs --loki URL');
  for (const [flag, url] of [['--prometheus', out.prometheus], ['--loki', out.loki]] as const) {
    const problem = url === undefined ? undefined : checkBackendUrl(flag, url);
    if (problem) throw new UsageError(problem);
  }
  if (out.analyst === 'ollama' && !out.model) throw new UsageError('--analyst ollama needs --model NAME (e.g. --model qwen2.5:14b)');
  return { ...out, incident: positional[0]!.trim(), workspace: out.workspace ?? cwd } as AnalyzeArgs;
}
