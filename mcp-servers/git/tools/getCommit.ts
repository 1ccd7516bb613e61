// get_commit: one commit in full — message, author, dates, parents, changed files, bounded patch, deployment.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, UserError } from '../../common/result.js';
import { readCommits } from '../commitLog.js';
import { deploymentPhrase, deploymentsWarning, fileLine, summarizeCommit } from '../commitView.js';
import { checkPathFilter, resolveCommit } from '../inputs.js';
import { filesLeftOut, patchHeadline, readBoundedPatch } from '../patch.js';
import { changedFileSchema, deploymentRefSchema, patchSchema } from '../schemas.js';
import { READ_ONLY, type GitToolDeps } from '../toolDeps.js';

const MAX_FILES = 300;

const inputSchema = {
  hash: z.string().min(1).describe('Commit hash (4-40 hex characters; 7+ avoids ambiguity) or a tag/branch name such as v1.4.2'),
  max_patch_lines: z
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(400)
    .describe('At most this many patch lines (default 400, max 2000; 0 = no patch, just message and files)'),
  patch_offset: z.number().int().min(0).default(0).describe('Skip this many patch lines, to read a long patch page by page'),
  path: z.string().optional().describe("Show only this file's diff (a path from the commit's file list)"),
};

const outputSchema = {
  hash: z.string().describe('Full 40-hex hash: the evidence reference'),
  short_hash: z.string(),
  parents: z.array(z.string()),
  author_name: z.string(),
  author_email: z.string(),
  authored_at: z.string(),
  committer_name: z.string(),
  committer_email: z.string(),
  committed_at: z.string(),
  subject: z.string(),
  message: z.string().describe('The full commit message'),
  files: z.array(changedFileSchema),
  files_total: z.number(),
  files_omitted: z.number(),
  deployment: deploymentRefSchema,
  deployments_warning: z.string().optional(),
  patch: patchSchema,
};

export function registerGetCommitTool(server: McpServer, deps: GitToolDeps): void {
  server.registerTool(
    'get_commit',
    {
      title: 'One commit in full',
      description:
        'Shows one commit: full message, author and committer with times, parents, every changed file with +/- lines, ' +
        'the deployment that shipped it, and its patch cut to max_patch_lines (it says how much was left out; ' +
        'read on with patch_offset, or give path to see one file).',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('get_commit', async ({ hash, max_patch_lines, patch_offset, path }) => {
      await deps.git.ensureRepository();
      const full = await resolveCommit(deps.git, hash);
      const pathFilter = checkPathFilter(path);
      const [[commit], patch, deployments] = await Promise.all([
        readCommits(deps.git, ['-1', full], { withFiles: true, withBody: true }),
        readBoundedPatch(deps.git, full, { maxLines: max_patch_lines, lineOffset: patch_offset, path: pathFilter }),
        deps.deployments.loadOrExplain(),
      ]);
      if (!commit) throw new UserError(`Commit ${full} could not be read.`);
      if (pathFilter && patch.lines_total === 0 && !commit.files.some((f) => f.path === pathFilter || f.old_path === pathFilter)) {
        throw new UserError(
          `Commit ${full} does not change "${pathFilter}". It changes: ${commit.files.slice(0, 20).map((f) => f.path).join(', ')}.`,
        );
      }
      const summary = summarizeCommit(commit, deployments.index, MAX_FILES);
      const filesNotShown = filesLeftOut(patch, commit.files, pathFilter, max_patch_lines);
      const patchNote = patchHeadline(patch, filesNotShown, max_patch_lines);
      const text = [
        `commit ${full}${commit.parents.length > 1 ? ` (merge of ${commit.parents.join(' ')})` : ''}`,
        `Author: ${commit.author_name} <${commit.author_email}> at ${commit.authored_at}`,
        `Committed: ${commit.committed_at} by ${commit.committer_name} <${commit.committer_email}>`,
        `Parents: ${commit.parents.join(' ') || '(none: root commit)'}`,
        `Deployment: ${deploymentPhrase(summary, Boolean(deployments.index))}`,
        '',
        indent(commit.body ?? commit.subject),
        '',
        `Files changed (${commit.files.length}):`,
        ...summary.files.map((f) => `  ${fileLine(f)}`),
        ...(summary.files_omitted ? [`  … ${summary.files_omitted} more files not listed`] : []),
        '',
        patchNote,
        ...(patch.text ? [patch.text] : []),
      ].join('\n') + deploymentsWarning(deployments.problem);
      return ok(text, {
        hash: full,
        short_hash: commit.short_hash,
        parents: commit.parents,
        author_name: commit.author_name,
        author_email: commit.author_email,
        authored_at: commit.authored_at,
        committer_name: commit.committer_name,
        committer_email: commit.committer_email,
        committed_at: commit.committed_at,
        subject: commit.subject,
        message: commit.body ?? commit.subject,
        files: summary.files,
        files_total: summary.files_total,
        files_omitted: summary.files_omitted,
        deployment: summary.deployment,
        ...(deployments.problem ? { deployments_warning: deployments.problem } : {}),
        patch: {
          path: pathFilter ?? null,
          text: patch.text,
          line_offset: patch.line_offset,
          lines_shown: patch.lines_shown,
          lines_total: patch.lines_total,
          total_is_lower_bound: patch.total_is_lower_bound,
          truncated: patch.truncated,
          files_not_shown: filesNotShown,
        },
      });
    }),
  );
}

function indent(message: string): string {
  return message
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
