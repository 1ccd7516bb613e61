// What every git tool is given, and the annotations they all share.
import type { Deployments } from './deployments.js';
import type { GitCli } from './gitCli.js';

export interface GitToolDeps {
  git: GitCli;
  deployments: Deployments;
}

/** Every git tool only reads a local repository and answers the same way twice. */
export const READ_ONLY = { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false } as const;
