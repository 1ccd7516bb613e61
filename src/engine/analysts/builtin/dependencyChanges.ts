// Dependency versions a commit changed in a package manifest (package.json, requirements.txt, pyproject.toml,
// go.mod, Gemfile, Gradle…): a bumped library is a code change nobody on the team wrote, and a major bump is a
// common cause of errors that name that library.

export interface DependencyChange {
  file: string;
  name: string;
  from: string;
  to: string;
  /** The first version number changed (1.x → 2.x): the library's API may have changed. */
  major: boolean;
}

const MANIFEST = /(^|\/)(package\.json|requirements[\w.-]*\.txt|constraints[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.cfg|go\.mod|Gemfile|Cargo\.toml|build\.gradle(\.kts)?|composer\.json|[\w.-]+\.csproj)$/;

const PATTERNS: RegExp[] = [
  // "name": "^1.2.3"  /  name = "1.2"  /  name = { version = "1.2" }
  /^\s*"?(@?[\w.\/-]+)"?\s*[:=]\s*(?:\{[^}]*version\s*=\s*)?"([~^<>=!\s]*v?\d[\w.+-]*)"/,
  // name==1.2.3, name>=1.2 (pip)
  /^\s*([A-Za-z][\w.-]*)(?:\[[\w,-]+\])?\s*(?:==|>=|~=|<=|>|<)\s*(\d[\w.+-]*)/,
  // github.com/x/y v1.2.3 (go.mod)
  /^\s*(?:require\s+)?([\w.-]+\/[\w.\/-]+)\s+(v\d[\w.+-]*)/,
  // gem 'name', '~> 1.2'
  /^\s*gem\s+['"]([\w.-]+)['"]\s*,\s*['"][~><=\s]*(\d[\w.]*)['"]/,
  // implementation 'group:name:1.2.3'
  /['"][\w.-]+:([\w.-]+):(\d[\w.+-]*)['"]/,
  // <PackageReference Include="Name" Version="1.2.3" />
  /Include="([\w.-]+)"\s+Version="(\d[\w.+-]*)"/,
];

export function isManifest(file: string): boolean {
  return MANIFEST.test(file);
}

/** Keys that hold a version without naming a dependency (the package's own version, the runtime's). */
const NOT_DEPENDENCIES = new Set(['version', 'node', 'npm', 'python', 'go', 'ruby', 'java']);

function parse(line: string): { name: string; version: string } | undefined {
  for (const re of PATTERNS) {
    const m = re.exec(line);
    if (m && !NOT_DEPENDENCIES.has(m[1]!.toLowerCase())) return { name: m[1]!.toLowerCase(), version: m[2]!.trim() };
  }
  return undefined;
}

function majorOf(version: string): string | undefined {
  return /(\d+)/.exec(version)?.[1];
}

/** Versions changed between the removed and added lines of one manifest file. */
export function dependencyChanges(file: string, removed: readonly string[], added: readonly string[]): DependencyChange[] {
  if (!isManifest(file)) return [];
  const before = new Map<string, string>();
  for (const line of removed) {
    const dep = parse(line);
    if (dep) before.set(dep.name, dep.version);
  }
  const changes: DependencyChange[] = [];
  for (const line of added) {
    const dep = parse(line);
    const from = dep ? before.get(dep.name) : undefined;
    if (!dep || from === undefined || from === dep.version) continue;
    changes.push({ file, name: dep.name, from, to: dep.version, major: majorOf(from) !== majorOf(dep.version) });
  }
  return changes;
}

/** Whether a library as logs name it (a folder under node_modules/site-packages, an import name) is this dependency. */
export function sameLibrary(logName: string, dependency: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]/g, '');
  const a = norm(logName);
  const b = norm(dependency.split('/').pop() ?? dependency);
  return a === b || norm(dependency) === a || (a.length >= 4 && (b.startsWith(a) || a.startsWith(b)) && Math.min(a.length, b.length) >= 4);
}
