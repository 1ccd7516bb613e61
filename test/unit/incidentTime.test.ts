// The time an incident text names, read against the newest data (UTC unless the text gives a zone).
import assert from 'node:assert/strict';
import { incidentTime } from '../../src/engine/analysts/builtin/incidentTime';

const ref = Date.parse('2026-02-17T15:30:00Z');
const at = (text: string) => {
  const t = incidentTime(text, ref);
  return t && new Date(t.at).toISOString();
};

describe('incident time', () => {
  it('reads a clock time as the latest one at or before the reference', () => {
    assert.equal(at('Checkout is failing with 500 errors since about 14:45 UTC'), '2026-02-17T14:45:00.000Z');
    assert.equal(at('orders stopped overnight, around 03:15 UTC'), '2026-02-17T03:15:00.000Z');
    assert.equal(at('errors since 16:10'), '2026-02-16T16:10:00.000Z', 'later in the day than the reference: yesterday');
    assert.equal(at('slow since 2pm'), '2026-02-17T14:00:00.000Z');
    assert.equal(at('failing since 15:00 +01:00'), '2026-02-17T14:00:00.000Z');
  });

  it('reads dates with times, and relative phrases', () => {
    assert.equal(at('down since 2026-02-10 09:12'), '2026-02-10T09:12:00.000Z');
    assert.equal(at('errors from 2026-02-10T09:12:00Z on'), '2026-02-10T09:12:00.000Z');
    assert.equal(at('500s for the last two hours'), '2026-02-17T13:30:00.000Z');
    assert.equal(at('failing for 45 minutes'), '2026-02-17T14:45:00.000Z');
    assert.equal(at('search got slow this afternoon'), '2026-02-17T12:00:00.000Z');
    assert.equal(at('payments failing since this morning'), '2026-02-17T06:00:00.000Z');
  });

  it('names no time when the text has none', () => {
    assert.equal(at('500 errors on checkout API'), undefined);
    assert.equal(at('v2.14.0 broke the 502/503 handling'), undefined);
  });
});
