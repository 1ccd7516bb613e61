// Which deployments happened and which deployment shipped each commit, from a deployments file or from tags.
// Built once and kept until the file changes (mtime/size) or the tag listing changes.
import fs from 'node:fs';
import { UserError } from '../common/result.js';
import { isoTime } from '../common/time.js';
import { parseDeploymentsFile, type DeploymentEntry } from './deploymentsFile.js';
import { commitsPerTag, listDeployTags, type TagListing } from './deploymentsTags.js';
import type { GitCli } from './gitCli.js';
import { outsideAnyCall } from '../common/callSignal.js';

export interface DeployedCommit {
  /** Full 40-hex hash when the commit is in the repository; otherwise as listed in the file. */
  hash: string;
  subject: string | null;
  in_repository: boolean;
}

export interface Deployment {
  version: string;
  deployed_at: string;
  deployedAtMs: number;
  status: string;
  source: 'file' | 'tag';
  /** Newest first. */
  commits: DeployedCommit[];
}

/** What a commit carries to say which deployment shipped it. */
export interface DeploymentRef {
  version: string;
  deployed_at: string;
  status: string;
}

export interface DeploymentIndex {
  /** Oldest first. */
  deployments: Deployment[];
  shippedBy: Map<string, Deployment>;
  /** Where the deployments come from, for the model to quote. */
  source: string;
  notes: string[];
}

export interface DeploymentsConfig {
  file?: string;
  tagPattern: string;
}

/** A deployment with one of these statuses never went live, so it did not ship its commits if a later one did. */
const NEVER_LIVE = /^(failed|failure|error|errored|cancell?ed|aborted|skipped)$/i;

export class Deployments {
  private cached?: { key: string; index: Promise<DeploymentIndex> };

  constructor(
    private readonly git: GitCli,
    private readonly config: DeploymentsConfig,
  ) {}

  /** The current index; throws a UserError when the deployments file is missing or malformed. */
  async load(): Promise<DeploymentIndex> {
    return this.config.file ? this.fromFile(this.config.file) : this.fromTags(this.config.tagPattern);
  }

  /** For tools that can do without deployments: the index, or the reason there is none. */
  async loadOrExplain(): Promise<{ index?: DeploymentIndex; problem?: string }> {
    try {
      return { index: await this.load() };
    } catch (err) {
      if (err instanceof UserError) return { problem: err.message };
      throw err;
    }
  }

  private async fromFile(file: string): Promise<DeploymentIndex> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new UserError(
        `The deployments file ${file} does not exist. Create it, or start the git server without --deployments ` +
          `(INCIDENT_DEPLOYMENTS) to read deployments from tags matching "${this.config.tagPattern}".`,
      );
    }
    const key = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    return this.memo(key, () => this.indexFileEntries(parseDeploymentsFile(fs.readFileSync(file, 'utf8'), file), file));
  }

  /** One build per key, shared by calls that arrive while it runs; a failed build is not kept. */
  private memo(key: string, build: () => Promise<DeploymentIndex>): Promise<DeploymentIndex> {
    if (this.cached?.key === key) return this.cached.index;
    const index = outsideAnyCall(build);
    this.cached = { key, index };
    index.catch(() => {
      if (this.cached?.index === index) this.cached = undefined;
    });
    return index;
  }

  private async indexFileEntries(entries: DeploymentEntry[], file: string): Promise<DeploymentIndex> {
    const listed = [...new Set(entries.flatMap((e) => e.commits))];
    const full = await this.resolveHashes(listed);
    const { subjects, newestFirst } = await this.subjectsOf([...new Set(full.values())]);
    const deployments = [...entries]
      .sort((a, b) => a.deployedAtMs - b.deployedAtMs || a.index - b.index)
      .map((entry): Deployment => ({
        version: entry.version,
        deployed_at: isoTime(entry.deployedAtMs),
        deployedAtMs: entry.deployedAtMs,
        status: entry.status,
        source: 'file',
        commits: entry.commits
          .map((listedHash) => {
            const hash = full.get(listedHash);
            return hash
              ? { hash, subject: subjects.get(hash) ?? null, in_repository: true }
              : { hash: listedHash, subject: null, in_repository: false };
          })
          .sort((a, b) => (newestFirst.get(a.hash) ?? Infinity) - (newestFirst.get(b.hash) ?? Infinity)),
      }));
    const shippedBy = new Map<string, Deployment>();
    for (const deployment of deployments) {
      for (const commit of deployment.commits) {
        const earlier = shippedBy.get(commit.hash);
        if (!earlier || (NEVER_LIVE.test(earlier.status) && !NEVER_LIVE.test(deployment.status))) {
          shippedBy.set(commit.hash, deployment);
        }
      }
    }
    const missing = listed.filter((h) => !full.has(h));
    const notes = missing.length
      ? [`${missing.length} listed commit(s) are not in the repository (or are ambiguous): ${missing.slice(0, 10).join(', ')}`]
      : [];
    return { deployments, shippedBy, source: `deployments file ${file}`, notes };
  }

  /** Expands listed (maybe abbreviated) hashes to full ones with one `git cat-file --batch-check`. */
  private async resolveHashes(hashes: string[]): Promise<Map<string, string>> {
    const full = new Map<string, string>();
    if (hashes.length === 0) return full;
    const { stdout } = await this.git.run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
      input: hashes.join('\n') + '\n',
    });
    stdout.split('\n').forEach((line, i) => {
      const [objectName, type] = line.split(' ');
      const listed = hashes[i];
      if (listed && type === 'commit' && objectName) full.set(listed, objectName);
    });
    return full;
  }

  /** Subjects of the given commits and their newest-first position, with one `git log --no-walk`. */
  private async subjectsOf(hashes: string[]): Promise<{ subjects: Map<string, string>; newestFirst: Map<string, number> }> {
    const subjects = new Map<string, string>();
    const newestFirst = new Map<string, number>();
    if (hashes.length === 0) return { subjects, newestFirst };
    const { stdout } = await this.git.run(['log', '--no-walk', '--stdin', '--format=%H%x00%s'], {
      input: hashes.join('\n') + '\n',
    });
    for (const line of stdout.split('\n')) {
      const [hash, subject] = line.split('\0');
      if (!hash || subject === undefined) continue;
      subjects.set(hash, subject);
      newestFirst.set(hash, newestFirst.size);
    }
    return { subjects, newestFirst };
  }

  private async fromTags(pattern: string): Promise<DeploymentIndex> {
    const listing = await listDeployTags(this.git, pattern);
    return this.memo(listing.fingerprint, () => this.indexTags(listing, pattern));
  }

  private async indexTags(listing: TagListing, pattern: string): Promise<DeploymentIndex> {
    const { perTag, subjects } = await commitsPerTag(this.git, listing.tags);
    const deployments = listing.tags.map((tag, i): Deployment => ({
      version: tag.version,
      deployed_at: isoTime(tag.deployedAtMs),
      deployedAtMs: tag.deployedAtMs,
      status: tag.status,
      source: 'tag',
      commits: (perTag[i] ?? []).map((hash) => ({ hash, subject: subjects.get(hash) ?? null, in_repository: true })),
    }));
    const shippedBy = new Map<string, Deployment>();
    for (const deployment of deployments) for (const commit of deployment.commits) shippedBy.set(commit.hash, deployment);
    const notes: string[] = [];
    if (listing.tags.length === 0) notes.push(`no annotated tags match "${pattern}", so no deployments are known`);
    if (listing.skipped.length) {
      notes.push(`ignored ${listing.skipped.length} matching tag(s) that are not annotated (no tagger date): ${listing.skipped.slice(0, 10).join(', ')}`);
    }
    return { deployments, shippedBy, source: `annotated tags matching "${pattern}"`, notes };
  }
}

export function deploymentRef(deployment: Deployment | undefined): DeploymentRef | null {
  return deployment ? { version: deployment.version, deployed_at: deployment.deployed_at, status: deployment.status } : null;
}
