// get_deployments: what was deployed when, with status and the commits each deployment shipped.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, omittedNote, UserError } from '../../common/result.js';
import { timeWindow } from '../../common/time.js';
import type { Deployment } from '../deployments.js';
import { pagingShape } from '../schemas.js';
import { READ_ONLY, type GitToolDeps } from '../toolDeps.js';

/** Commits listed across all deployments of one answer, so a long page stays readable. */
const COMMITS_LISTED_PER_ANSWER = 1000;

const inputSchema = {
  since: z.string().optional().describe('Only deployments at or after this ISO-8601 time, e.g. 2026-02-17T12:00:00Z'),
  until: z.string().optional().describe('Only deployments at or before this ISO-8601 time'),
  version: z.string().optional().describe('Only the deployment with this exact version (e.g. v1.4.2)'),
  limit: z.number().int().min(1).max(100).default(20).describe('How many deployments to return (1-100, default 20)'),
  offset: z.number().int().min(0).default(0).describe('How many of the newest matching deployments to skip, for paging'),
  max_commits: z
    .number()
    .int()
    .min(0)
    .max(500)
    .default(30)
    .describe('Commits listed per deployment (default 30, max 500); the count of the rest is given'),
};

const deploymentSchema = z.object({
  version: z.string().describe('The deployment version: the evidence reference'),
  deployed_at: z.string().describe('ISO-8601 UTC'),
  status: z.string(),
  source: z.enum(['file', 'tag']),
  previous_version: z.string().nullable().describe('The deployment before this one, if any'),
  commit_count: z.number(),
  commits: z
    .array(z.object({ hash: z.string(), subject: z.string().nullable(), in_repository: z.boolean() }))
    .describe('Commits this deployment shipped, newest first'),
  commits_omitted: z.number(),
});

const outputSchema = {
  source: z.string().describe('Where deployments come from: a file or annotated tags'),
  deployments: z.array(deploymentSchema).describe('Newest first'),
  ...pagingShape,
  notes: z.array(z.string()),
};

export function registerGetDeploymentsTool(server: McpServer, deps: GitToolDeps): void {
  server.registerTool(
    'get_deployments',
    {
      title: 'Deployments',
      description:
        'Lists deployments newest first: version, time, status and the commits each one shipped (those not in the ' +
        'previous deployment). Use it to line an incident start up with the deployment just before it.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('get_deployments', async ({ since, until, version, limit, offset, max_commits }) => {
      await deps.git.ensureRepository();
      const window = timeWindow(since, until);
      const index = await deps.deployments.load();
      const previous = new Map<Deployment, string | null>(
        index.deployments.map((d, i) => [d, index.deployments[i - 1]?.version ?? null]),
      );
      const matching = index.deployments
        .filter((d) => window.since === undefined || d.deployedAtMs >= window.since)
        .filter((d) => window.until === undefined || d.deployedAtMs <= window.until)
        .filter((d) => version === undefined || d.version === version.trim())
        .reverse();
      if (version !== undefined && matching.length === 0) {
        const known = index.deployments.map((d) => d.version).slice(-10).reverse();
        throw new UserError(
          `No deployment "${version}"${since || until ? ' in that window' : ''}. Recent versions: ${known.join(', ') || '(none)'}.`,
        );
      }
      let budget = COMMITS_LISTED_PER_ANSWER;
      const page = matching.slice(offset, offset + limit).map((d) => {
        const commits = d.commits.slice(0, Math.min(max_commits, budget));
        budget -= commits.length;
        return {
          version: d.version,
          deployed_at: d.deployed_at,
          status: d.status,
          source: d.source,
          previous_version: previous.get(d) ?? null,
          commit_count: d.commits.length,
          commits,
          commits_omitted: d.commits.length - commits.length,
        };
      });
      const total = matching.length;
      const nextOffset = offset + page.length < total ? offset + page.length : null;
      const header = page.length
        ? `${total} deployment(s) from ${index.source}; showing ${offset + 1}-${offset + page.length} (newest first):`
        : `No deployments${since || until ? ' in that window' : ''} (from ${index.source}).`;
      const blocks = page.map((d) =>
        [
          `- ${d.version} deployed ${d.deployed_at} status=${d.status} — ${d.commit_count} commit(s)` +
            (d.previous_version ? ` since ${d.previous_version}` : ''),
          ...d.commits.map((c) => `    ${c.hash} ${c.subject ?? '(not in the repository)'}`),
          ...(d.commits_omitted
            ? [`    … ${d.commits_omitted} more commit(s) (get_deployments with version="${d.version}" and a larger max_commits lists them)`]
            : []),
        ].join('\n'),
      );
      const text =
        [header, ...blocks].join('\n') +
        omittedNote(offset + page.length, total, `call again with offset=${nextOffset}`) +
        index.notes.map((n) => `\nNote: ${n}`).join('');
      return ok(text, {
        source: index.source,
        deployments: page,
        total,
        offset,
        omitted: total - page.length,
        next_offset: nextOffset,
        notes: index.notes,
      });
    }),
  );
}
