// Reads and checks a deployments file: {"deployments": [{"version", "deployed_at", "status", "commits": [hash...]}]}.
import { UserError } from '../common/result.js';
import { parseTime } from '../common/time.js';
import { isHexHash } from './inputs.js';

export interface DeploymentEntry {
  version: string;
  deployedAtMs: number;
  status: string;
  /** Hashes as written in the file (lower-cased); may be abbreviated. */
  commits: string[];
  /** Position in the file, for messages. */
  index: number;
}

/** Parses the file's text; throws a UserError naming the file, the entry and the field that is wrong. */
export function parseDeploymentsFile(text: string, filePath: string): DeploymentEntry[] {
  const problem = (what: string) =>
    new UserError(`The deployments file ${filePath} is malformed: ${what}. Fix the file; the server re-reads it on the next call.`);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')); // a UTF-8 BOM (Windows editors) is not part of the JSON
  } catch (err) {
    throw problem(`it is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const list = Array.isArray(data) ? data : isObject(data) ? data['deployments'] : undefined;
  if (!Array.isArray(list)) throw problem('expected an object with a "deployments" array');
  const firstIndexOf = new Map<string, number>();
  return list.map((raw: unknown, index) => {
    const where = `entry ${index} (deployments[${index}]${isObject(raw) && typeof raw['version'] === 'string' ? `, version "${raw['version']}"` : ''})`;
    if (!isObject(raw)) throw problem(`${where} is not an object`);
    const version = raw['version'];
    if (typeof version !== 'string' || version.trim() === '') throw problem(`${where} has no "version" string`);
    // A version deployed twice would be its own predecessor; a redeploy needs a name of its own (v1.2.0-redeploy).
    const earlier = firstIndexOf.get(version.trim());
    if (earlier !== undefined) throw problem(`${where}: version "${version.trim()}" is already entry ${earlier}; give each deployment its own version`);
    firstIndexOf.set(version.trim(), index);
    const deployedAt = raw['deployed_at'];
    const deployedAtMs = typeof deployedAt === 'string' ? parseTime(deployedAt) : undefined;
    if (deployedAtMs === undefined) {
      throw problem(`${where}: "deployed_at" ${JSON.stringify(deployedAt)} is not an ISO-8601 time such as 2026-02-17T14:25:00Z`);
    }
    const status = raw['status'] ?? 'unknown';
    if (typeof status !== 'string') throw problem(`${where}: "status" must be a string such as "succeeded" or "rolled_back"`);
    const commits = raw['commits'] ?? [];
    if (!Array.isArray(commits)) throw problem(`${where}: "commits" must be an array of commit hashes`);
    commits.forEach((hash: unknown, position) => {
      if (typeof hash !== 'string' || !isHexHash(hash)) {
        throw problem(`${where}: commits[${position}] ${JSON.stringify(hash)} is not a commit hash (4 to 40 hex characters)`);
      }
    });
    return { version: version.trim(), deployedAtMs, status, commits: (commits as string[]).map((h) => h.toLowerCase()), index };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
