// search_commits: finds commits by message, author, or changed code (pickaxe), and says what matched.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { anyCaseEnum } from '../../common/enums.js';
import { guarded, ok, omittedNote } from '../../common/result.js';
import { timeWindow } from '../../common/time.js';
import { readCommits } from '../commitLog.js';
import { commitText, deploymentsWarning, summarizeCommit } from '../commitView.js';
import type { GitCli } from '../gitCli.js';
import { codeScanScope, DEFAULT_CODE_SCAN_COMMITS } from '../codeScanScope.js';
import { checkPathFilter, windowArgs } from '../inputs.js';
import { commitSummarySchema, pagingShape } from '../schemas.js';
import { checkQuery, escapeForPosixRegex } from '../searchPatterns.js';
import { READ_ONLY, type GitToolDeps } from '../toolDeps.js';

type Field = 'message' | 'author' | 'code';
const FIELDS: Field[] = ['message', 'author', 'code'];
/** Matches counted per field; beyond this the total is "at least". */
const MATCH_CAP = 5000;

const inputSchema = {
  query: z.string().describe('Text to look for (literal unless regex=true)'),
  mode: anyCaseEnum(['all', 'message', 'author', 'code'])
    .default('all')
    .describe(
      'Where to look: message (commit messages, case-insensitive), author (name or email, case-insensitive), ' +
        'code (commits whose diff adds or removes a line containing it; case-sensitive), or all three (any case)',
    ),
  regex: z
    .boolean()
    .default(false)
    .describe('Treat query as a POSIX extended regex (no \\d, no lookaround)'),
  limit: z.number().int().min(1).max(100).default(20).describe('How many commits to return (1-100, default 20)'),
  offset: z.number().int().min(0).default(0).describe('How many matches to skip, for paging'),
  since: z.string().optional().describe('Only commits committed at or after this ISO-8601 time'),
  until: z.string().optional().describe('Only commits committed at or before this ISO-8601 time'),
  path: z.string().optional().describe('Only commits touching this file or directory'),
  code_scan_commits: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_CODE_SCAN_COMMITS)
    .describe(
      `Code search looks at the newest this-many commits of the window (default ${DEFAULT_CODE_SCAN_COMMITS}); ` +
        'raise it or narrow since/until to search older code changes',
    ),
};

const outputSchema = {
  query: z.string(),
  mode: z.string(),
  regex: z.boolean(),
  commits: z.array(commitSummarySchema.extend({ matched_in: z.array(z.enum(['message', 'author', 'code'])) })).describe('Newest first'),
  ...pagingShape,
  total_is_lower_bound: z.boolean().describe(`True when a field had more than ${MATCH_CAP} matches and counting stopped`),
  code_scan_stopped_before: z
    .string()
    .nullable()
    .describe('When code search did not reach the start of the window: the time of the newest commit it left out'),
  deployments_warning: z.string().optional(),
};

export function registerSearchCommitsTool(server: McpServer, deps: GitToolDeps): void {
  server.registerTool(
    'search_commits',
    {
      title: 'Search commits',
      description:
        'Finds commits whose message, author or changed code contains the query (mode), newest first, each with what ' +
        'matched (message/author/code), changed files and the deployment that shipped it. Code search finds commits that ' +
        'added or removed the text, e.g. a config key or function name seen in an error.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('search_commits', async ({ query, mode, regex, limit, offset, since, until, path, code_scan_commits }) => {
      await deps.git.ensureRepository();
      const pattern = checkQuery(query, regex);
      const window = timeWindow(since, until);
      const pathFilter = checkPathFilter(path);
      const fields = mode === 'all' ? FIELDS : [mode];
      const scope = fields.includes('code') ? await codeScanScope(deps.git, code_scan_commits, windowArgs(window)) : undefined;
      const lists = await Promise.all(
        fields.map((field) =>
          matchingCommits(deps.git, field, pattern, regex, [...windowArgs(window), ...(field === 'code' && scope ? scope.revisions : ['HEAD'])], pathFilter),
        ),
      );
      const merged = mergeMatches(fields, lists);
      const page = merged.slice(offset, offset + limit);
      const [commits, deployments] = await Promise.all([
        page.length
          ? readCommits(deps.git, ['--no-walk=unsorted', '--stdin'], {
              withFiles: true,
              input: page.map((m) => m.hash).join('\n') + '\n',
            })
          : Promise.resolve([]),
        deps.deployments.loadOrExplain(),
      ]);
      const matchedIn = new Map(page.map((m) => [m.hash, m.fields]));
      const results = commits.map((c) => ({ ...summarizeCommit(c, deployments.index), matched_in: matchedIn.get(c.hash) ?? [] }));
      const total = merged.length;
      const lowerBound = lists.some((l) => l.length >= MATCH_CAP);
      const nextOffset = offset + results.length < total ? offset + results.length : null;
      const what = `${regex ? 'regex' : 'text'} ${JSON.stringify(query)} in ${mode === 'all' ? 'messages, authors and code' : mode}`;
      const header = results.length
        ? `${total}${lowerBound ? '+' : ''} commit(s) match ${what}; showing ${offset + 1}-${offset + results.length} (newest first):`
        : `No commits match ${what}${offset && total ? ` beyond offset ${offset} (total ${total})` : ''}.`;
      const text =
        [header, ...results.map((r) => commitText(r, Boolean(deployments.index), ` [matched in ${r.matched_in.join(', ')}]`))].join('\n') +
        omittedNote(offset + results.length, total, `call again with offset=${nextOffset}`) +
        (scope?.stoppedBefore
          ? `\nCode search covered only the newest ${scope.maxCommits} commits (it stopped before ${scope.stoppedBefore}); ` +
            'raise code_scan_commits or narrow since/until to look further back.'
          : '') +
        deploymentsWarning(deployments.problem);
      return ok(text, {
        query,
        mode,
        regex,
        commits: results,
        total,
        offset,
        omitted: total - results.length,
        next_offset: nextOffset,
        total_is_lower_bound: lowerBound,
        code_scan_stopped_before: scope?.stoppedBefore ?? null,
        ...(deployments.problem ? { deployments_warning: deployments.problem } : {}),
      });
    }),
  );
}

interface Match {
  hash: string;
  time: number;
}

/**
 * One `git log` listing hash + commit time of every match in one field. The query always travels inside its option.
 * revisionArgs: the time window plus HEAD (and, for code, the ^boundary that bounds the scan).
 */
async function matchingCommits(
  git: GitCli,
  field: Field,
  query: string,
  regex: boolean,
  revisionArgs: string[],
  pathFilter: string | undefined,
): Promise<Match[]> {
  const filter =
    field === 'message'
      ? ['-i', regex ? '-E' : '-F', `--grep=${query}`]
      : field === 'author'
        ? ['-i', regex ? '-E' : '-F', `--author=${query}`]
        : // -G (a changed line contains it) rather than -S (the count of occurrences changed): -S misses an edit
          // such as `TIMEOUT = 3000` -> `TIMEOUT = 500`, which is exactly what a root cause often looks like.
          [`-G${regex ? query : escapeForPosixRegex(query)}`, '--no-ext-diff', '--no-textconv'];
  const args = ['log', '--format=%H %ct', `-n${MATCH_CAP}`, ...filter, ...revisionArgs, '--', ...(pathFilter ? [pathFilter] : [])];
  const { stdout } = await git.run(args, { timeoutMs: 30_000 });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hash = '', time = '0'] = line.split(' ');
      return { hash, time: Number(time) };
    });
}

/** Unites the per-field matches (one entry per commit, listing every field that matched), newest first. */
function mergeMatches(fields: Field[], lists: Match[][]): { hash: string; fields: Field[]; time: number; rank: number }[] {
  const byHash = new Map<string, { hash: string; fields: Field[]; time: number; rank: number }>();
  lists.forEach((list, i) => {
    const field = fields[i]!;
    list.forEach((match, rank) => {
      const seen = byHash.get(match.hash);
      if (seen) seen.fields.push(field);
      else byHash.set(match.hash, { hash: match.hash, fields: [field], time: match.time, rank });
    });
  });
  return [...byHash.values()].sort((a, b) => b.time - a.time || a.rank - b.rank);
}
