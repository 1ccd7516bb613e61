// The line reader's test of the part of a long line past MAX_LINE_BYTES: streamed, also across its 1 MB chunks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_LINE_BYTES, forEachLine, type LineCut, type RestTest } from '../../mcp-servers/logs/lineReader';

const MB = 1024 * 1024;

function literal(text: string): RestTest {
  const needle = Buffer.from(text);
  return { holds: (buf, start, end) => buf.subarray(start, end).indexOf(needle) !== -1, overlap: needle.length - 1 };
}

describe('line reader: lines longer than MAX_LINE_BYTES', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'line-reader-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Each line of `content` as [text length, cut] with the rest test for `needle`. */
  async function read(content: string | Buffer, needle: string) {
    const file = path.join(tmp, 'f.log');
    fs.writeFileSync(file, content);
    const seen: Array<{ length: number; cut?: LineCut }> = [];
    await forEachLine(file, (text, _line, cut) => void seen.push({ length: Buffer.byteLength(text), cut }), { restTest: literal(needle) });
    return seen;
  }

  it('tells a cut line whether its rest holds the text, also when the text straddles the cut', async () => {
    for (let at = MAX_LINE_BYTES - 8; at <= MAX_LINE_BYTES + 2; at++) {
      const [line, next] = await read(`${'a'.repeat(at)}needle${'b'.repeat(10)}\nshort needle\n`, 'needle');
      const wholeInCut = at + 6 <= MAX_LINE_BYTES;
      assert.deepEqual(line!.cut, { restHolds: !wholeInCut }, `needle at ${at}`);
      assert.equal(line!.length, MAX_LINE_BYTES);
      assert.deepEqual(next, { length: 12, cut: undefined });
    }
    const [none] = await read(`${'a'.repeat(MAX_LINE_BYTES + 100)}\n`, 'needle');
    assert.deepEqual(none!.cut, { restHolds: false });
  });

  it('a line of MAX_LINE_BYTES and a CR is whole; one byte more is cut', async () => {
    const [whole, cut] = await read(`${'a'.repeat(MAX_LINE_BYTES)}\r\n${'a'.repeat(MAX_LINE_BYTES + 1)}\r\n`, 'x');
    assert.equal(whole!.cut, undefined);
    assert.deepEqual(cut!.cut, { restHolds: false });
  });

  it('finds the text past the cut across chunk edges, in a line over several chunks and at the end of the file', async () => {
    for (const shift of [-6, -5, -3, -1, 0, 1]) {
      // The line starts 200 KB before the 1 MB edge; the needle starts `shift` bytes from the edge.
      const lead = 'x'.repeat(MB - 200 * 1024 - 1);
      const content = `${lead}\n${'a'.repeat(200 * 1024 + shift)}needle${'b'.repeat(2.2 * MB)}\nafter\n`;
      const [, long, after] = await read(content, 'needle');
      assert.deepEqual(long!.cut, { restHolds: true }, `needle ${shift} bytes from the edge`);
      assert.deepEqual(after, { length: 5, cut: undefined });
    }
    const [far, next] = await read(`${'a'.repeat(2.5 * MB)}n\n${'b'.repeat(70_000)}needle`, 'n');
    assert.deepEqual(far!.cut, { restHolds: true }, 'a one-byte text at the end of a 2.5 MB line');
    assert.deepEqual(next!.cut, { restHolds: true }, 'the last line, without a newline');
    const [again] = await read(`${'a'.repeat(2.5 * MB)}\nneedle\n`, 'needle');
    assert.deepEqual(again!.cut, { restHolds: false }, 'the next line does not count for the one before');
  });

  it('without a rest test, a cut line is only said to be cut', async () => {
    const file = path.join(tmp, 'g.log');
    fs.writeFileSync(file, `${'a'.repeat(3 * MB)}\nok\n`);
    const cuts: Array<LineCut | undefined> = [];
    await forEachLine(file, (_text, _line, cut) => void cuts.push(cut));
    assert.deepEqual(cuts, [{ restHolds: undefined }, undefined]);
  });
});
