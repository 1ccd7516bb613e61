// Which git runs: an absolute path found once on PATH. Never a bare "git" resolved by the launcher, which on Windows
// looks in the working directory (the repository under investigation) first, so a committed git.exe would run.
import fs from 'node:fs';
import path from 'node:path';

let found: string | undefined;

export function gitExecutable(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return (found ??= locateGit(env, platform));
}

/** The first git on PATH, skipping relative PATH entries (they too would be looked up from the repository). */
export function locateGit(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const names = platform === 'win32' ? ['git.exe', 'git.cmd'] : ['git'];
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(platform === 'win32' ? ';' : ':')) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        if (fs.statSync(candidate).isFile()) {
          if (platform !== 'win32') fs.accessSync(candidate, fs.constants.X_OK);
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  throw new Error('the git executable was not found on PATH (install git, or put it on PATH)');
}
