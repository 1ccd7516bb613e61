import assert from 'node:assert/strict';
import { parseWindowInput } from '../../../src/extension/timeWindowInput.js';

describe('time window input (Analyze Incident, step 2)', () => {
  const now = Date.parse('2026-02-17T16:00:00Z');

  it('empty means all the data', () => {
    assert.deepEqual(parseWindowInput('  ', now), { window: {} });
  });

  it('reads FROM..TO, FROM.. and ..TO; times without a zone are UTC', () => {
    assert.deepEqual(parseWindowInput('2026-02-17 14:00..2026-02-17 16:30', now), { window: { since: '2026-02-17T14:00:00.000Z', until: '2026-02-17T16:30:00.000Z' } });
    assert.deepEqual(parseWindowInput('2026-02-17T14:00:00+01:00..', now), { window: { since: '2026-02-17T13:00:00.000Z' } });
    assert.deepEqual(parseWindowInput('..2026-02-17 15:00', now), { window: { until: '2026-02-17T15:00:00.000Z' } });
  });

  it('reads "last 2h" back from now', () => {
    assert.deepEqual(parseWindowInput('last 2h', now), { window: { since: '2026-02-17T14:00:00.000Z', until: '2026-02-17T16:00:00.000Z' } });
    assert.deepEqual(parseWindowInput('LAST 30m', now), { window: { since: '2026-02-17T15:30:00.000Z', until: '2026-02-17T16:00:00.000Z' } });
  });

  it('explains what it cannot read, and a window that ends before it starts', () => {
    assert.match((parseWindowInput('yesterday', now) as { error: string }).error, /not a window: e\.g\./);
    assert.match((parseWindowInput('14:00..15:00', now) as { error: string }).error, /"14:00" is not a time/);
    assert.match((parseWindowInput('2026-02-17 16:00..2026-02-17 14:00', now) as { error: string }).error, /ends before it starts/);
  });
});
