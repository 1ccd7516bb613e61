// Entry point: `node dist/servers/git.js --repo PATH [--deployments FILE] [--deploy-tag-pattern GLOB]`.
import path from 'node:path';
import { parseFlags, usage, UsageError, type FlagSpec } from '../common/args.js';
import { logToStderr } from '../common/stdio.js';
import { serve } from '../common/serve.js';
import { ServiceStartError, type SourceHealth } from '../common/http/httpService.js';
import { SERVICE_FLAGS, ServiceOptionsError, serviceOptionsFrom, type ServiceOptions } from '../common/http/serviceOptions.js';
import { GitCli } from './gitCli.js';
import { createGitServer, createGitToolDeps, DEFAULT_DEPLOY_TAG_PATTERN } from './server.js';

const FLAGS = {
  repo: { env: 'INCIDENT_REPO', description: 'the git repository to read (its top-level directory)' },
  deployments: { env: 'INCIDENT_DEPLOYMENTS', description: 'deployments JSON file; without it, annotated tags are deployments' },
  'deploy-tag-pattern': {
    env: 'INCIDENT_DEPLOY_TAG_PATTERN',
    description: `glob for deployment tags when there is no deployments file (default ${DEFAULT_DEPLOY_TAG_PATTERN})`,
  },
  ...SERVICE_FLAGS,
} satisfies Record<string, FlagSpec>;

function main(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(usage('dist/servers/git.js', FLAGS));
    process.exit(0);
  }
  let flags;
  let service: ServiceOptions | undefined;
  try {
    ({ flags } = parseFlags(process.argv.slice(2), FLAGS));
    if (flags.repo.length === 0) throw new UsageError('--repo is required');
    service = serviceOptionsFrom(flags);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof ServiceOptionsError)) throw err;
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
  const config = { repoPath, deploymentsFile, deployTagPattern };
  const deps = createGitToolDeps(config);
  serve({
    name: 'git',
    service,
    createServer: () => createGitServer(config, deps),
    checkSource: () => repositoryHealth(deps.git),
  }).catch((err: unknown) => {
    logToStderr('git', `could not start: ${err instanceof ServiceStartError ? err.message : err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}

async function repositoryHealth(git: GitCli): Promise<SourceHealth> {
  try {
    await git.ensureRepository();
    return { kind: 'git repository', ok: true, detail: `git repository at ${git.repoPath}` };
  } catch (err) {
    return { kind: 'git repository', ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

main();
