// diff_range: what changed between two revisions (e.g. the last good and the first bad deployment).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok } from '../../common/result.js';
import { parseDiffFiles, readCommits } from '../commitLog.js';
import { deploymentsWarning, fileLine, summarizeCommit } from '../commitView.js';
import { checkPathFilter, resolveCommit } from '../inputs.js';
import { filesLeftOut, patchHeadline, readBoundedDiff } from '../patch.js';
import { changedFileSchema, commitSummarySchema, patchSchema } from '../schemas.js';
import { READ_ONLY, type GitToolDeps } from '../toolDeps.js';

const MAX_FILES = 200;

const inputSchema = {
  from: z.string().min(1).describe('The older revision: a deployment version/tag (e.g. v2.13.1) or commit hash'),
  to: z.string().min(1).default('HEAD').describe('The newer revision (default HEAD): a tag or commit hash'),
  path: z.string().optional().describe('Only changes to this file or directory'),
  limit: z.number().int().min(1).max(200).default(50).describe('How many of the commits in the range to list (default 50)'),
  max_patch_lines: z
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(200)
    .describe('At most this many lines of the combined patch (default 200, max 2000; 0 = files only)'),
  patch_offset: z.number().int().min(0).default(0).describe('Skip this many patch lines, to read a long patch page by page'),
};

const outputSchema = {
  from: z.string().describe('Full hash of the older revision'),
  to: z.string().describe('Full hash of the newer revision'),
  commits: z.array(commitSummarySchema).describe('Commits reachable from `to` but not from `from`, newest first'),
  commits_total: z.number(),
  commits_omitted: z.number(),
  files: z.array(changedFileSchema).describe('Net change per file between the two revisions'),
  files_total: z.number(),
  files_omitted: z.number(),
  patch: patchSchema,
  deployments_warning: z.string().optional(),
};

export function registerDiffRangeTool(server: McpServer, deps: GitToolDeps): void {
  server.registerTool(
    'diff_range',
    {
      title: 'Changes between two revisions',
      description:
        'Shows what changed between two revisions, e.g. the last good deployment and the bad one (from=v2.13.1, ' +
        'to=v2.14.0): the commits in between with their deployments, the net +/- per file, and the combined patch ' +
        'cut to max_patch_lines (it says what was left out).',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('diff_range', async ({ from, to, path, limit, max_patch_lines, patch_offset }) => {
      await deps.git.ensureRepository();
      const [fromHash, toHash] = await Promise.all([resolveCommit(deps.git, from), resolveCommit(deps.git, to)]);
      const pathFilter = checkPathFilter(path);
      const paths = pathFilter ? [pathFilter] : [];
      const range = [toHash, `^${fromHash}`];
      const [count, commits, diff, patch, deployments] = await Promise.all([
        deps.git.run(['rev-list', '--count', ...range, '--', ...paths]),
        readCommits(deps.git, [`-n${limit}`, ...range], { withFiles: false, paths }),
        deps.git.run(['diff', '-z', '--raw', '--numstat', '-M', '--no-ext-diff', '--no-textconv', fromHash, toHash, '--', ...paths]),
        readBoundedDiff(deps.git, fromHash, toHash, { maxLines: max_patch_lines, lineOffset: patch_offset, path: pathFilter }),
        deps.deployments.loadOrExplain(),
      ]);
      const commitsTotal = Number(count.stdout.trim());
      const summaries = commits.map((c) => summarizeCommit(c, deployments.index, 0));
      const allFiles = parseDiffFiles(diff.stdout);
      const files = allFiles.slice(0, MAX_FILES);
      const notShown = filesLeftOut(patch, allFiles, pathFilter, max_patch_lines);
      const text = [
        `${commitsTotal} commit(s) in ${from}..${to} (${fromHash}..${toHash})${pathFilter ? ` touching ${pathFilter}` : ''}, newest first:`,
        ...summaries.map((s) => `- ${s.hash} ${s.date} ${s.author_name}: "${s.subject}"${s.deployment ? ` [shipped in ${s.deployment.version}]` : ''}`),
        ...(commitsTotal > summaries.length ? [`  … ${commitsTotal - summaries.length} more (raise limit, or use get_recent_commits)`] : []),
        '',
        `Net change in ${allFiles.length} file(s):`,
        ...files.map((f) => `  ${fileLine(f)}`),
        ...(allFiles.length > files.length ? [`  … ${allFiles.length - files.length} more files`] : []),
        '',
        patchHeadline(patch, notShown, max_patch_lines),
        ...(patch.text ? [patch.text] : []),
      ].join('\n') + deploymentsWarning(deployments.problem);
      return ok(text, {
        from: fromHash,
        to: toHash,
        commits: summaries,
        commits_total: commitsTotal,
        commits_omitted: commitsTotal - summaries.length,
        files,
        files_total: allFiles.length,
        files_omitted: allFiles.length - files.length,
        patch: { path: pathFilter ?? null, ...pick(patch), files_not_shown: notShown },
        ...(deployments.problem ? { deployments_warning: deployments.problem } : {}),
      });
    }),
  );
}

function pick(patch: Awaited<ReturnType<typeof readBoundedDiff>>) {
  const { text, line_offset, lines_shown, lines_total, total_is_lower_bound, truncated } = patch;
  return { text, line_offset, lines_shown, lines_total, total_is_lower_bound, truncated };
}
