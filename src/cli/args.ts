// The arguments of `incident-analyzer analyze` once commander has parsed them, and the checks across them.
// Bad usage is a UsageError (exit code 2).
import { InvalidArgumentError } from 'commander';
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

/** The options of `analyze` as commander parsed them (camelCase names, repeatable --logs as a list). */
export type AnalyzeOptions = Omit<AnalyzeArgs, 'incident' | 'workspace' | 'analyst'> & { workspace?: string; analyst: string };

/** Checks what commander cannot: one incident text, and options that only make sense together. */
export function checkAnalyzeArgs(positional: readonly string[], options: AnalyzeOptions, cwd: string): AnalyzeArgs {
  if (positional.length === 0 || !positional[0]!.trim()) throw new UsageError('say what the incident is, e.g. analyze "500 errors on checkout API"');
  if (positional.length > 1) throw new UsageError(`one incident text expected, got ${positional.length}: quote it`);
  const out = { ...options, logs: options.logs ?? [] };
  if (!['auto', 'builtin', 'ollama'].includes(out.analyst)) throw new UsageError(`--analyst must be auto, builtin or ollama, not "${out.analyst}"`);
  if (out.metrics && out.prometheus) throw new UsageError('give --metrics FILE or --prometheus URL, not both');
  if (out.logs.length > 0 && out.loki) throw new UsageError('give --logs or --loki URL, not both');
  if (out.signals && !out.prometheus) throw new UsageError('--signals needs --prometheus URL');
  if (out.lokiSelector && !out.loki) throw new UsageError('--loki-selector needs --loki URL');
  for (const [flag, url] of [['--prometheus', out.prometheus], ['--loki', out.loki]] as const) {
    const problem = url === undefined ? undefined : checkBackendUrl(flag, url);
    if (problem) throw new UsageError(problem);
  }
  if (out.analyst === 'ollama' && !out.model) throw new UsageError('--analyst ollama needs --model NAME (e.g. --model qwen2.5:14b)');
  return { ...out, analyst: out.analyst as AnalyzeArgs['analyst'], incident: positional[0]!.trim(), workspace: out.workspace ?? cwd };
}

/** A positive whole number, for commander's option parsers (its error names the option). */
export function positiveInteger(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`it needs a positive whole number, not "${raw}".`);
  return n;
}
