// What a session keeps for clients that resume a broken stream: the events after the one they last saw, on that
// stream only; and only the last minute (at most 1000), so an open session does not hold every answer it sent.
import assert from 'node:assert/strict';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { SessionEventStore } from '../../mcp-servers/common/http/sessionEventStore';

const message = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} });

async function replay(store: SessionEventStore, after: string): Promise<{ stream: string; ids: number[] }> {
  const ids: number[] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (_eventId, m) => {
      ids.push((m as { id: number }).id);
    },
  });
  return { stream, ids };
}

describe('the events a session keeps for resumption', () => {
  it('replays what came after the last event seen, on the same stream only', async () => {
    const store = new SessionEventStore();
    const first = await store.storeEvent('a', message(1));
    await store.storeEvent('b', message(2));
    await store.storeEvent('a', message(3));
    assert.deepEqual(await replay(store, first), { stream: 'a', ids: [3] });
    assert.equal(await store.getStreamIdForEventId(first), 'a');
    assert.deepEqual(await replay(store, 'a_999'), { stream: '', ids: [] });
  });

  it('forgets events older than a minute, and keeps at most 1000', async () => {
    let now = 0;
    const store = new SessionEventStore(() => now);
    const old = await store.storeEvent('a', message(1));
    now = 61_000;
    const recent = await store.storeEvent('a', message(2));
    assert.equal(store.size, 1);
    assert.equal(await store.getStreamIdForEventId(old), undefined);
    assert.equal(await store.getStreamIdForEventId(recent), 'a');
    for (let i = 0; i < 1500; i++) await store.storeEvent('a', message(i));
    assert.equal(store.size, 1000);
    now = 200_000;
    store.prune();
    assert.equal(store.size, 0, 'an idle session is emptied by the periodic prune');
  });
});
