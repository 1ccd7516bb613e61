// The log files this server may read: what `--logs` names (directories, files, globs), and nothing else.
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { isInside } from '../common/paths.js';
import { UserError } from '../common/result.js';

export interface LogFile {
  /** The name callers use: the path relative to the catalog's base directory. */
  id: string;
  /** The real absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

interface Source {
  /** Directory that is walked. */
  dir: string;
  /** Which files under `dir` belong (relative paths); undefined for "every file". */
  matches?: (relative: string) => boolean;
  /** The original `--logs` value, for messages. */
  given: string;
}

const MAX_FILES = 10_000;
const MAX_DEPTH = 12;
const RESCAN_MS = 2_000;
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** In a plain directory, these look like logs; in a glob, the glob decides. */
const LOG_NAME = /\.(log|jsonl|ndjson|txt|out|err)(\.\d+)?$|^(syslog|messages)(\.\d+)?$/i;

export class LogCatalog {
  readonly base: string;
  private readonly sources: Source[];
  private cache: { at: number; files: LogFile[] } | undefined;

  constructor(specs: readonly string[], cwd = process.cwd()) {
    if (specs.length === 0) throw new UserError('no log location given: pass --logs DIR_OR_FILE_OR_GLOB (or INCIDENT_LOGS).');
    this.sources = specs.map((spec) => toSource(spec, cwd));
    this.base = commonAncestor(this.sources.map((s) => s.dir));
  }

  describeRoots(): string {
    return this.sources.map((s) => s.given).join(', ');
  }

  /** All log files, sorted by id. Re-walks the roots at most every two seconds. */
  files(): LogFile[] {
    const now = Date.now();
    if (this.cache && now - this.cache.at < RESCAN_MS) return this.cache.files;
    const seen = new Map<string, LogFile>();
    for (const source of this.sources) walk(source, this.base, seen);
    const files = [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
    this.cache = { at: now, files };
    return files;
  }

  /** Finds a file by id (or absolute path), refusing anything that is not one of the catalog's files. */
  resolve(given: string): LogFile {
    if (given.includes('\0')) throw new UserError('file contains a NUL byte; give a file name from list_log_files.');
    const files = this.files();
    const byId = files.find((f) => f.id === given);
    if (byId) return byId;
    const absolute = path.resolve(this.base, given);
    if (!isInside(this.base, absolute)) {
      throw new UserError(`file "${given}" is outside the log folders (${this.describeRoots()}); use a name from list_log_files.`);
    }
    let real: string;
    try {
      real = fs.realpathSync(absolute);
    } catch {
      throw new UserError(`no log file "${given}". ${suggest(files)}`);
    }
    const found = files.find((f) => f.path === real);
    if (!found) {
      throw new UserError(`"${given}" is not one of the log files served here (${this.describeRoots()}). ${suggest(files)}`);
    }
    return found;
  }

  /** The files a tool call covers: one named file, or all of them. */
  select(file: string | undefined): LogFile[] {
    if (file) return [this.resolve(file)];
    const files = this.files();
    if (files.length === 0) throw new UserError(`no log files found in ${this.describeRoots()}.`);
    return files;
  }
}

function suggest(files: LogFile[]): string {
  if (files.length === 0) return 'There are no log files at all.';
  const names = files.slice(0, 8).map((f) => f.id).join(', ');
  return `Known files: ${names}${files.length > 8 ? `, … (${files.length - 8} more; see list_log_files)` : ''}.`;
}

function toSource(spec: string, cwd: string): Source {
  const scan = picomatch.scan(spec);
  if (scan.isGlob) {
    const dir = realDir(path.resolve(cwd, scan.base || '.'), spec);
    const isMatch = picomatch(scan.glob, { dot: false });
    return { dir, matches: (rel) => isMatch(rel.split(path.sep).join('/')), given: spec };
  }
  const absolute = path.resolve(cwd, spec);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new UserError(`log location "${spec}" does not exist; pass an existing directory, file or glob to --logs.`);
  }
  if (stat.isDirectory()) return { dir: fs.realpathSync(absolute), matches: (rel) => LOG_NAME.test(path.basename(rel)), given: spec };
  const real = fs.realpathSync(absolute);
  const name = path.basename(real);
  return { dir: path.dirname(real), matches: (rel) => rel === name, given: spec };
}

function realDir(dir: string, spec: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    throw new UserError(`log location "${spec}": directory ${dir} does not exist.`);
  }
}

function walk(source: Source, base: string, into: Map<string, LogFile>): void {
  const pending: Array<{ dir: string; depth: number }> = [{ dir: source.dir, depth: 0 }];
  while (pending.length > 0 && into.size < MAX_FILES) {
    const { dir, depth } = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable directory: skip it rather than fail the whole listing
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_DIRS.has(entry.name)) pending.push({ dir: full, depth: depth + 1 });
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const relative = path.relative(source.dir, full);
      if (source.matches && !source.matches(relative)) continue;
      addFile(full, source.dir, base, into);
    }
  }
}

function addFile(full: string, root: string, base: string, into: Map<string, LogFile>): void {
  let real: string;
  let stat: fs.Stats;
  try {
    real = fs.realpathSync(full);
    stat = fs.statSync(real);
  } catch {
    return; // dangling link
  }
  // A symlink may not lead out of its root.
  if (!stat.isFile() || !isInside(root, real)) return;
  const id = path.relative(base, full).split(path.sep).join('/');
  if (!into.has(id)) into.set(id, { id, path: real, size: stat.size, mtimeMs: stat.mtimeMs });
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0]!;
  for (const dir of dirs.slice(1)) {
    while (!isInside(common, dir)) common = path.dirname(common);
  }
  return common;
}
