// A large, deterministic application log for the benchmarks: mixed INFO/WARN/ERROR lines from a dozen
// templates with varying ids, durations and IPs, a week of time, and a known number of needle lines.
import fs from 'node:fs';
import { prng } from './prng.mjs';

export const NEEDLE = 'circuit breaker opened for payments-gateway';

const TEMPLATES = [
  (r, n) => `INFO [checkout] order ${1_000_000 + n} created cart=${Math.floor(r() * 1e6)} items=${1 + Math.floor(r() * 5)} total=${(r() * 300).toFixed(2)} EUR`,
  (r) => `INFO [api] GET /api/products/sku_${Math.floor(r() * 1e5).toString(36)} 200 ${Math.floor(r() * 80)}ms req_id=${Math.floor(r() * 2 ** 48).toString(16)}`,
  (r) => `INFO [api] POST /api/cart/items 201 ${Math.floor(r() * 120)}ms req_id=${Math.floor(r() * 2 ** 48).toString(16)}`,
  (r) => `INFO [db] pool stats total=20 idle=${Math.floor(r() * 20)} active=${Math.floor(r() * 20)} waiting=0 max=20`,
  (r) => `DEBUG [cache] hit key=product:${Math.floor(r() * 1e5)} ttl=${Math.floor(r() * 3600)}s`,
  (r) => `INFO [auth] session refreshed user=${Math.floor(r() * 1e6)} ip=10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
  (r) => `WARN [api] GET /api/products/sku_${Math.floor(r() * 1e5).toString(36)} 404 ${Math.floor(r() * 5)}ms - unknown sku`,
  (r) => `WARN [search] slow query took ${(500 + r() * 3000).toFixed(0)}ms terms=${Math.floor(1 + r() * 6)}`,
  (r) => `ERROR [payments] upstream returned 503 after ${Math.floor(r() * 3000)}ms attempt=${1 + Math.floor(r() * 3)}`,
  (r) => `INFO [worker] job ${Math.floor(r() * 1e7)} finished in ${(r() * 10).toFixed(3)}s queue=default`,
  (r) => `INFO [metrics] flushed ${Math.floor(r() * 500)} series in ${Math.floor(r() * 40)}ms`,
  (r) => `ERROR [db] timeout acquiring connection from pool after ${Math.floor(1000 + r() * 4000)}ms (total=20 idle=0 waiting=${Math.floor(r() * 30)})`,
];

/** Writes about `megabytes` MB to `file` (once; reused when the stamp matches). Returns the line and needle counts. */
export function ensureBigLog(file, megabytes) {
  const stampFile = `${file}.stamp`;
  const stamp = `v1 ${megabytes}`;
  if (fs.existsSync(file) && fs.existsSync(stampFile)) {
    const saved = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (saved.stamp === stamp) return { ...saved, built: false };
  }
  const rand = prng(7);
  const target = megabytes * 1024 * 1024;
  const start = Date.parse('2026-02-10T00:00:00Z');
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let lines = 0;
  let needles = 0;
  let chunk = [];
  let chunkBytes = 0;
  const approxLines = target / 110;
  while (bytes < target) {
    const t = new Date(start + (lines / approxLines) * 7 * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
    const isNeedle = lines % 100_003 === 50_000;
    const text = isNeedle ? `${t} ERROR [payments] ${NEEDLE} after ${Math.floor(rand() * 50)} failures` : `${t} ${TEMPLATES[Math.floor(rand() * TEMPLATES.length)](rand, lines)}`;
    if (isNeedle) needles++;
    chunk.push(text);
    chunkBytes += text.length + 1;
    lines++;
    if (chunkBytes > 4 * 1024 * 1024) {
      fs.writeSync(fd, `${chunk.join('\n')}\n`);
      bytes += chunkBytes;
      chunk = [];
      chunkBytes = 0;
    }
  }
  if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
  fs.closeSync(fd);
  const info = { stamp, lines, needles, bytes: fs.statSync(file).size };
  fs.writeFileSync(stampFile, JSON.stringify(info));
  return { ...info, built: true };
}
