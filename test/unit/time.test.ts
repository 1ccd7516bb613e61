import assert from 'node:assert/strict';
import { parseTime, parseTimeArg } from '../../mcp-servers/common/time';

describe('times given by callers', () => {
  it('reads ISO-8601 and zone-less times as UTC', () => {
    assert.equal(parseTime('2026-02-17 14:45'), Date.parse('2026-02-17T14:45:00Z'));
    assert.equal(parseTime('2026-02-17T14:45:00.123+01:00'), Date.parse('2026-02-17T13:45:00.123Z'));
    assert.equal(parseTime('2026-02-17'), Date.parse('2026-02-17T00:00:00Z'));
    assert.equal(parseTime('2024-02-29T23:59:59Z'), Date.parse('2024-02-29T23:59:59Z'), 'a leap day');
  });

  it('refuses impossible dates and times instead of rolling them over', () => {
    for (const impossible of ['2026-02-30 25:61', '2026-02-30T10:00:00Z', '2026-02-29T00:00:00Z', '2026-13-01', '2026-04-31', '2026-02-17T24:00:00Z', '2026-02-17 14:60', '2026-00-10']) {
      assert.equal(parseTime(impossible), undefined, impossible);
    }
    assert.throws(() => parseTimeArg('2026-02-30 25:61', 'since'), /since "2026-02-30 25:61" is not a time I can read/);
  });
});
