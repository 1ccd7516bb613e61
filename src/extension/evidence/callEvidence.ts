// Which report evidence a tool call produced, so the timeline can open it from the call: a commit read with
// get_commit, a log line read with read_logs, a metric point from get_metric_at, a deployment.
import type { VerifiedEvidence } from '../../engine/report/schema.js';
import type { CallView } from '../runModel.js';

export function evidenceOfCall(call: CallView, evidence: readonly VerifiedEvidence[]): VerifiedEvidence[] {
  if (call.status !== 'ok') return [];
  const a = call.arguments;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (call.tool) {
    case 'get_commit': {
      const hash = str(a.hash)?.toLowerCase();
      return hash && hash.length >= 4 ? evidence.filter((e) => e.kind === 'commit' && e.hash?.toLowerCase().startsWith(hash)) : [];
    }
    case 'read_logs': {
      const timeNs = str(a.time_ns);
      if (timeNs) return evidence.filter((e) => e.kind === 'log' && e.file === str(a.file) && e.timeNs === timeNs);
      const from = typeof a.offset === 'number' ? a.offset : 1;
      const to = from + (typeof a.limit === 'number' ? a.limit : 100) - 1;
      return evidence.filter((e) => e.kind === 'log' && e.file === str(a.file) && e.line !== undefined && e.line >= from && e.line <= to);
    }
    case 'search_logs': {
      const literal = a.regex === true ? undefined : str(a.pattern)?.toLowerCase();
      return literal
        ? evidence.filter((e) => e.kind === 'log' && (!str(a.file) || e.file === str(a.file)) && !!e.text?.toLowerCase().includes(literal))
        : [];
    }
    case 'get_metric_at':
      return evidence.filter((e) => e.kind === 'metric' && e.metric === str(a.metric) && e.timestamp === str(a.timestamp));
    case 'get_deployments': {
      const version = str(a.version);
      return evidence.filter((e) => e.kind === 'deployment' && (!version || e.version === version));
    }
    default:
      return [];
  }
}

