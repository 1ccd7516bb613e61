// The git MCP server: reads one repository (and its deployments) for a root-cause investigation.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Deployments } from './deployments.js';
import { GitCli } from './gitCli.js';
import type { GitToolDeps } from './toolDeps.js';
import { registerDiffRangeTool } from './tools/diffRange.js';
import { registerGetCommitTool } from './tools/getCommit.js';
import { registerGetDeploymentsTool } from './tools/getDeployments.js';
import { registerGetRecentCommitsTool } from './tools/getRecentCommits.js';
import { registerSearchCommitsTool } from './tools/searchCommits.js';

export interface GitServerConfig {
  repoPath: string;
  /** A deployments JSON file; without one, deployments come from annotated tags. */
  deploymentsFile?: string;
  /** Glob for deployment tags, e.g. v*. */
  deployTagPattern: string;
}

export const DEFAULT_DEPLOY_TAG_PATTERN = 'v*';

/** The repository and its deployment index, shared by every session of a server in service mode. */
export function createGitToolDeps(config: GitServerConfig): GitToolDeps {
  const git = new GitCli(config.repoPath);
  const deps: GitToolDeps = {
    git,
    deployments: new Deployments(git, { file: config.deploymentsFile, tagPattern: config.deployTagPattern }),
  };
  // Build the commit -> deployment index in the background so the first call does not pay for it.
  git
    .ensureRepository()
    .then(() => deps.deployments.loadOrExplain())
    .catch(() => undefined);
  return deps;
}

export function createGitServer(config: GitServerConfig, deps: GitToolDeps = createGitToolDeps(config)): McpServer {
  const server = new McpServer({ name: 'incident-analyzer-git', version: '0.1.0' });
  registerGetRecentCommitsTool(server, deps);
  registerGetCommitTool(server, deps);
  registerSearchCommitsTool(server, deps);
  registerGetDeploymentsTool(server, deps);
  registerDiffRangeTool(server, deps);
  return server;
}
