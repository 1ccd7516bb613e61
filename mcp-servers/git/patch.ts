// Reads one commit's patch within a line/byte budget and says exactly what was left out.
import type { ChangedFile } from './commitLog.js';
import type { GitCli } from './gitCli.js';

export interface BoundedPatch {
  text: string;
  lines_shown: number;
  /** Lines in the whole patch (a lower bound when total_is_lower_bound). */
  lines_total: number;
  total_is_lower_bound: boolean;
  line_offset: number;
  truncated: boolean;
  /** Files whose diff starts inside the shown lines. */
  files_shown: string[];
}

/** Stop reading git's output after this much: the count of lines left out becomes "at least". */
const READ_CAP_BYTES = 20 * 1024 * 1024;
const MAX_LINE_CHARS = 400;

export interface PatchWindow {
  maxLines: number;
  lineOffset: number;
  path?: string;
}

/** One commit's patch (a merge: against its first parent). `hash` must be a resolved full hash. */
export function readBoundedPatch(git: GitCli, hash: string, options: PatchWindow): Promise<BoundedPatch> {
  const args = [
    'show', '--format=', '--patch', '--no-color', '--no-ext-diff', '--no-textconv', '-M',
    '--diff-merges=first-parent', hash, '--', ...(options.path ? [options.path] : []),
  ];
  return streamPatch(git, args, options);
}

/** The patch between two resolved full hashes. */
export function readBoundedDiff(git: GitCli, from: string, to: string, options: PatchWindow): Promise<BoundedPatch> {
  const args = ['diff', '--patch', '--no-color', '--no-ext-diff', '--no-textconv', '-M', from, to, '--', ...(options.path ? [options.path] : [])];
  return streamPatch(git, args, options);
}

async function streamPatch(git: GitCli, args: string[], options: PatchWindow): Promise<BoundedPatch> {
  const streamed = await git.streamLines(args, {
    skipLines: options.lineOffset,
    keepLines: options.maxLines,
    keepBytes: options.maxLines * 100,
    readCapBytes: READ_CAP_BYTES,
    maxLineChars: MAX_LINE_CHARS,
  });
  const lines = streamed.lines;
  const linesTotal = streamed.totalLines;
  const filesShown = lines
    .filter((line) => line.startsWith('diff --git '))
    .map((line) => / b\/(.*)$/.exec(line)?.[1] ?? line.slice('diff --git '.length));
  const end = options.lineOffset + lines.length;
  return {
    text: lines.join('\n'),
    lines_shown: lines.length,
    lines_total: linesTotal,
    total_is_lower_bound: !streamed.complete,
    line_offset: options.lineOffset,
    truncated: end < linesTotal || !streamed.complete,
    files_shown: filesShown,
  };
}

/** Changed files (under the path filter, if any) whose diff does not start inside the shown lines. */
export function filesLeftOut(patch: BoundedPatch, files: ChangedFile[], pathFilter: string | undefined, maxLines: number): string[] {
  if (maxLines === 0) return [];
  const relevant = pathFilter ? files.filter((f) => underPath(f.path, pathFilter) || underPath(f.old_path, pathFilter)) : files;
  const shown = new Set(patch.files_shown);
  return relevant.map((f) => f.path).filter((p) => !shown.has(p));
}

/** The line above a patch: its size, and when cut, what was left out and how to read on. */
export function patchHeadline(
  patch: BoundedPatch,
  filesNotShown: string[],
  maxLines: number,
): string {
  const total = `${patch.lines_total}${patch.total_is_lower_bound ? '+' : ''}`;
  if (maxLines === 0) return `Patch not shown (max_patch_lines=0; it has ${total} lines).`;
  if (!patch.truncated) {
    return patch.line_offset ? `Patch lines ${patch.line_offset + 1}-${patch.line_offset + patch.lines_shown} of ${total}:` : `Patch (${total} lines):`;
  }
  const first = patch.line_offset + 1;
  const last = patch.line_offset + patch.lines_shown;
  const left = patch.lines_total - last;
  const files = filesNotShown.length
    ? ` ${filesNotShown.length} file(s) not shown at all: ${filesNotShown.slice(0, 15).join(', ')}${filesNotShown.length > 15 ? ', …' : ''}.`
    : '';
  return (
    `Patch CUT: showing lines ${first}-${last} of ${total}; ${left}${patch.total_is_lower_bound ? '+' : ''} line(s) left out.${files} ` +
    `Read on with patch_offset=${last}, or pass path=<file> to see one file's diff.`
  );
}

function underPath(filePath: string | undefined, filter: string): boolean {
  return filePath !== undefined && (filePath === filter || filePath.startsWith(filter.endsWith('/') ? filter : `${filter}/`));
}

