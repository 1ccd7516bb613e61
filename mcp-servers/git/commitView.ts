// Turns parsed commits into what the tools return: bounded file lists, the deployment that shipped them, and text.
import type { CommitRecord, ChangedFile } from './commitLog.js';
import { deploymentRef, type DeploymentIndex } from './deployments.js';
import type { CommitSummaryOut } from './schemas.js';

/** Files listed per commit in list answers; get_commit shows more. */
export const FILES_PER_COMMIT_IN_LISTS = 20;

export function summarizeCommit(
  commit: CommitRecord,
  deployments: DeploymentIndex | undefined,
  maxFiles = FILES_PER_COMMIT_IN_LISTS,
): CommitSummaryOut {
  const files = commit.files.slice(0, maxFiles);
  return {
    hash: commit.hash,
    short_hash: commit.short_hash,
    author_name: commit.author_name,
    author_email: commit.author_email,
    date: commit.committed_at,
    authored_at: commit.authored_at,
    subject: commit.subject,
    parents: commit.parents,
    files,
    files_total: commit.files.length,
    files_omitted: commit.files.length - files.length,
    deployment: deploymentRef(deployments?.shippedBy.get(commit.hash)),
  };
}

export function fileLine(file: ChangedFile): string {
  const counts = file.additions === null ? '(binary)' : `(+${file.additions} -${file.deletions ?? 0})`;
  const name = file.old_path ? `${file.old_path} -> ${file.path}` : file.path;
  return `${file.status} ${name} ${counts}`;
}

export function deploymentPhrase(summary: { deployment: CommitSummaryOut['deployment'] }, deploymentsKnown: boolean): string {
  if (!deploymentsKnown) return 'deployment unknown';
  const d = summary.deployment;
  return d ? `shipped in ${d.version} at ${d.deployed_at} (${d.status})` : 'not deployed yet';
}

/** The text block for one commit in a list. */
export function commitText(summary: CommitSummaryOut, deploymentsKnown: boolean, extra = ''): string {
  const head =
    `- ${summary.hash} ${summary.date} ${summary.author_name} <${summary.author_email}>\n` +
    `  "${summary.subject}" — ${deploymentPhrase(summary, deploymentsKnown)}${extra}`;
  const files = summary.files.map((f) => `    ${fileLine(f)}`);
  if (summary.files_omitted > 0) files.push(`    … ${summary.files_omitted} more files (get_commit lists them)`);
  return [head, ...files].join('\n');
}

export function deploymentsWarning(problem: string | undefined): string {
  return problem ? `\nWarning: deployments are unavailable, so "shipped in" is unknown: ${problem}` : '';
}
