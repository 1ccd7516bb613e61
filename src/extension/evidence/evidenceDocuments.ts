// Read-only documents for evidence that is not a local file: a commit (message, author, dates, diff), a metric
// around the cited time, a deployment with its commits, a server's stderr, a log line from a remote server.
// Their content is fetched through the same MCP tools the analysis used.
import * as vscode from 'vscode';
import type { AnalysisSession } from '../analysisSession.js';

export const EVIDENCE_SCHEME = 'incident-analyzer';

type DocRequest =
  | { kind: 'commit'; hash: string }
  | { kind: 'metric'; metric: string; timestamp: string; service?: string }
  | { kind: 'deployment'; version: string }
  | { kind: 'log'; file: string; line: number }
  | { kind: 'stored-log'; file: string; timeNs: string }
  | { kind: 'server-log'; server: string };

/** A URI whose path reads well as a tab title and whose query carries the request. */
export function evidenceUri(request: DocRequest): vscode.Uri {
  const title = (() => {
    switch (request.kind) {
      case 'commit':
        return `commit/${request.hash.slice(0, 10)}.diff`;
      case 'metric':
        return `metric/${request.metric}@${request.timestamp.replace(/:/g, '')}.txt`;
      case 'deployment':
        return `deployment/${request.version}.txt`;
      case 'log':
        return `log/${request.file.replace(/[\\/]/g, '_')}:${request.line}.log`;
      case 'stored-log':
        return `log/${request.file.replace(/[^\w=.,-]+/g, '_')}@${request.timeNs}.log`;
      case 'server-log':
        return `server/${request.server}.log`;
    }
  })();
  return vscode.Uri.from({ scheme: EVIDENCE_SCHEME, path: `/${title}`, query: JSON.stringify(request) });
}

export class EvidenceDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly session: () => AnalysisSession | undefined) {}

  /** Server logs change while they are open: refresh them on request. */
  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let request: DocRequest;
    try {
      request = JSON.parse(uri.query) as DocRequest;
    } catch {
      return 'This link is damaged: it does not say which evidence to show.';
    }
    const session = this.session();
    if (!session) return 'No workspace folder is open, so the servers that hold this evidence are not running.';
    switch (request.kind) {
      case 'commit': {
        const out = await session.callTool('get_commit', { hash: request.hash, max_patch_lines: 2000 });
        return out.isError ? `Could not read commit ${request.hash}:\n${out.text}` : out.text;
      }
      case 'metric': {
        const args: Record<string, unknown> = { metric: request.metric, timestamp: request.timestamp, neighbours: 30 };
        if (request.service) args.service = request.service;
        const out = await session.callTool('get_metric_at', args);
        return out.isError ? `Could not read ${request.metric} at ${request.timestamp}:\n${out.text}` : metricTable(request, out.structured);
      }
      case 'deployment': {
        const out = await session.callTool('get_deployments', { version: request.version, limit: 1 });
        return out.isError ? `Could not read deployment ${request.version}:\n${out.text}` : out.text;
      }
      case 'log': {
        const from = Math.max(1, request.line - 20);
        const out = await session.callTool('read_logs', { file: request.file, offset: from, limit: 41 });
        if (out.isError) return `Could not read ${request.file}:\n${out.text}`;
        const lines = (out.structured?.lines ?? []) as Array<{ line: number; text: string }>;
        const width = String(from + lines.length).length;
        return [
          `${request.file}, lines around ${request.line} (read through the logs server; the file is not on this machine or too large to open):`,
          '',
          ...lines.map((l) => `${l.line === request.line ? '>' : ' '} ${String(l.line).padStart(width)}  ${l.text}`),
        ].join('\n');
      }
      case 'stored-log': {
        const out = await session.callTool('read_logs', { file: request.file, time_ns: request.timeNs, before: 20, after: 20 });
        if (out.isError) return `Could not read the entry of ${request.file} at ${request.timeNs}:\n${out.text}`;
        const lines = (out.structured?.lines ?? []) as Array<{ time?: string; time_ns?: string; text: string; cited?: boolean }>;
        return [
          `${request.file}, the entries around ${request.timeNs} (read from the log store; the cited entry is marked >):`,
          '',
          ...lines.map((l) => `${l.cited || l.time_ns === request.timeNs ? '>' : ' '} ${l.time ?? ''}  ${l.text}`),
        ].join('\n');
      }
      case 'server-log': {
        const status = session.statuses().find((s) => s.name === request.server);
        const head = status ? `Server ${status.name}: ${status.state}${status.lastError ? `\nLast error: ${status.lastError}` : ''}` : `Server ${request.server} is not configured.`;
        return `${head}\n\nRecent stderr:\n${session.stderrOf(request.server) || '(nothing written to stderr)'}\n`;
      }
    }
  }
}

interface MetricPointOut {
  timestamp: string;
  value: number;
}

function metricTable(request: Extract<DocRequest, { kind: 'metric' }>, structured: Record<string, unknown> | undefined): string {
  const series = (structured?.series ?? []) as Array<{ name: string; service?: string; nearest: MetricPointOut; around: MetricPointOut[] }>;
  const out = [`${request.metric}${request.service ? ` {service=${request.service}}` : ''} around ${request.timestamp} (the cited point is marked >)`, ''];
  for (const s of series) {
    out.push(`${s.name}${s.service ? ` {service=${s.service}}` : ''}`, '  time                      value');
    for (const p of s.around) out.push(`${p.timestamp === s.nearest.timestamp ? '>' : ' '} ${p.timestamp.padEnd(24)}  ${p.value}`);
    out.push('');
  }
  return out.join('\n');
}
