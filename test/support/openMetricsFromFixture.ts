// Turns a fixture's metrics.json (per-minute rows of cpu_usage, memory_usage, request_rate, error_rate,
// response_time_ms and more) into OpenMetrics text in the shapes real services expose, for promtool to backfill:
//   http_requests_total{service,status="200"|"500"}   a counter integrated from request_rate and error_rate (%)
//   http_request_duration_seconds_bucket/_sum/_count  a histogram whose p95 is response_time_ms
//   process_cpu_seconds_total{service}                 a counter integrated from cpu_usage (% of one core)
//   process_resident_memory_bytes{service}             memory_usage (%) of a 4 GiB machine
//   every other numeric field                          a gauge under its own name
// Timestamps are in seconds, ascending per series, and the text ends with # EOF (promtool's rules).
import fs from 'node:fs';

export interface FixtureRow {
  timestamp: string;
  service?: string;
  [field: string]: unknown;
}

export interface ConvertOptions {
  /** The service label of rows without a `service` field. */
  service?: string;
}

/** Memory percentages become bytes of a machine this large. */
export const MACHINE_BYTES = 4 * 1024 ** 3;
/** Histogram bucket bounds (seconds): fine enough that the interpolated p95 follows response_time_ms closely. */
export const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10];
const CONVERTED = new Set(['timestamp', 'service', 'cpu_usage', 'memory_usage', 'request_rate', 'error_rate', 'response_time_ms']);

export function readFixtureRows(file: string): FixtureRow[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { metrics: FixtureRow[] }).metrics;
}

export function openMetricsFromFixture(rows: readonly FixtureRow[], options: ConvertOptions = {}): string {
  const byService = new Map<string, { time: number; row: FixtureRow }[]>();
  for (const row of rows) {
    const service = typeof row.service === 'string' ? row.service : (options.service ?? 'app');
    let list = byService.get(service);
    if (!list) byService.set(service, (list = []));
    list.push({ time: Math.round(Date.parse(row.timestamp) / 1000), row });
  }
  for (const list of byService.values()) list.sort((a, b) => a.time - b.time);
  const services = [...byService.keys()].sort();
  const num = (row: FixtureRow, field: string): number | undefined => (typeof row[field] === 'number' ? (row[field] as number) : undefined);
  const out: string[] = [];
  const label = (service: string, extra = '') => `{service="${service}"${extra}}`;

  // Each row's value holds for the interval that ends at its timestamp (the first one: the typical gap).
  const gaps = (list: { time: number }[]) => list.map((p, i) => (i > 0 ? p.time - list[i - 1]!.time : (list[1]?.time ?? p.time + 60) - p.time));

  out.push('# TYPE http_requests counter');
  for (const service of services) {
    const list = byService.get(service)!;
    const dt = gaps(list);
    for (const status of ['200', '500']) {
      let total = 0;
      list.forEach(({ time, row }, i) => {
        const rate = num(row, 'request_rate');
        if (rate === undefined) return;
        const errorShare = Math.min(100, Math.max(0, num(row, 'error_rate') ?? 0)) / 100;
        total += rate * dt[i]! * (status === '500' ? errorShare : 1 - errorShare);
        out.push(`http_requests_total${label(service, `,status="${status}"`)} ${round(total)} ${time}`);
      });
    }
  }

  out.push('# TYPE http_request_duration_seconds histogram');
  for (const service of services) {
    const list = byService.get(service)!.filter(({ row }) => num(row, 'response_time_ms') !== undefined && num(row, 'request_rate') !== undefined);
    const dt = gaps(list);
    const counts = list.map(({ row }, i) => num(row, 'request_rate')! * dt[i]!);
    const shares = list.map(({ row }) => bucketShares(num(row, 'response_time_ms')! / 1000));
    for (const [b, le] of [...LATENCY_BUCKETS.map(String), '+Inf'].entries()) {
      let total = 0;
      list.forEach(({ time }, i) => {
        total += counts[i]! * shares[i]![b]!;
        out.push(`http_request_duration_seconds_bucket${label(service, `,le="${le}"`)} ${round(total)} ${time}`);
      });
    }
    // The mean is not the p95: most requests are well below it.
    let sum = 0;
    list.forEach(({ time, row }, i) => {
      sum += counts[i]! * (num(row, 'response_time_ms')! / 1000) * 0.6;
      out.push(`http_request_duration_seconds_sum${label(service)} ${round(sum)} ${time}`);
    });
    let count = 0;
    list.forEach(({ time }, i) => {
      count += counts[i]!;
      out.push(`http_request_duration_seconds_count${label(service)} ${round(count)} ${time}`);
    });
  }

  out.push('# TYPE process_cpu_seconds counter');
  for (const service of services) {
    const list = byService.get(service)!;
    const dt = gaps(list);
    let total = 0;
    list.forEach(({ time, row }, i) => {
      const cpu = num(row, 'cpu_usage');
      if (cpu === undefined) return;
      total += (cpu / 100) * dt[i]!;
      out.push(`process_cpu_seconds_total${label(service)} ${round(total)} ${time}`);
    });
  }

  out.push('# TYPE process_resident_memory_bytes gauge');
  for (const service of services) {
    for (const { time, row } of byService.get(service)!) {
      const memory = num(row, 'memory_usage');
      if (memory !== undefined) out.push(`process_resident_memory_bytes${label(service)} ${Math.round((memory / 100) * MACHINE_BYTES)} ${time}`);
    }
  }

  const gauges = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => !CONVERTED.has(k) && typeof r[k] === 'number')))].sort();
  for (const gauge of gauges) {
    out.push(`# TYPE ${gauge} gauge`);
    for (const service of services) {
      for (const { time, row } of byService.get(service)!) {
        const value = num(row, gauge);
        if (value !== undefined) out.push(`${gauge}${label(service)} ${value} ${time}`);
      }
    }
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

/**
 * Cumulative share of requests at or below each bucket bound (and +Inf) such that Prometheus' linear
 * interpolation puts the 95th percentile exactly at `p95` seconds: 0.95 - 0.05r of the requests at or below the
 * bound under p95, 0.05 in the bucket holding it (r = where p95 sits in that bucket), the rest above.
 */
export function bucketShares(p95: number): number[] {
  const bounds = LATENCY_BUCKETS;
  const k = bounds.findIndex((b) => b > p95); // the bucket (bounds[k-1], bounds[k]] holds p95
  if (k <= 0) return [...bounds.map((b) => (b >= p95 ? 1 : 0)), 1];
  const lower = bounds[k - 1]!;
  const r = (p95 - lower) / (bounds[k]! - lower);
  const atLower = 0.95 - 0.05 * r;
  return [
    ...bounds.map((b, i) => (i < k - 1 ? atLower * (b / lower) ** 2 : i === k - 1 ? atLower : i === k ? atLower + 0.05 : 1)),
    1,
  ];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
