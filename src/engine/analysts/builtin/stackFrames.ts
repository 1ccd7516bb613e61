// Where the errors happened in code: the file paths, functions and libraries that stack traces and error records
// name, and which repository files those paths are. Deployed code runs from build output under a deploy prefix
// (`/srv/app/dist/services/x.js`) while the repository holds its source (`src/services/x.ts`), so paths are
// compared by their trailing folders and base name, with build-output folders and compiled extensions set aside.

export interface StackFrame {
  /** The path as written in the log, without `file://` and with forward slashes. */
  path: string;
  /** The function or method the frame names, when it names one. */
  fn?: string;
  /** For a frame inside an installed library: the package's name (`node_modules/<pkg>`, `site-packages/<pkg>`…). */
  library?: string;
  /** How far from where the error was raised, 0 being that frame (the lowest seen over all records). */
  depth: number;
}

const SOURCE_EXT = 'js|mjs|cjs|jsx|ts|mts|cts|tsx|py|java|kt|scala|go|rb|cs|php|rs|ex|exs|clj|swift';

// Node/JS: `at fn (/srv/app/dist/x.js:88:17)`, `at /srv/app/x.js:1:2`, and a bare `path.ext:line`.
const NODE_FRAME = new RegExp(`at\\s+(?:async\\s+)?(?:([\\w$.<>\\[\\] ]+?)\\s+\\()?(?:file://)?([^\\s()'"]+\\.(?:${SOURCE_EXT})):\\d+`, 'g');
// Python: File "/app/reports/export.py", line 88, in render
const PYTHON_FRAME = /File "([^"]+\.py)", line \d+(?:, in ([\w<>]+))?/g;
// JVM: at com.example.ledger.LedgerRepository.save(LedgerRepository.java:42)
const JVM_FRAME = /at\s+((?:[\w$]+\.)+)([\w$<>]+)\((\w+\.(?:java|kt|scala|groovy)):\d+\)/g;
// Anything else that looks like `dir/file.ext:line` (Go `proxy.go:212`, Ruby `x.rb:42:in`).
const GENERIC_PATH = new RegExp(`(?:^|[\\s=("'\\[])(/?(?:[\\w.@-]+/)*[\\w.@-]+\\.(?:${SOURCE_EXT})):\\d+`, 'g');

const LIBRARY_DIRS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//, (m) => m[1]!],
  [/(?:site|dist)-packages\/([\w.-]+?)(?:-[\d.]+\.dist-info)?\//, (m) => m[1]!],
  [/gems\/([\w.-]+?)-\d[\w.]*\//, (m) => m[1]!],
  [/pkg\/mod\/((?:[\w.-]+\/)*[\w.-]+)@v/, (m) => m[1]!],
];
/** Frames of the runtime itself: neither ours nor a dependency a commit could have changed. */
const RUNTIME = /^(node:|internal\/)|^\/usr\/(local\/)?lib\/(python|node|go|jvm)|^(java|javax|jdk|sun|kotlin|scala)\//;

/**
 * The frames named in some log text (several records, multi-line traces and JSON-escaped stacks alike). Node and
 * JVM traces list the frame that raised first; Python's list it last.
 */
export function framesIn(text: string): StackFrame[] {
  const plain = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"');
  const frames = new Map<string, StackFrame>();
  const add = (path: string, depth: number, fn?: string) => {
    const clean = path.replace(/^file:\/\//, '').replace(/\\/g, '/');
    const library = libraryOf(clean);
    if (!library && RUNTIME.test(clean)) return;
    const key = `${clean}#${fn ?? ''}`;
    const seen = frames.get(key);
    if (seen) seen.depth = Math.min(seen.depth, depth);
    else frames.set(key, { path: clean, ...(fn && { fn }), ...(library && { library }), depth });
  };
  for (const record of plain.split(TRACE_START)) {
    [...record.matchAll(NODE_FRAME)].forEach((m, i) => add(m[2]!, i, lastName(m[1])));
    const python = [...record.matchAll(PYTHON_FRAME)];
    python.forEach((m, i) => add(m[1]!, python.length - 1 - i, m[2]));
    [...record.matchAll(JVM_FRAME)].forEach((m, i) => {
      const pkg = m[1]!.split('.').filter(Boolean);
      const cls = pkg.pop()!; // the class: its file is named by the frame
      add([...pkg, m[3]!.replace(/^[^.]*/, cls.split('$')[0]!)].join('/'), i, m[2]);
    });
    for (const m of record.matchAll(GENERIC_PATH)) {
      if (![...frames.values()].some((f) => f.path.endsWith(m[1]!))) add(m[1]!, 0);
    }
  }
  return [...frames.values()];
}

/** Where one trace ends and the next begins: a new traceback, or a cause chained to the last. */
const TRACE_START = /(?=Traceback \(most recent call last\)|Caused by:|^\{)/m;

function lastName(fn: string | undefined): string | undefined {
  const name = fn?.trim().split(/[.\s]/).pop();
  return name && /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
}

function libraryOf(path: string): string | undefined {
  for (const [re, name] of LIBRARY_DIRS) {
    const m = re.exec(path);
    if (m) return name(m);
  }
  return undefined;
}

/** Folders that hold build output or deploy layout, not source: set aside when comparing paths. */
const BUILD_DIRS = new Set(['dist', 'build', 'out', 'target', 'classes', 'bin', 'obj', 'lib', 'src', 'app', 'srv', 'opt', 'usr', 'var', 'home', 'main', 'java', 'kotlin', 'python', 'site-packages', '__pycache__']);
/** Compiled and source extensions that name the same module. */
const SAME_MODULE: Record<string, string> = { js: 'js', mjs: 'js', cjs: 'js', jsx: 'js', ts: 'js', mts: 'js', cts: 'js', tsx: 'js', pyc: 'py', py: 'py', class: 'java', java: 'java' };
/** Base names too common to identify a file alone. */
const GENERIC_BASENAMES = new Set(['index', 'main', 'app', 'server', '__init__', 'init', 'mod', 'lib', 'util', 'utils', 'handler', 'handlers', 'config', 'settings']);

function moduleSegments(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const base = parts.pop() ?? '';
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const kind = SAME_MODULE[ext] ?? ext;
  return [...parts.map((p) => p.toLowerCase()).filter((p) => !BUILD_DIRS.has(p)), `${stem.toLowerCase()}.${kind}`];
}

/**
 * How well a frame's path names a repository file: the number of trailing path parts they share once build and
 * deploy folders are set aside (0: not the same file). A shared base name alone counts only when it is distinctive.
 */
export function pathMatch(framePath: string, repoFile: string): number {
  const a = moduleSegments(framePath);
  const b = moduleSegments(repoFile);
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  if (n === 1 && GENERIC_BASENAMES.has(a[a.length - 1]!.replace(/\.\w+$/, ''))) return 0;
  return n;
}
