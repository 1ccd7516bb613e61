// Deployments read from annotated tags: the tagger date is when it shipped; its commits are those it added.
import type { GitCli } from './gitCli.js';

export interface TagDeployment {
  version: string;
  deployedAtMs: number;
  status: string;
  /** The commit the tag points at. */
  tagCommit: string;
}

export interface TagListing {
  tags: TagDeployment[];
  /** Matching tags that are lightweight or do not point at a commit, so have no deployment time. */
  skipped: string[];
  /** Raw listing: changes whenever a tag is added, moved or deleted, so it keys the cache. */
  fingerprint: string;
}

const RECORD = '\x1e';

/** Lists annotated tags matching the glob (one `git for-each-ref`), oldest first. */
export async function listDeployTags(git: GitCli, pattern: string): Promise<TagListing> {
  const format = `${RECORD}%(refname:strip=2)%00%(objecttype)%00%(*objectname)%00%(*objecttype)%00%(taggerdate:unix)%00%(contents)`;
  const { stdout } = await git.run(['for-each-ref', `--format=${format}`, `refs/tags/${pattern}`]);
  const tags: TagDeployment[] = [];
  const skipped: string[] = [];
  for (const record of stdout.split(RECORD).slice(1)) {
    const [name = '', type, peeled, peeledType, taggerDate, contents = ''] = record.split('\0');
    if (type !== 'tag' || peeledType !== 'commit' || !peeled || !taggerDate) {
      skipped.push(name);
      continue;
    }
    tags.push({ version: name, deployedAtMs: Number(taggerDate) * 1000, status: statusFrom(contents), tagCommit: peeled });
  }
  tags.sort((a, b) => a.deployedAtMs - b.deployedAtMs || a.version.localeCompare(b.version));
  return { tags, skipped, fingerprint: stdout };
}

/** A tag message may carry a `status: rolled_back` line; otherwise the tag just says it was deployed. */
function statusFrom(message: string): string {
  return /^status:\s*(\S+)/im.exec(message)?.[1] ?? 'deployed';
}

export interface TagCommits {
  /** For each tag (same order as given), the commits it added, newest first. */
  perTag: string[][];
  subjects: Map<string, string>;
}

/**
 * Assigns every commit reachable from a tag to the earliest tag that contains it, from ONE `git log` over all tags:
 * the parent graph is read once, then each tag (oldest first) claims what it reaches that no earlier tag claimed.
 */
export async function commitsPerTag(git: GitCli, tags: TagDeployment[]): Promise<TagCommits> {
  const subjects = new Map<string, string>();
  if (tags.length === 0) return { perTag: [], subjects };
  const { stdout } = await git.run(['log', '--stdin', '--format=%H %P%x00%s'], {
    input: [...new Set(tags.map((t) => t.tagCommit))].join('\n') + '\n',
  });
  const parents = new Map<string, string[]>();
  const order = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const nul = line.indexOf('\0');
    const [hash = '', ...parentHashes] = line.slice(0, nul).split(' ');
    order.set(hash, order.size);
    parents.set(hash, parentHashes.filter(Boolean));
    subjects.set(hash, line.slice(nul + 1));
  }
  const claimed = new Set<string>();
  const perTag = tags.map((tag) => {
    const mine: string[] = [];
    const stack = [tag.tagCommit];
    while (stack.length > 0) {
      const hash = stack.pop()!;
      if (claimed.has(hash) || !parents.has(hash)) continue;
      claimed.add(hash);
      mine.push(hash);
      stack.push(...parents.get(hash)!);
    }
    return mine.sort((a, b) => order.get(a)! - order.get(b)!);
  });
  return { perTag, subjects };
}
