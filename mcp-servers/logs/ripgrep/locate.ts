// Which ripgrep binary the logs server uses: the one the host gives (VS Code ships its own), else `rg` on PATH.
import fs from 'node:fs';
import path from 'node:path';

/** A path checked to be an executable file: only locateRipgrep makes one, so no search starts without a binary. */
export type RipgrepBinary = string & { readonly __checked: 'ripgrep binary' };

export interface RipgrepChoice {
  /** The binary, or undefined to search with the JavaScript engine only. */
  binary?: RipgrepBinary;
  /** Why, for the server's start-up line and for tests that skip. */
  reason: string;
}

const DISABLED = new Set(['off', 'none', 'false', '0']);

export function locateRipgrep(given: string | undefined, env: NodeJS.ProcessEnv = process.env): RipgrepChoice {
  if (given !== undefined && DISABLED.has(given.trim().toLowerCase())) return { reason: 'ripgrep turned off' };
  if (given) {
    if (isExecutable(given)) return { binary: given, reason: 'given by the host' };
    const onPath = findOnPath(env);
    return onPath
      ? { binary: onPath, reason: `the given ${given} is not an executable file; using rg on PATH` }
      : { reason: `the given ${given} is not an executable file and no rg is on PATH` };
  }
  const onPath = findOnPath(env);
  return onPath ? { binary: onPath, reason: 'rg on PATH' } : { reason: 'no rg on PATH (install ripgrep for faster searches)' };
}

function findOnPath(env: NodeJS.ProcessEnv): RipgrepBinary | undefined {
  const name = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): file is RipgrepBinary {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
