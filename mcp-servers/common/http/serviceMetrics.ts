// What a server in service mode exports at /metrics: per-tool calls, errors and durations, calls in flight,
// sessions, rejected requests, and the process metrics. Every series carries server="<name>".
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RejectReason = 'unauthorized' | 'forbidden_host' | 'forbidden_origin' | 'too_large' | 'bad_request' | 'unknown_session' | 'busy' | 'shutting_down';

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly toolCalls: Counter<'tool'>;
  readonly toolErrors: Counter<'tool'>;
  readonly toolDuration: Histogram<'tool'>;
  readonly inFlight: Gauge;
  readonly sessions: Gauge;
  readonly sessionsOpened: Counter;
  readonly rejected: Counter<'reason'>;

  constructor(server: string) {
    this.registry.setDefaultLabels({ server });
    const registers = [this.registry];
    this.toolCalls = new Counter({ name: 'mcp_tool_calls_total', help: 'Tool calls finished, by tool.', labelNames: ['tool'], registers });
    this.toolErrors = new Counter({
      name: 'mcp_tool_errors_total',
      help: 'Tool calls that ended in an error result or a protocol error, by tool.',
      labelNames: ['tool'],
      registers,
    });
    this.toolDuration = new Histogram({
      name: 'mcp_tool_call_duration_seconds',
      help: 'Time from a tool call arriving to its answer leaving, by tool.',
      labelNames: ['tool'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.inFlight = new Gauge({ name: 'mcp_tool_calls_in_flight', help: 'Tool calls being answered now.', registers });
    this.sessions = new Gauge({ name: 'mcp_sessions', help: 'Open MCP sessions.', registers });
    this.sessionsOpened = new Counter({ name: 'mcp_sessions_opened_total', help: 'MCP sessions opened since start.', registers });
    this.rejected = new Counter({
      name: 'mcp_http_requests_rejected_total',
      help: 'HTTP requests refused before reaching MCP, by reason.',
      labelNames: ['reason'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Starts timing a call; the returned function records how it ended. */
  startCall(tool: string): (failed: boolean) => void {
    this.inFlight.inc();
    const stop = this.toolDuration.startTimer({ tool });
    return (failed) => {
      stop();
      this.inFlight.dec();
      this.toolCalls.inc({ tool });
      if (failed) this.toolErrors.inc({ tool });
    };
  }

  /** Every known tool starts at zero, so its series exist (and ratios read 0, not "no data") before its first call. */
  startAtZero(tools: Iterable<string>): void {
    for (const tool of tools) {
      this.toolCalls.inc({ tool }, 0);
      this.toolErrors.inc({ tool }, 0);
      this.toolDuration.zero({ tool });
    }
  }

  reject(reason: RejectReason): void {
    this.rejected.inc({ reason });
  }
}
