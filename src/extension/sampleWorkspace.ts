// Creates the sample workspace the extension ships (dist/sample/checkout-500, built by scripts/build-sample.mjs):
// its repository cloned from the bundle file, the logs and data files beside the code, as in a user's folder.
// No vscode import: tested in plain Node.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SAMPLE_NAME = 'incident-analyzer-sample';

/** Creates `parent/incident-analyzer-sample` (or -2, -3… when taken) from `sampleDir`; returns the folder. */
export function createSampleWorkspace(sampleDir: string, parent: string, git = 'git'): string {
  if (!fs.existsSync(path.join(sampleDir, 'repo.bundle'))) throw new Error(`The sample is missing from the extension (${sampleDir}): reinstall it.`);
  let dest = path.join(parent, SAMPLE_NAME);
  for (let n = 2; fs.existsSync(dest); n++) dest = path.join(parent, `${SAMPLE_NAME}-${n}`);
  const run = (args: string[]) => execFileSync(git, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    run(['clone', '--quiet', path.join(sampleDir, 'repo.bundle'), dest]);
    run(['-C', dest, 'remote', 'remove', 'origin']); // the bundle lives in the extension: not a remote to keep
  } catch (err) {
    fs.rmSync(dest, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('The sample needs git (its history comes as a git bundle): install git and try again.');
    throw new Error(`git could not create the sample: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`);
  }
  for (const entry of fs.readdirSync(sampleDir)) {
    if (entry !== 'repo.bundle') fs.cpSync(path.join(sampleDir, entry), path.join(dest, entry), { recursive: true });
  }
  return dest;
}
