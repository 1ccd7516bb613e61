// The three ways search_logs can search give the same results: ripgrep, the JavaScript engine with its raw-byte
// skipping for literal patterns, and the plain line-by-line JavaScript engine (reached here through an escaped
// regex, which never skips). Run over every fixture's logs and over a file made of the awkward cases; each case is
// one test for the two JavaScript paths and one for ripgrep, which skips (saying why) on a machine without rg.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { searchFiles } from '../../mcp-servers/logs/search';
import { MAX_PARTLY_SHOWN } from '../../mcp-servers/logs/matchCollector';
import type { RipgrepBinary } from '../../mcp-servers/logs/ripgrep/locate';
import { ripgrepCanSearch, searchWithRipgrep } from '../../mcp-servers/logs/ripgrep/ripgrepSearch';
import { escapeRegex, isPlainAscii, type SearchOutcome, type SearchRequest } from '../../mcp-servers/logs/searchRequest';
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
 * plain line-by-line engine gives; returns that result for further checks. Long lines are the exception: the plain
 * engine (a regex) cannot look past a line's first 64 KB and names every long line without a match there, where a
 * literal search names only those whose rest holds the text; ripgrep and the skipping engine, both literal, must
 * name the very same lines. And once the page is full, a literal search counts whole lines (as rg --count does)
 * where a regex counts what it searched: with long lines holding the text after the page, `withPlain: false`
 * compares only ripgrep with the skipping engine.
 */
async function agree(files: LogFile[], req: SearchRequest, rg?: RipgrepBinary, withPlain = true): Promise<SearchOutcome> {
  const label = JSON.stringify({ ...req, countBudgetMs: undefined });
  const viaRipgrep = rg && ripgrepCanSearch(req) ? await searchWithRipgrep(rg, files, YEAR, req) : undefined;
  if (!withPlain) {
    const skipping = await searchFiles(files, YEAR, req);
    if (viaRipgrep) assert.deepEqual(viaRipgrep, skipping, `ripgrep differs from JavaScript for ${label}`);
    return skipping;
  }
  const plain = await searchFiles(files, YEAR, { ...req, regex: true, pattern: escapeRegex(req.pattern) });
  const { partlySearched: plainPartly, ...plainRest } = plain;
  if (plainPartly) assert.equal(plainPartly.rest, 'not-searched');
  // Where the plain engine names no long line, a literal one names none either: ripgrep then needs no third search.
  const skipping = !rg || (viaRipgrep && plainPartly) ? await searchFiles(files, YEAR, req) : undefined;
  if (skipping) {
    const { partlySearched: partly, ...rest } = skipping;
    assert.deepEqual(rest, plainRest, `JavaScript with skipping differs from line by line for ${label}`);
    if (partly) {
      const literal = (req.caseSensitive || isPlainAscii(req.pattern)) && !req.pattern.includes('\r');
      assert.equal(partly.rest, literal ? 'holds-match' : 'not-searched');
      assert.ok(plainPartly && plainPartly.count >= partly.count, `the plain engine names every line the literal one does for ${label}`);
    }
  }
  if (viaRipgrep) {
    const { partlySearched: partly, ...rest } = viaRipgrep;
    assert.deepEqual(rest, plainRest, `ripgrep differs from JavaScript line by line for ${label}`);
    if (skipping) assert.deepEqual(viaRipgrep, skipping, `ripgrep differs from JavaScript for ${label}`);
    else assert.equal(partly, undefined, `ripgrep names long lines the JavaScript engines do not for ${label}`);
  }
  return skipping ?? viaRipgrep ?? plain;
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

const MB = 1024 * 1024;

/**
 * Lines longer than the 64 KB the engines search, with "needle" before the cut, only past it, across it, across
 * the reader's 1 MB chunk edges, at the end of a 2.1 MB line and of the file; ERROR and INFO records, CRLF.
 * Returns the lines that hold "needle" only past their first 64 KB.
 */
function writeLongLinesLog(file: string): number[] {
  const parts: Buffer[] = [];
  let size = 0;
  let line = 0;
  const hidden: number[] = [];
  const push = (text: string, hides = false) => {
    const b = Buffer.from(text);
    parts.push(b);
    size += b.length;
    line += text.split('\n').length - 1;
    if (hides) hidden.push(line);
  };
  const at = (s: number) => `2026-02-17 14:${String(40 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const filler = (n: number) => `${at(n % 600)} INFO [api] GET /health 200 in ${n % 7}ms\n`;
  push(`${at(0)} INFO [api] a short line with a needle\n`);
  push(`${at(1)} ERROR [api] payload ${'x'.repeat(100 * 1024)} the needle after 100 KB ${'y'.repeat(100 * 1024)}\n`, true);
  push(`${at(2)} INFO [api] needle before the cut ${'z'.repeat(100_000)} and needle after it\n`);
  push(`${at(3)} INFO [api] long, without the word at all ${'z'.repeat(100_000)}\n`);
  const head = `${at(4)} WARN [api] `;
  push(`${head}${'s'.repeat(64 * 1024 - head.length - 3)}needle straddles the cut\n`, true); // "nee" in the first 64 KB
  push(`${head}${'e'.repeat(64 * 1024 - head.length - 6)}needle\r\n`); // 64 KB exactly without its CR: not cut
  push(`${at(5)} INFO [api] crlf ${'c'.repeat(70_000)} needle past the cut\r\n`, true);
  push('    at a continuation line of the INFO record, long: ' + 'k'.repeat(70_000) + ' needle\n', true);
  for (let n = 0; size < MB - 100 * 1024; n++) push(filler(n));
  // A long line over the first chunk edge, its needle cut in two by the edge.
  const start = `${at(6)} ERROR [db] across the chunk edge `;
  push(`${start}${'q'.repeat(MB - size - start.length - 3)}needle${'q'.repeat(50_000)}\n`, true);
  push(`${at(7)} INFO [db] needle on a normal line after it\n`);
  // 2.1 MB: over two chunk edges, with its only needle at the very end.
  push(`${at(8)} ERROR [db] huge ${'h'.repeat(2.1 * MB)} needle\n`, true);
  for (let n = 0; n < 100; n++) push(filler(n));
  push(`${at(9)} INFO [end] last line ${'t'.repeat(80_000)} needle`, true); // no newline at the end
  line++;
  hidden[hidden.length - 1] = line;
  fs.writeFileSync(file, Buffer.concat(parts));
  return hidden;
}

describe('search engines give identical results', function () {
  this.timeout(120_000);
  let tmp: string;
  let awkward: LogFile[];
  let long: LogFile[];
  let hidden: number[];

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'search-engines-'));
    writeAwkwardLog(path.join(tmp, 'awkward.log'));
    hidden = writeLongLinesLog(path.join(tmp, 'long.log'));
    fs.writeFileSync(path.join(tmp, 'second.log'), '2026-02-17 14:45:00 ERROR second file needle\nno time here needle\n');
    awkward = [logFile(tmp, path.join(tmp, 'awkward.log')), logFile(tmp, path.join(tmp, 'second.log'))];
    long = [logFile(tmp, path.join(tmp, 'long.log')), logFile(tmp, path.join(tmp, 'second.log'))];
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
        // Not a vacuous comparison: several patterns under several filters find lines (the words vary by fixture).
        assert.ok(nonEmpty >= 6, `the patterns find something in ${fixture} (${nonEmpty} searches did)`);
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
      assert.deepEqual(all.partlySearched, { count: 1, lines: [{ file: 'awkward.log', line: 8 }], rest: 'holds-match' }, '…but the line is named');
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
    it(`on lines longer than 64 KB: names those that hold the text only past the cut, and agrees (${engine.name})`, async function () {
      this.timeout(300_000);
      const rg = engine.binary(this);
      const window = { since: Date.parse('2026-02-17T14:40:03Z'), until: Date.parse('2026-02-17T14:40:07Z') };
      const filters: LineFilter[] = [{}, { minLevel: 'error' }, window, { ...window, minLevel: 'warn' }];
      const patterns = ['needle', 'NEEDLE', 'needle after 100 KB', 'straddles', 'across the chunk edge', 'no such text'];
      for (const pattern of patterns) {
        for (const filter of filters) {
          for (const caseSensitive of [false, true]) {
            await agree(long, request(pattern, { filter, caseSensitive }), rg);
            await agree(long, request(pattern, { filter, caseSensitive, context: 2 }), rg);
            // Pages that fill before the long lines: counted (whole lines) or not, only the two literal engines compare.
            for (const maxResults of [1, 3]) {
              await agree(long, request(pattern, { filter, caseSensitive, maxResults }), rg, false);
              await agree(long, request(pattern, { filter, caseSensitive, context: 1, offset: 1, maxResults, count: false }), rg, false);
            }
          }
        }
      }
    });

    it(`on lines longer than 64 KB: the answer says which lines hold the text only past the cut (${engine.name})`, async function () {
      const rg = engine.binary(this);
      const all = await agree(long, request('needle'), rg);
      const normalAfter = `long.log:${hidden[4]! + 1}`;
      assert.deepEqual(
        all.matches.map((m) => `${m.file}:${m.line}`),
        ['long.log:1', 'long.log:3', 'long.log:6', normalAfter, 'second.log:1', 'second.log:2'],
        'the short lines, the line with a needle before the cut, the 64 KB line with CRLF, second.log',
      );
      assert.deepEqual(all.partlySearched, {
        count: hidden.length,
        lines: hidden.slice(0, MAX_PARTLY_SHOWN).map((line) => ({ file: 'long.log', line })),
        rest: 'holds-match',
      });
      assert.equal(hidden.length, 7);
      // The plain engine runs a regex: it names every long line without a match in its first 64 KB, text or not.
      const regex = await searchFiles(long, YEAR, request('needle', { regex: true }));
      assert.deepEqual(regex.partlySearched, { count: 8, lines: [2, 4, 5, 7, 8].map((line) => ({ file: 'long.log', line })), rest: 'not-searched' });

      const errors = await agree(long, request('needle', { filter: { minLevel: 'error' } }), rg);
      assert.deepEqual(errors.partlySearched?.lines.map((l) => l.line), hidden.filter((_, i) => [0, 4, 5].includes(i)), 'ERROR lines only');
      const none = await agree(long, request('needle after 100 KB'), rg);
      assert.equal(none.total, 0);
      assert.deepEqual(none.partlySearched, { count: 1, lines: [{ file: 'long.log', line: 2 }], rest: 'holds-match' });
      const nothing = await agree(long, request('no such text'), rg);
      assert.equal(nothing.partlySearched, undefined, 'no note when no long line holds the text');

      // A page that fills first: the long lines after it are counted as whole lines, as rg --count counts them.
      const paged = await agree(long, request('needle', { maxResults: 1 }), rg, false);
      assert.equal(paged.total, 6 + hidden.length);
      assert.equal(paged.partlySearched, undefined);
      const quick = await agree(long, request('needle', { maxResults: 1, count: false }), rg, false);
      assert.deepEqual([quick.total, quick.totalIsExact], [2, false]);
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
