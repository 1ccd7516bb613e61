// The messages of one session kept for resumption: a client whose stream broke reconnects with Last-Event-ID
// (after the server's `retry`, a second) and gets what it missed. Only the last minute is kept, and at most 1000
// messages, so sessions that stay open do not hold every answer they were ever sent.
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface StoredEvent {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
  at: number;
}

const KEEP_MS = 60_000;
const KEEP_COUNT = 1000;

export class SessionEventStore implements EventStore {
  private events: StoredEvent[] = [];
  private next = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}_${++this.next}`;
    this.events.push({ id, streamId, message, at: this.now() });
    this.prune();
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.find((e) => e.id === eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const at = this.events.findIndex((e) => e.id === lastEventId);
    if (at < 0) return ''; // too old or unknown: nothing to replay
    const streamId = this.events[at]!.streamId;
    for (const event of this.events.slice(at + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }

  /** Drops what no client can still resume from. */
  prune(): void {
    const cutoff = this.now() - KEEP_MS;
    let drop = Math.max(0, this.events.length - KEEP_COUNT);
    while (drop < this.events.length && this.events[drop]!.at < cutoff) drop++;
    if (drop > 0) this.events = this.events.slice(drop);
  }

  get size(): number {
    return this.events.length;
  }
}
