// What a commit's patch changed: the changed lines per file, and settings whose value changed
// (`max: 20` → `max: 5`), which is how many incidents begin, and dependency versions bumped in manifests.
import { dependencyChanges, type DependencyChange } from './dependencyChanges.js';
import { schedulesIn, type Schedule } from './schedules.js';

export interface SettingChange {
  file: string;
  key: string;
  from: string;
  to: string;
}

export interface DiffFacts {
  changedLines: string[];
  settingChanges: SettingChange[];
  dependencyChanges: DependencyChange[];
  /** Cron schedules in added lines. */
  schedules: Schedule[];
}

const KEY_VALUE = /^\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.+?)\s*,?\s*$/;
/** Command-line flags are settings too: `--concurrency=12`, `--workers 4`, the JVM's `-Xmx2g`. */
const FLAG = /(?:^|\s)(?:--([A-Za-z][\w.-]*)[= ]([^\s"'-][^\s"']*)|-X(mx|ms|ss)(\d+[kKmMgG]?))/g;
/** Files that hold configuration: a setting they gain (`SENDER_WORKERS=32`) changes a default. */
const CONFIG_FILE = /\.(env|ya?ml|json|toml|ini|properties|conf|cfg)$|(^|\/)[^/]*\.env(\.[\w-]+)?$|(^|\/)(Procfile|Dockerfile)$/i;

function flagsOf(line: string): Map<string, string> {
  const flags = new Map<string, string>();
  for (const m of line.matchAll(FLAG)) {
    if (m[1] !== undefined) flags.set(m[1], m[2]!);
    else flags.set(`X${m[3]}`, m[4]!);
  }
  return flags;
}

export function diffFacts(patch: string): DiffFacts {
  const changedLines: string[] = [];
  const settingChanges: SettingChange[] = [];
  const dependencies: DependencyChange[] = [];
  const added: string[] = [];
  let file = '';
  let removed = new Map<string, string>();
  let fileRemoved: string[] = [];
  let fileAdded: string[] = [];
  const flushHunk = () => {
    removed = new Map();
  };
  const flushFile = () => {
    if (file) dependencies.push(...dependencyChanges(file, fileRemoved, fileAdded));
    fileRemoved = [];
    fileAdded = [];
  };
  for (const line of patch.split('\n')) {
    if (line.startsWith('+++ ')) {
      flushFile();
      file = line.slice(4).replace(/^b\//, '');
      flushHunk();
      continue;
    }
    if (line.startsWith('--- ') || line.startsWith('diff --git')) continue;
    if (line.startsWith('@@')) {
      flushHunk();
      continue;
    }
    if (line.startsWith('-')) {
      changedLines.push(line.slice(1));
      fileRemoved.push(line.slice(1));
      const kv = KEY_VALUE.exec(line.slice(1));
      if (kv) removed.set(kv[1]!, kv[2]!);
      for (const [flag, value] of flagsOf(line.slice(1))) removed.set(`--${flag}`, value);
    } else if (line.startsWith('+')) {
      changedLines.push(line.slice(1));
      fileAdded.push(line.slice(1));
      added.push(line.slice(1));
      const kv = KEY_VALUE.exec(line.slice(1));
      const before = kv ? removed.get(kv[1]!) : undefined;
      if (kv && before !== undefined && before !== kv[2]) settingChanges.push({ file, key: kv[1]!, from: before, to: kv[2]! });
      else if (kv && before === undefined && CONFIG_FILE.test(file) && isLimitKey(kv[1]!)) settingChanges.push({ file, key: kv[1]!, from: '(unset)', to: kv[2]! });
      for (const [flag, value] of flagsOf(line.slice(1))) {
        const was = removed.get(`--${flag}`);
        if (was !== undefined && was !== value) settingChanges.push({ file, key: flag, from: was, to: value });
      }
    }
  }
  flushFile();
  return { changedLines, settingChanges, dependencyChanges: dependencies, schedules: schedulesIn(added) };
}

const LIMIT_WORDS = new Set(
  'pool max min size limit limits timeout timeouts connection connections conn ttl cache retry retries worker workers thread threads level concurrency capacity evict eviction retention rotate rotation millis ms seconds buffer queue'.split(' '),
);

/** Whether a setting bounds a resource (sizes, limits, timeouts, levels), judged by the words of its key. */
export function isLimitKey(key: string): boolean {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/);
  return words.some((w) => LIMIT_WORDS.has(w));
}
