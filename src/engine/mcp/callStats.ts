// Per-server figures for the UI: calls, errors, restarts and latency percentiles over recent calls.
const KEPT_LATENCIES = 1000;

export interface ServerFigures {
  calls: number;
  errors: number;
  restarts: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export class CallStats {
  calls = 0;
  errors = 0;
  restarts = 0;
  private latencies: number[] = [];

  record(durationMs: number, isError: boolean): void {
    this.calls++;
    if (isError) this.errors++;
    this.latencies.push(durationMs);
    if (this.latencies.length > KEPT_LATENCIES) this.latencies.shift();
  }

  figures(): ServerFigures {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return { calls: this.calls, errors: this.errors, restarts: this.restarts, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}
