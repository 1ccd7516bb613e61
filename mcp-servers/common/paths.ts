// Keeps caller-supplied paths inside a root: no NUL, no `..` escape, no absolute path elsewhere, no symlink out.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './result.js';

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `userPath` (relative to `root`, or absolute) to a real path inside the real `root`.
 * Throws a UserError that names the root when it would leave it or does not exist.
 */
export function resolveInside(root: string, userPath: string, what = 'path'): string {
  if (userPath.includes('\0')) throw new UserError(`${what} contains a NUL byte; give a plain file path.`);
  const realRoot = fs.realpathSync(root);
  const joined = path.resolve(realRoot, userPath);
  if (!isInside(realRoot, joined)) {
    throw new UserError(`${what} "${userPath}" is outside ${realRoot}; give a path inside it.`);
  }
  let real: string;
  try {
    real = fs.realpathSync(joined);
  } catch {
    throw new UserError(`${what} "${userPath}" does not exist under ${realRoot}.`);
  }
  if (!isInside(realRoot, real)) {
    throw new UserError(`${what} "${userPath}" is a link that leads outside ${realRoot}; it is not allowed.`);
  }
  return real;
}
