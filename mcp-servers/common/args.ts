// Command-line flags for the servers, each with an environment variable that stands in for it.
import path from 'node:path';

export interface FlagSpec {
  /** Environment variable read when the flag is absent. Repeatable flags split it on the path delimiter. */
  env: string;
  repeatable?: boolean;
  description: string;
}

export type Flags<K extends string> = Record<K, string[]>;

export class UsageError extends Error {}

/** Parses `--name value` and `--name=value`; the first argument that is not a flag ends the flags. */
export function parseFlags<K extends string>(
  argv: readonly string[],
  spec: Record<K, FlagSpec>,
  env: NodeJS.ProcessEnv = process.env,
): { flags: Flags<K>; rest: string[] } {
  const flags = Object.fromEntries(Object.keys(spec).map((k) => [k, [] as string[]])) as Flags<K>;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) break;
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)) as K;
    if (!(name in spec)) throw new UsageError(`unknown option --${name}`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (!spec[name].repeatable && flags[name].length > 0) throw new UsageError(`--${name} given twice`);
    flags[name].push(value);
  }
  for (const name of Object.keys(spec) as K[]) {
    const fromEnv = env[spec[name].env];
    if (flags[name].length === 0 && fromEnv) {
      flags[name] = spec[name].repeatable ? fromEnv.split(path.delimiter).filter(Boolean) : [fromEnv];
    }
  }
  return { flags, rest: argv.slice(i) };
}

export function usage(program: string, spec: Record<string, FlagSpec>, extra = ''): string {
  const lines = Object.entries(spec).map(
    ([name, s]) => `  --${name} VALUE${s.repeatable ? ' (may repeat)' : ''}  ${s.description} [env ${s.env}]`,
  );
  return `usage: node ${program} [options]\n${lines.join('\n')}\n${extra}`;
}
