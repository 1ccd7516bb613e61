// Reads many commits and their changed files with ONE `git log` (NUL-separated fields, --raw + --numstat).
import { isoTime } from '../common/time.js';
import type { GitCli } from './gitCli.js';

export interface ChangedFile {
  path: string;
  /** For renames and copies, the path before. */
  old_path?: string;
  /** git's status letter: A added, M modified, D deleted, R renamed, C copied, T type changed. */
  status: string;
  /** Null for binary files. */
  additions: number | null;
  deletions: number | null;
}

export interface CommitRecord {
  hash: string;
  short_hash: string;
  parents: string[];
  author_name: string;
  author_email: string;
  authored_at: string;
  committer_name: string;
  committer_email: string;
  committed_at: string;
  subject: string;
  /** Full message; only filled when asked for (withBody). */
  body?: string;
  files: ChangedFile[];
}

const FIELDS = ['%H', '%h', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%s'];
const START = '\x1e';

/** The `git log` arguments that produce what parseCommitLog reads. Add revision/limit/path args after these. */
export function commitLogArgs(options: { withFiles: boolean; withBody?: boolean }): string[] {
  const fields = options.withBody ? [...FIELDS, '%B'] : FIELDS;
  const format = `--format=${START}${fields.join('%x00')}%x00`;
  const args = ['log', '-z', '--no-color', '--no-abbrev-commit', format];
  // A merge shows what it brought into the branch (vs its first parent) rather than nothing.
  if (options.withFiles) args.push('--raw', '--numstat', '-M', '--diff-merges=first-parent', '--no-ext-diff', '--no-textconv');
  return args;
}

/** Parses the output of commitLogArgs. Every token is NUL-terminated, so no path or subject can break it. */
export function parseCommitLog(output: string, options: { withBody?: boolean } = {}): CommitRecord[] {
  const fieldCount = FIELDS.length + (options.withBody ? 1 : 0);
  const tokens = output.split('\0');
  const commits: CommitRecord[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = stripNewlines(tokens[i]!);
    if (!token.startsWith(START)) {
      i++;
      continue;
    }
    const values = [token.slice(1), ...tokens.slice(i + 1, i + fieldCount)];
    i += fieldCount;
    const [hash, short, parents, an, ae, at, cn, ce, ct, subject, body] = values;
    const commit: CommitRecord = {
      hash: hash ?? '',
      short_hash: short ?? '',
      parents: parents ? parents.split(' ').filter(Boolean) : [],
      author_name: an ?? '',
      author_email: ae ?? '',
      authored_at: isoTime(Number(at) * 1000),
      committer_name: cn ?? '',
      committer_email: ce ?? '',
      committed_at: isoTime(Number(ct) * 1000),
      subject: subject ?? '',
      files: [],
    };
    if (options.withBody) commit.body = (body ?? '').replace(/\s+$/, '');
    i = readFiles(tokens, i, commit.files);
    commits.push(commit);
  }
  return commits;
}

/** Reads --raw entries (status) then --numstat entries (counts) up to the next commit; returns the next index. */
function readFiles(tokens: string[], start: number, files: ChangedFile[]): number {
  const byPath = new Map<string, ChangedFile>();
  let i = start;
  while (i < tokens.length) {
    const token = stripNewlines(tokens[i]!);
    if (token.startsWith(START)) break;
    i++;
    if (token === '') continue;
    if (token.startsWith(':')) {
      const status = token.slice(token.lastIndexOf(' ') + 1);
      const letter = status.charAt(0);
      const file: ChangedFile =
        letter === 'R' || letter === 'C'
          ? { old_path: tokens[i] ?? '', path: tokens[i + 1] ?? '', status: letter, additions: null, deletions: null }
          : { path: tokens[i] ?? '', status: letter, additions: null, deletions: null };
      i += letter === 'R' || letter === 'C' ? 2 : 1;
      files.push(file);
      byPath.set(file.path, file);
      continue;
    }
    const numstat = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(token);
    if (!numstat) continue;
    let filePath = numstat[3] ?? '';
    if (filePath === '') {
      filePath = tokens[i + 1] ?? ''; // rename: old path, new path follow
      i += 2;
    }
    const file = byPath.get(filePath);
    if (file) {
      file.additions = numstat[1] === '-' ? null : Number(numstat[1]);
      file.deletions = numstat[2] === '-' ? null : Number(numstat[2]);
    }
  }
  return i;
}

/** Parses `git diff -z --raw --numstat` output: the files changed between two revisions. */
export function parseDiffFiles(output: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  readFiles(output.split('\0'), 0, files);
  return files;
}

function stripNewlines(token: string): string {
  return token.replace(/^\n+/, '');
}

/** Runs one `git log` and parses it. `extraArgs` are limits/revisions; `paths` go after `--`. */
export async function readCommits(
  git: GitCli,
  extraArgs: string[],
  options: { withFiles: boolean; withBody?: boolean; paths?: string[]; input?: string },
): Promise<CommitRecord[]> {
  const args = [...commitLogArgs(options), ...extraArgs];
  if (options.paths?.length) args.push('--', ...options.paths);
  const { stdout } = await git.run(args, { input: options.input });
  return parseCommitLog(stdout, options);
}
