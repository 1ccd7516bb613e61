import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateInLines, locateLogLine } from '../../../src/extension/evidence/logLocator.js';

describe('locating a cited log line now (stale evidence)', () => {
  let dir: string;
  const file = () => path.join(dir, 'app.log');
  const lines = ['10:00 INFO start', '10:01 ERROR pool exhausted (waiting=15)', '10:02 INFO ok'];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locator-'));
    fs.writeFileSync(file(), `${lines.join('\n')}\n`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ok when the cited line still says what was quoted (whitespace aside, or a quote cut short)', async () => {
    assert.deepEqual(await locateLogLine(file(), 2, '10:01  ERROR pool exhausted (waiting=15)'), { status: 'ok', line: 2, text: lines[1] });
    assert.equal((await locateLogLine(file(), 2, '10:01 ERROR pool exhausted… (+13 chars)')).status, 'ok');
  });

  it('moved when lines were inserted above: points at the line that now holds the quote', async () => {
    fs.writeFileSync(file(), `09:59 INFO new\r\n09:59 INFO newer\r\n${lines.join('\r\n')}\r\n`);
    const where = await locateLogLine(file(), 2, lines[1]!);
    assert.equal(where.status, 'moved');
    assert.equal((where as { line: number }).line, 4);
    assert.match((where as { message: string }).message, /cited line 2 is now line 4/);
  });

  it('stale when the line was rewritten and the quote is gone; missing when the file is shorter or gone', async () => {
    fs.writeFileSync(file(), 'a\nb\nc\n');
    const stale = await locateLogLine(file(), 2, lines[1]!);
    assert.equal(stale.status, 'stale');
    assert.match((stale as { message: string }).message, /no longer holds the cited text/);
    assert.equal((await locateLogLine(file(), 9, lines[1]!)).status, 'missing');
    assert.equal((await locateLogLine(path.join(dir, 'gone.log'), 1, 'x')).status, 'missing');
  });

  it('applies the same rule to lines in memory (an edited document)', async () => {
    const at = (ls: string[]) => (n: number) => ls[n - 1]!;
    const edited = ['09:59 INFO new', ...lines];
    for (const [ls, cited] of [[lines, 2], [edited, 2], [['a', 'b', 'c'], 2], [['a'], 9]] as Array<[string[], number]>) {
      fs.writeFileSync(file(), ls.join('\n'));
      assert.deepEqual(locateInLines(ls.length, at(ls), cited, lines[1]), await locateLogLine(file(), cited, lines[1]), ls.join('|'));
    }
    assert.equal(locateInLines(4, at([...lines, lines[1]!]), 9, lines[1]).status, 'missing', 'the quote on two lines is no answer');
    // a document of a file that ends in a newline has one more, empty line; blank lines match no quote
    const withBlanks = ['', ...edited, ''];
    fs.writeFileSync(file(), withBlanks.join('\n'));
    assert.deepEqual(locateInLines(withBlanks.length, at(withBlanks), 2, lines[1]), await locateLogLine(file(), 2, lines[1]));
    assert.equal(locateInLines(withBlanks.length, at(withBlanks), 2, lines[1]).status, 'moved');
  });
});
