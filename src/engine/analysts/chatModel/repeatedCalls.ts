// Remembers the calls made so an identical one (same tool, same arguments in any key order) is not run again.

export class RepeatedCalls {
  private readonly seen = new Set<string>();

  static keyOf(toolName: string, args: Record<string, unknown>): string {
    return `${toolName} ${canonicalJson(args)}`;
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  remember(key: string): void {
    this.seen.add(key);
  }

  /** Once the model can no longer see a result in full, calling again is no longer a repeat. */
  forget(key: string): void {
    this.seen.delete(key);
  }
}

/** JSON with object keys sorted at every depth, so equal arguments give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
