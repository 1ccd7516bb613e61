// Checks on caller text before it goes near git: nothing the caller sends can become a git option.
import { UserError } from '../common/result.js';
import type { GitCli } from './gitCli.js';

const HEX_HASH = /^[0-9a-f]{4,40}$/i;
/** Commit hashes, branch/tag names and suffixes such as `~2` or `^`; no spaces, quotes or shell characters. */
const REVISION = /^[A-Za-z0-9_][A-Za-z0-9._/~^@{}+-]*$/;

export function isHexHash(text: string): boolean {
  return HEX_HASH.test(text);
}

/** Rejects text that git could read as an option, or that carries a NUL or line break. */
export function assertNotOptionLike(value: string, what: string): void {
  if (value.startsWith('-')) {
    throw new UserError(`${what} "${value}" starts with "-", which git would read as an option; give a plain ${what}.`);
  }
  if (/[\0\r\n]/.test(value)) throw new UserError(`${what} contains a NUL byte or line break; give it on one line.`);
}

/** Resolves a commit hash (4-40 hex) or a ref name such as a tag to its full 40-hex commit hash. */
export async function resolveCommit(git: GitCli, revision: string): Promise<string> {
  const trimmed = revision.trim();
  assertNotOptionLike(trimmed, 'commit');
  if (!REVISION.test(trimmed) || trimmed.includes('..')) {
    throw new UserError(
      `"${revision}" is not a commit hash or ref name. Give a commit hash (4 to 40 hex characters, e.g. 1a2b3c4) ` +
        `or a branch/tag name (e.g. v1.4.2).`,
    );
  }
  const found = await git.run(['rev-parse', '--verify', '-q', '--end-of-options', `${trimmed}^{commit}`], {
    okExitCodes: [1, 128],
  });
  const hash = found.stdout.trim();
  if (found.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(hash)) {
    const hint = isHexHash(trimmed)
      ? trimmed.length < 7
        ? ' (a hash this short may also be ambiguous; give at least 7 characters)'
        : ''
      : '';
    throw new UserError(
      `No commit "${revision}" in the repository${hint}. Use get_recent_commits or search_commits to find the right hash.`,
    );
  }
  return hash;
}

/** Checks a path filter; it is always passed to git after `--`, so it stays a path whatever it says. */
export function checkPathFilter(filePath: string | undefined): string | undefined {
  if (filePath === undefined) return undefined;
  const trimmed = filePath.trim();
  if (trimmed === '') return undefined;
  assertNotOptionLike(trimmed, 'path');
  return trimmed;
}

/** git log's --since/--until take epoch seconds as `@N`; both bounds are inclusive. */
export function windowArgs(window: { since?: number; until?: number }): string[] {
  const args: string[] = [];
  if (window.since !== undefined) args.push(`--since=@${Math.ceil(window.since / 1000)}`);
  if (window.until !== undefined) args.push(`--until=@${Math.floor(window.until / 1000)}`);
  return args;
}
