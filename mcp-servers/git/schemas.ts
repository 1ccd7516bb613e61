// Output shapes shared by the tools (zod), so structuredContent is checked against what the tools promise.
import { z } from 'zod';

export const changedFileSchema = z.object({
  path: z.string(),
  old_path: z.string().optional().describe('Path before a rename or copy'),
  status: z.string().describe('A added, M modified, D deleted, R renamed, C copied, T type changed'),
  additions: z.number().nullable().describe('Lines added; null for binary files'),
  deletions: z.number().nullable().describe('Lines deleted; null for binary files'),
});

export const deploymentRefSchema = z
  .object({ version: z.string(), deployed_at: z.string(), status: z.string() })
  .nullable()
  .describe('The deployment that shipped this commit; null if no known deployment contains it yet');

export const commitSummarySchema = z.object({
  hash: z.string().describe('Full 40-hex commit hash: the evidence reference'),
  short_hash: z.string(),
  author_name: z.string(),
  author_email: z.string(),
  date: z.string().describe('Commit (landing) time, ISO-8601 UTC; since/until filter on this'),
  authored_at: z.string(),
  subject: z.string(),
  parents: z.array(z.string()),
  files: z.array(changedFileSchema),
  files_total: z.number(),
  files_omitted: z.number().describe('Changed files not listed here; get_commit lists them'),
  deployment: deploymentRefSchema,
});

export const patchSchema = z.object({
  path: z.string().nullable().describe('The file the patch is limited to, if any'),
  text: z.string(),
  line_offset: z.number(),
  lines_shown: z.number(),
  lines_total: z.number().describe('Lines in the whole patch (at least this many when total_is_lower_bound)'),
  total_is_lower_bound: z.boolean(),
  truncated: z.boolean().describe('True when lines were left out; page with patch_offset or pick a file with path'),
  files_not_shown: z.array(z.string()).describe('Changed files whose diff is not in the shown lines'),
});

export const pagingShape = {
  total: z.number().describe('How many items match in all'),
  offset: z.number(),
  omitted: z.number().describe('Matching items not in this answer'),
  next_offset: z.number().nullable().describe('Pass as offset to get the next page; null on the last page'),
};

export type ChangedFileOut = z.infer<typeof changedFileSchema>;
export type CommitSummaryOut = z.infer<typeof commitSummarySchema>;
