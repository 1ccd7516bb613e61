// get_recent_commits: the newest commits (optionally in a window or under a path), with files and deployment.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote } from '../../common/result.js';
import { timeWindow } from '../../common/time.js';
import { readCommits } from '../commitLog.js';
import { commitText, deploymentsWarning, summarizeCommit } from '../commitView.js';
import { checkPathFilter, windowArgs } from '../inputs.js';
import { commitSummarySchema, pagingShape } from '../schemas.js';
import { READ_ONLY, type GitToolDeps } from '../toolDeps.js';

const inputSchema = {
  limit: z.number().int().min(1).max(100).default(10).describe('How many commits to return (1-100, default 10)'),
  offset: z.number().int().min(0).default(0).describe('How many of the newest matching commits to skip, for paging'),
  since: z.string().optional().describe('Only commits committed at or after this ISO-8601 time, e.g. 2026-02-17T14:00:00Z'),
  until: z.string().optional().describe('Only commits committed at or before this ISO-8601 time'),
  path: z
    .string()
    .optional()
    .describe('Only commits touching this file or directory (relative to the repository root; globs like src/*.ts work)'),
};

const outputSchema = {
  commits: z.array(commitSummarySchema).describe('Newest first'),
  ...pagingShape,
  deployments_warning: z.string().optional().describe('Why deployments are unknown, when they are'),
};

/** The largest --skip git reads correctly (a signed 32-bit int). */
const MAX_GIT_SKIP = 2 ** 31 - 1;

export function registerGetRecentCommitsTool(server: McpServer, deps: GitToolDeps): void {
  server.registerTool(
    'get_recent_commits',
    {
      title: 'Recent commits',
      description:
        'Lists the newest commits of the repository (newest first) with author, commit time, subject, changed files ' +
        '(+/- lines) and the deployment that shipped each one (null = not deployed yet). Filter by a time window ' +
        '(since/until) and/or a path; page with offset. Each commit is identified by its full hash.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('get_recent_commits', async ({ limit, offset, since, until, path }) => {
      await deps.git.ensureRepository();
      const window = timeWindow(since, until);
      const pathFilter = checkPathFilter(path);
      const filters = [...windowArgs(window), 'HEAD'];
      const paths = pathFilter ? [pathFilter] : [];
      const [countOut, commits, deployments] = await Promise.all([
        deps.git.run(['rev-list', '--count', ...filters, '--', ...paths]),
        // git's --skip is a C int: an offset past it would wrap round to the newest commits; no history is that long.
        offset > MAX_GIT_SKIP
          ? []
          : readCommits(deps.git, [`--skip=${offset}`, `-n${limit}`, ...(pathFilter ? ['--full-diff'] : []), ...filters], {
              withFiles: true,
              paths,
            }),
        deps.deployments.loadOrExplain(),
      ]);
      const total = Number(countOut.stdout.trim());
      const summaries = commits.map((c) => summarizeCommit(c, deployments.index));
      const nextOffset = offset + summaries.length < total ? offset + summaries.length : null;
      const scope = [
        since ? `since ${since}` : '',
        until ? `until ${until}` : '',
        pathFilter ? `touching ${pathFilter}` : '',
      ].filter(Boolean);
      const header =
        summaries.length === 0
          ? `No commits${scope.length ? ` ${scope.join(', ')}` : ''}${offset ? ` at offset ${offset} (total ${total})` : ''}.`
          : `Commits ${offset + 1}-${offset + summaries.length} of ${total}${scope.length ? ` ${scope.join(', ')}` : ''} (newest first):`;
      const text =
        [header, ...summaries.map((s) => commitText(s, Boolean(deployments.index)))].join('\n') +
        omittedNote(offset + summaries.length, total, `call again with offset=${nextOffset}`) +
        deploymentsWarning(deployments.problem);
      return ok(text, {
        commits: summaries,
        total,
        offset,
        omitted: total - summaries.length,
        next_offset: nextOffset,
        ...(deployments.problem ? { deployments_warning: deployments.problem } : {}),
      });
    }),
  );
}
