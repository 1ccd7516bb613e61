import assert from 'node:assert/strict';
import { createProgressPrinter } from '../../src/cli/printer';

describe('terminal progress printer', () => {
  it('writes text from logs and models without terminal escapes (clipboard writes, titles, colours)', () => {
    let out = '';
    const print = createProgressPrinter((t) => (out += t));
    const hostile = 'pool exhausted \u001b]52;c;ZXZpbA==\u0007\u001b]0;pwned\u0007\u001b[31m red \u009b1m';
    print({ type: 'tool_call_finished', callId: 'c1', server: 'logs', tool: 'search_logs', durationMs: 3, isError: true, summary: hostile } as never);
    print({ type: 'llm_text', text: `model says ${hostile}\nsecond line\ttabbed` } as never);
    print({ type: 'note', message: hostile } as never);
    assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    assert.match(out, /pool exhausted \]52;c;ZXZpbA==\]0;pwned\[31m red 1m/);
    assert.match(out, /second line\ttabbed/);
  });
});
