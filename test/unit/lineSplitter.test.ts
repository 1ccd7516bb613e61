import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineSplitter } from '../../mcp-servers/common/lineSplitter';
import { GitCli } from '../../mcp-servers/git/gitCli';

function split(chunks: string[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return lines;
}

describe('line splitting of streamed output', () => {
  it('gives the lines String.split gives, however the text is cut into chunks', () => {
    const texts = ['', '\n', 'a', 'a\n', '\n\nb\n\n', 'one\ntwo\nthree', 'x'.repeat(1000) + '\ny\n'];
    for (const text of texts) {
      const expected = text.split('\n');
      if (expected.at(-1) === '') expected.pop();
      for (const size of [1, 2, 3, 7, 1000]) {
        const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
        assert.deepEqual(split(chunks), expected, `${JSON.stringify(text)} in chunks of ${size}`);
      }
    }
  });

  it('takes linear time on one long line (git output of a commit that adds a 16 MB line)', async function () {
    this.timeout(60_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longline-'));
    try {
      const fakeGit = path.join(tmp, 'git');
      // Prints one line of $SIZE bytes, as `git show` does for a minified file.
      fs.writeFileSync(fakeGit, '#!/bin/sh\nhead -c "$LINE_BYTES" /dev/zero | tr "\\0" x\necho\n', { mode: 0o755 });
      const timeFor = async (bytes: number) => {
        process.env.LINE_BYTES = String(bytes);
        const started = performance.now();
        const out = await new GitCli(tmp, fakeGit).streamLines(['show'], { skipLines: 0, keepLines: 0, keepBytes: 0, readCapBytes: 64 * 1024 * 1024, maxLineChars: 500 }, 60_000);
        assert.equal(out.totalLines, 1);
        return performance.now() - started;
      };
      await timeFor(1 << 20); // warm up
      const small = Math.min(await timeFor(1 << 20), await timeFor(1 << 20));
      const large = await timeFor(16 << 20);
      // 16 times the bytes: linear is at most about 16 times the time (less, with process start-up); quadratic ~256.
      assert.ok(large / small < 48, `16 MB took ${Math.round(large)} ms, 1 MB ${Math.round(small)} ms: ${(large / small).toFixed(1)}×`);
      console.log(`      (16 MB line: ${(large / small).toFixed(1)}× the time of 1 MB)`);
    } finally {
      delete process.env.LINE_BYTES;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
