// The three ways search_logs can search give the same results: ripgrep, the JavaScript engine with its raw-byte
// skipping for literal patterns, and the plain line-by-line JavaScript engine (reached here through an escaped
// regex, which never skips). Run over every fixture's logs and over a file made of the awkward cases; each case is
// one test for the two JavaScript paths and one for ripgrep, which skips (saying why) on a machine without rg.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { searchFiles } from '../../mcp-servers/logs/search';
import type { RipgrepBinary } from '../../mcp-servers/logs/ripgrep/locate';
import { ripgrepCanSearch, searchWithRipgrep } from '../../mcp-servers/logs/ripgrep/ripgrepSearch';
import { escapeRegex, type SearchRequest } from '../../mcp-servers/logs/searchRequest';
import type { LogFile } from '../../mcp-servers/logs/catalog';
import type { LineFilter } from '../../mcp-servers/logs/recordTracker';
import { ripgrepOrSkip } from '../support/ripgrep';
import { fixturesDir } from '../support/servers';

const YEAR = 2026;

function logFile(base: string, file: string): LogFile {
  const stat = fs.statSync(file);
  return { id: path.relative(base, file), path: file, size: stat.size, mtimeMs: stat.mtimeMs };
}

function request(pattern: string, over: Partial<SearchRequest> = {}): SearchRequest {
  return {
    pattern,
    regex: false,
    caseSensitive: false,
    filter: {},
    context: 0,
    offset: 0,
    maxResults: 500,
    count: true,
    countBudgetMs: 600_000, // never cut short here: the totals must be exact to compare
    ...over,
  };
}

/**
 * Asserts that the JavaScript engine with skipping (or, given a binary, ripgrep where it can search) gives what the
 * plain line-by-line engine gives; returns that result for further checks.
 */
async function agree(files: LogFile[], req: SearchRequest, rg?: RipgrepBinary) {
  const label = JSON.stringify({ ...req, countBudgetMs: undefined });
  const plain = await searchFiles(files, YEAR, { ...req, regex: true, pattern: escapeRegex(req.pattern) });
  if (!rg) {
    const skipping = await searchFiles(files, YEAR, req);
    assert.deepEqual(skipping, plain, `JavaScript with skipping differs from line by line for ${label}`);
  } else if (ripgrepCanSearch(req)) {
    const viaRipgrep = await searchWithRipgrep(rg, files, YEAR, req);
    assert.deepEqual(viaRipgrep, plain, `ripgrep differs from JavaScript for ${label}`);
  }
  return plain;
}

/** The two comparisons, each its own test: JavaScript's two paths always, ripgrep when there is one. */
const ENGINES: Array<{ name: string; binary: (test: Mocha.Context) => RipgrepBinary | undefined }> = [
  { name: 'JavaScript skipping = line by line', binary: () => undefined },
  { name: 'ripgrep = JavaScript', binary: ripgrepOrSkip },
];

const FILTERS: Array<[string, LineFilter]> = [
  ['no filter', {}],
  ['errors', { minLevel: 'error' }],
  ['a window', { since: Date.parse('2026-02-17T14:40:00Z'), until: Date.parse('2026-02-17T14:50:00Z') }],
  ['warnings in a window', { minLevel: 'warn', since: Date.parse('2026-01-21T12:00:00Z'), until: Date.parse('2026-02-17T15:00:00Z') }],
];

/** Lines that trip up engines: CRLF, long lines, multi-byte and broken UTF-8, NUL, continuations, chunk edges. */
function writeAwkwardLog(file: string): void {
  const parts: Buffer[] = [];
  let size = 0;
  const push = (text: string | Buffer) => {
    const b = typeof text === 'string' ? Buffer.from(text) : text;
    parts.push(b);
    size += b.length;
  };
  const filler = (n: number) => `2026-02-17 14:41:${String(n % 60).padStart(2, '0')} INFO [api] GET /health 200 in ${n % 7}ms\n`;
  push('2026-02-17 14:40:00 ERROR [db] Needle at the very start\r\n');
  push('Error: needle in a stack trace line (a continuation of an ERROR record)\n');
  push('    at Pool.acquire (src/db/pool.js:88:11) NEEDLE\n');
  push('2026-02-17 14:40:01 INFO [api] café naïve Straße größe needle-ü\n');
  push('2026-02-17 14:40:02 WARN [api] kelvin sign \u212Aelvin and long s \u017Fecret needle\n');
  push(Buffer.concat([Buffer.from('2026-02-17 14:40:03 ERROR broken utf8 '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(' needle\n')]));
  push(Buffer.concat([Buffer.from('2026-02-17 14:40:04 INFO nul '), Buffer.from([0]), Buffer.from(' byte needle\n')]));
  push(`2026-02-17 14:40:05 INFO long line ${'x'.repeat(70_000)} needle past the cut\n`);
  push(`2026-02-17 14:40:06 INFO long line needle before the cut ${'y'.repeat(70_000)}\n`);
  push('\n\n2026-02-17 14:40:07 DEBUG needle after empty lines\n');
  // A record longer than a run and a lookback block: its last line's level comes from 100 KB above, from a
  // header in a run of lines without the needle.
  for (let i = 0; i < 2000; i++) push(filler(i));
  push('2026-02-17 14:40:08 ERROR [worker] crashed\n');
  for (let frame = 0; frame < 3000; frame++) push(`    at frame${frame} (src/worker.js:${frame}:1)\n`);
  push('    at the frame with the needle in a long record\n');
  // Needles right at the edges of the reader's 64 KB runs and 1 MB chunks.
  let n = 2000;
  for (const edge of [64 * 1024, 128 * 1024, 1024 * 1024]) {
    while (size < edge - 40) push(filler(n++));
    push('2026-02-17 14:42:00 ERROR [pay] needle across an edge\n');
    push('    continuation across the edge with a needle\n');
  }
  while (size < 1024 * 1024 + 70_000) push(filler(n++));
  push('2026-02-17 14:59:59 ERROR [end] last needle without a newline');
  fs.writeFileSync(file, Buffer.concat(parts));
}

describe('search engines give identical results', function () {
  this.timeout(120_000);
  let tmp: string;
  let awkward: LogFile[];

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'search-engines-'));
    writeAwkwardLog(path.join(tmp, 'awkward.log'));
    fs.writeFileSync(path.join(tmp, 'second.log'), '2026-02-17 14:45:00 ERROR second file needle\nno time here needle\n');
    awkward = [logFile(tmp, path.join(tmp, 'awkward.log')), logFile(tmp, path.join(tmp, 'second.log'))];
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('ripgrep takes only the patterns it matches exactly like JavaScript', () => {
    assert.equal(ripgrepCanSearch(request('pool exhausted')), true);
    assert.equal(ripgrepCanSearch(request('Straße')), false, 'non-ASCII without case: Unicode folding differs');
    assert.equal(ripgrepCanSearch(request('Straße', { caseSensitive: true })), true);
    assert.equal(ripgrepCanSearch(request('a\nb')), false);
    assert.equal(ripgrepCanSearch(request('x', { regex: true })), false);
  });

  for (const engine of ENGINES) {
    for (const fixture of fs.readdirSync(fixturesDir).filter((d) => fs.existsSync(path.join(fixturesDir, d, 'logs')))) {
      it(`on the ${fixture} fixture: patterns × filters × context × paging (${engine.name})`, async function () {
        const rg = engine.binary(this);
        const dir = path.join(fixturesDir, fixture, 'logs');
        const files = fs.readdirSync(dir).sort().map((f) => logFile(dir, path.join(dir, f)));
        // A window around the first error, so the time filters keep some lines and drop others.
        const firstError = (await searchFiles(files, YEAR, request('error'))).matches.find((m) => m.time !== undefined)!;
        const window = { since: firstError.time! - 30 * 60_000, until: firstError.time! + 30 * 60_000 };
        const filters: LineFilter[] = [{}, { minLevel: 'error' }, window, { ...window, minLevel: 'warn' }];
        let nonEmpty = 0;
        for (const pattern of ['error', 'pool', 'Timeout', ' 500 ', 'disk', 'a', 'no such text anywhere']) {
          for (const filter of filters) {
            const found = await agree(files, request(pattern, { filter }), rg);
            if (found.total > 0) nonEmpty++;
            await agree(files, request(pattern, { filter, context: 2, offset: 3, maxResults: 7 }), rg);
            await agree(files, request(pattern, { filter, caseSensitive: true, maxResults: 5, count: false }), rg);
          }
        }
        assert.ok(nonEmpty >= 10, `the patterns find something in ${fixture} (${nonEmpty} searches did)`);
      });
    }

    it(`on awkward lines: CRLF, continuations, long and broken lines, chunk edges, two files (${engine.name})`, async function () {
      const rg = engine.binary(this);
      const patterns = ['needle', 'NEEDLE', 'Needle at the', 'needle-ü', 'größe', 'secret needle', 'kelvin', 'ecret', 'across an edge', 'past the cut', 'before the cut'];
      for (const pattern of patterns) {
        for (const [, filter] of FILTERS) {
          for (const caseSensitive of [false, true]) {
            await agree(awkward, request(pattern, { filter, caseSensitive }), rg);
            await agree(awkward, request(pattern, { filter, caseSensitive, context: 3 }), rg);
            await agree(awkward, request(pattern, { filter, caseSensitive, context: 1, offset: 2, maxResults: 3, count: false }), rg);
          }
        }
      }
    });

    it(`on awkward lines: the cases themselves come out as a reader of the file would expect (${engine.name})`, async function () {
      const rg = engine.binary(this);
      const all = await agree(awkward, request('needle'), rg);
      const where = all.matches.map((m) => `${m.file}:${m.line}`);
      assert.equal(all.matches[0]!.text, '2026-02-17 14:40:00 ERROR [db] Needle at the very start', 'CR dropped');
      assert.ok(!all.matches.some((m) => m.text.includes('past the cut')), 'text past the 64 KB cut is not searched');
      assert.ok(all.matches.some((m) => m.text.startsWith('2026-02-17 14:40:06 INFO long line needle before the cut')));
      assert.ok(all.matches.some((m) => m.text.includes('\u0000 byte needle')), 'a NUL does not make the file binary');
      assert.equal(all.matches.at(-3)!.text, '2026-02-17 14:59:59 ERROR [end] last needle without a newline');
      assert.deepEqual(where.slice(-2), ['second.log:1', 'second.log:2'], 'files in the order given');
      assert.equal(all.matches.filter((m) => m.text.includes('across an edge')).length, 3);
      assert.equal(all.matches.filter((m) => m.text.includes('continuation across the edge')).length, 3);

      const errors = await agree(awkward, request('needle', { filter: { minLevel: 'error' } }), rg);
      const continuation = errors.matches.find((m) => m.line === 3);
      assert.ok(continuation, 'a stack-trace line belongs to the ERROR record above it');
      assert.equal(continuation.level, 'error');
      assert.equal(continuation.time, Date.parse('2026-02-17T14:40:00Z'));
      assert.ok(!errors.matches.some((m) => m.file === 'second.log' && m.line === 2 && m.level !== 'error'));
      const deep = errors.matches.find((m) => m.text.includes('in a long record'));
      assert.ok(deep, 'a line 100 KB below its record header still belongs to it');
      assert.equal(deep.time, Date.parse('2026-02-17T14:40:08Z'));

      const ascii = await agree(awkward, request('kelvin'), rg);
      assert.equal(ascii.total, 1, 'the ASCII pattern does not match the Kelvin sign (JavaScript case rules)');
      const longS = await agree(awkward, request('secret'), rg);
      assert.equal(longS.total, 0, 'nor the long s');
    });

    it(`stops one match past the page when asked not to count, and says the total is a lower bound (${engine.name})`, async function () {
      const rg = engine.binary(this);
      const quick = await agree(awkward, request('GET /health', { maxResults: 50, count: false }), rg);
      assert.equal(quick.matches.length, 50);
      assert.equal(quick.total, 51);
      assert.equal(quick.totalIsExact, false);
      const counted = await agree(awkward, request('GET /health', { maxResults: 50 }), rg);
      assert.ok(counted.total > 10_000 && counted.totalIsExact, `counted ${counted.total}`);
      assert.deepEqual(counted.matches, quick.matches);
    });
  }

  for (const engine of ENGINES) {
    it(`cuts counting short at the budget and says so (${engine.name.split(' ')[0]})`, async function () {
      const rg = engine.binary(this);
      const req = request('GET /health', { maxResults: 5, countBudgetMs: 0 });
      const outcome = rg ? await searchWithRipgrep(rg, awkward, YEAR, req) : await searchFiles(awkward, YEAR, req);
      assert.equal(outcome.matches.length, 5);
      assert.equal(outcome.totalIsExact, false);
      assert.ok(outcome.total >= 5);
    });
  }
});
