// Watches one session's messages: times each tool call for the metrics, and cancels the calls whose client went
// away, so a disconnect leaves nothing running.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ServiceMetrics } from './serviceMetrics.js';

export class CallWatch {
  private readonly pending = new Map<RequestId, (failed: boolean) => void>();
  private deliver: ((message: JSONRPCMessage) => void) | undefined;

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly knownTools: ReadonlySet<string>,
  ) {}

  /** Wraps a transport that a server is already connected to (connect sets `onmessage`). */
  attach(transport: Transport): void {
    const deliver = transport.onmessage;
    if (!deliver) throw new Error('attach the call watch after the server has connected to the transport');
    this.deliver = (message) => deliver(message);
    transport.onmessage = (message, extra) => {
      if ('method' in message && message.method === 'tools/call' && 'id' in message) {
        const name = (message.params as { name?: unknown } | undefined)?.name;
        // Only tools the server has become labels: a client cannot grow the metrics by inventing names.
        const tool = typeof name === 'string' && this.knownTools.has(name) ? name : 'unknown';
        this.pending.set(message.id, this.metrics.startCall(tool));
      }
      deliver(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      if ('id' in message && message.id !== undefined && ('result' in message || 'error' in message)) {
        const failed = 'error' in message || (message.result as { isError?: unknown }).isError === true;
        this.finish(message.id, failed);
      }
      return send(message, options);
    };
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Of these request ids, the tool calls still unanswered. */
  unanswered(ids: readonly RequestId[]): RequestId[] {
    return ids.filter((id) => this.pending.has(id));
  }

  /** Cancels calls as if the client had sent notifications/cancelled: their handlers see an aborted signal. */
  cancel(ids: readonly RequestId[], reason: string): void {
    for (const id of this.unanswered(ids)) {
      this.deliver?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
      this.finish(id, true); // a cancelled handler sends no answer, so it is counted here
    }
  }

  /** The session closed: whatever was still running counts as failed. */
  settleAll(): void {
    for (const id of [...this.pending.keys()]) this.finish(id, true);
  }

  private finish(id: RequestId, failed: boolean): void {
    const done = this.pending.get(id);
    if (!done) return;
    this.pending.delete(id);
    done(failed);
  }
}
