// Entry point: `node dist/servers/git.js --repo PATH [--deployments FILE] [--deploy-tag-pattern GLOB]`.
import path from 'node:path';
import { parseFlags, usage, UsageError, type FlagSpec } from '../common/args.js';
import { logToStderr, serveOverStdio } from '../common/stdio.js';
import { GitCli } from './gitCli.js';
import { createGitServer, DEFAULT_DEPLOY_TAG_PATTERN } from './server.js';

const FLAGS = {
  repo: { env: 'INCIDENT_REPO', description: 'the git repository to read (its top-level directory)' },
  deployments: { env: 'INCIDENT_DEPLOYMENTS', description: 'deployments JSON file; without it, annotated tags are deployments' },
  'deploy-tag-pattern': {
    env: 'INCIDENT_DEPLOY_TAG_PATTERN',
    description: `glob for deployment tags when there is no deployments file (default ${DEFAULT_DEPLOY_TAG_PATTERN})`,
  },
} satisfies Record<string, FlagSpec>;

function main(): void {
  let flags;
  try {
    ({ flags } = parseFlags(process.argv.slice(2), FLAGS));
    if (flags.repo.length === 0) throw new UsageError('--repo is required');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`git server: ${err.message}\n${usage('dist/servers/git.js', FLAGS)}`);
    process.exit(2);
  }
  const repoPath = path.resolve(flags.repo[0]!);
  const deploymentsFile = flags.deployments[0] ? path.resolve(flags.deployments[0]) : undefined;
  const deployTagPattern = flags['deploy-tag-pattern'][0] ?? DEFAULT_DEPLOY_TAG_PATTERN;
  // A wrong --repo does not stop the server: every tool answers with what to fix, which the user sees in chat.
  logToStderr('git', `repository ${repoPath}; deployments from ${deploymentsFile ?? `tags matching ${deployTagPattern}`}`);
  new GitCli(repoPath).ensureRepository().catch((err: unknown) => {
    logToStderr('git', `WARNING: ${err instanceof Error ? err.message : String(err)} Every tool will report this until it is fixed.`);
  });
  serveOverStdio(createGitServer({ repoPath, deploymentsFile, deployTagPattern }), 'git').catch((err: unknown) => {
    logToStderr('git', `could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

main();
