// Re-reads every citation through the servers (not from disk, so remote servers work the same): the log line
// must say what the report quotes, the commit must exist, the metric must have that value at that time, the
// deployment must exist. What cannot be checked is marked unverified, never shown as fact.
import type { AnalystTools } from '../analysis/analyst.js';
import type { ToolCallOutcome } from '../mcp/clientManager.js';
import type { DraftReport, Evidence, VerifiedEvidence } from './schema.js';

export interface VerifiedDraft extends Omit<DraftReport, 'evidence'> {
  evidence: VerifiedEvidence[];
}

/** Relative difference allowed between a cited metric value and the stored one (models round). */
const VALUE_TOLERANCE = 0.02;
/** How far the nearest stored point may be from the cited time. */
const MAX_METRIC_OFFSET_S = 90;

export async function verifyReport(draft: DraftReport, tools: AnalystTools): Promise<VerifiedDraft> {
  const evidence: VerifiedEvidence[] = [];
  for (const item of draft.evidence) evidence.push(await verifyEvidence(item, tools));
  const ids = new Set(evidence.map((e) => e.id));
  const timeline = draft.timeline.map((t) => ({ ...t, evidence: t.evidence.filter((id) => ids.has(id)) }));
  const rootCause = { ...draft.rootCause };
  const recommendations = [...draft.recommendations];

  if (rootCause.suspectCommit) {
    const cited = evidence.find((e) => e.kind === 'commit' && e.verified && sameCommit(e.hash, rootCause.suspectCommit!));
    const check = cited ?? (await verifyEvidence({ id: 'suspect', kind: 'commit', hash: rootCause.suspectCommit }, tools));
    if (check.verified && check.hash) {
      rootCause.suspectCommit = check.hash;
    } else {
      // A suspect that does not exist must not be presented as the cause.
      recommendations.unshift(`The analysis named commit ${rootCause.suspectCommit}, which could not be found in the repository; it is not shown as the suspect.`);
      rootCause.suspectCommit = null;
      rootCause.confidence = 'low';
    }
  }
  return { ...draft, rootCause, timeline, evidence, recommendations };
}

function sameCommit(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x.startsWith(y) || y.startsWith(x);
}

export async function verifyEvidence(item: Evidence, tools: AnalystTools): Promise<VerifiedEvidence> {
  try {
    switch (item.kind) {
      case 'log':
        return await verifyLog(item, tools);
      case 'commit':
        return await verifyCommit(item, tools);
      case 'metric':
        return await verifyMetric(item, tools);
      case 'deployment':
        return await verifyDeployment(item, tools);
    }
  } catch (err) {
    return { ...item, verified: false, verification: `could not be checked: ${(err as Error).message}` };
  }
}

function toolNamed(tools: AnalystTools, tool: string): string | undefined {
  return tools.catalog().find((t) => t.tool === tool)?.name;
}

async function callIfAvailable(tools: AnalystTools, tool: string, args: Record<string, unknown>): Promise<ToolCallOutcome | string> {
  const name = toolNamed(tools, tool);
  if (!name) return `no server offers ${tool}, so this could not be checked`;
  const outcome = await tools.call(name, args);
  return outcome.isError ? `${tool} said: ${firstLine(outcome.text)}` : outcome;
}

function unverified(item: Evidence, why: string): VerifiedEvidence {
  return { ...item, verified: false, verification: why };
}

/** Whether a log line is the one quoted: the same text up to whitespace, or a quote cut short of it. */
export function lineMatchesQuote(line: string, quote: string): boolean {
  const [quoted, stored] = [normalise(quote), normalise(line)];
  // a blank line is no prefix of a quote: it would match every quote
  return quoted.length > 0 && stored.length > 0 && (stored === quoted || stored.includes(quoted) || quoted.startsWith(stored));
}

function normalise(text: string): string {
  return text.replace(/…\s*\(\+\d+ chars\)$/, '').replace(/\s+/g, ' ').trim();
}

async function verifyLog(item: Evidence, tools: AnalystTools): Promise<VerifiedEvidence> {
  if (item.file && item.timeNs) return verifyStoredLog({ ...item, file: item.file, timeNs: item.timeNs }, tools);
  if (!item.file || !item.line) return unverified(item, 'a log citation needs a file and a line (or, from a log store, a stream and time_ns)');
  const outcome = await callIfAvailable(tools, 'read_logs', { file: item.file, offset: item.line, limit: 1 });
  if (typeof outcome === 'string') return unverified(item, outcome);
  const lines = (outcome.structured?.lines ?? []) as Array<{ line: number; text: string }>;
  const actual = lines[0]?.line === item.line ? lines[0].text : undefined;
  if (actual === undefined) return unverified(item, `${item.file} has no line ${item.line}`);
  if (!item.text) return { ...item, text: actual, verified: true };
  if (lineMatchesQuote(actual, item.text)) return { ...item, verified: true };
  return unverified(item, `line ${item.line} of ${item.file} says: "${actual.slice(0, 200)}"`);
}

/** A line from a log store (Loki): the stream's entry at that exact nanosecond must say what is quoted. */
async function verifyStoredLog(item: Evidence & { file: string; timeNs: string }, tools: AnalystTools): Promise<VerifiedEvidence> {
  if (!/^\d{1,25}$/.test(item.timeNs)) return unverified(item, `time_ns must be the decimal nanoseconds the tools gave, not "${item.timeNs}"`);
  const outcome = await callIfAvailable(tools, 'read_logs', { file: item.file, time_ns: item.timeNs, before: 0, after: 0 });
  if (typeof outcome === 'string') return unverified(item, outcome);
  const lines = (outcome.structured?.lines ?? []) as Array<{ time_ns?: string; text: string; cited?: boolean }>;
  const entries = lines.filter((l) => l.time_ns === item.timeNs);
  if (entries.length === 0) return unverified(item, `${item.file} has no entry at ${item.timeNs}`);
  if (!item.text) return { ...item, text: entries[0]!.text, verified: true };
  if (entries.some((e) => lineMatchesQuote(e.text, item.text!))) return { ...item, verified: true };
  return unverified(item, `the entry of ${item.file} at ${item.timeNs} says: "${entries[0]!.text.slice(0, 200)}"`);
}

async function verifyCommit(item: Evidence, tools: AnalystTools): Promise<VerifiedEvidence> {
  if (!item.hash || !/^[0-9a-f]{4,40}$/i.test(item.hash)) return unverified(item, 'a commit citation needs a hexadecimal hash');
  const outcome = await callIfAvailable(tools, 'get_commit', { hash: item.hash, max_patch_lines: 1 });
  if (typeof outcome === 'string') return unverified(item, outcome);
  const s = outcome.structured as { hash?: string; subject?: string } | undefined;
  if (!s?.hash) return unverified(item, 'get_commit returned no hash');
  return { ...item, hash: s.hash, text: item.text ?? s.subject, verified: true };
}

async function verifyMetric(item: Evidence, tools: AnalystTools): Promise<VerifiedEvidence> {
  if (!item.metric || !item.timestamp) return unverified(item, 'a metric citation needs a metric name and a timestamp');
  const args: Record<string, unknown> = { metric: item.metric, timestamp: item.timestamp, neighbours: 0 };
  if (item.service) args.service = item.service;
  const outcome = await callIfAvailable(tools, 'get_metric_at', args);
  if (typeof outcome === 'string') return unverified(item, outcome);
  const series = (outcome.structured?.series ?? []) as Array<{ name: string; nearest: { value: number; timestamp: string }; offset_seconds: number }>;
  const match = series.find((s) => s.name === item.metric) ?? series[0];
  if (!match) return unverified(item, `no ${item.metric} data at ${item.timestamp}`);
  if (Math.abs(match.offset_seconds) > MAX_METRIC_OFFSET_S) {
    return unverified(item, `no ${item.metric} point near ${item.timestamp} (nearest is ${match.nearest.timestamp})`);
  }
  const stored = match.nearest.value;
  if (item.value === undefined) return { ...item, value: stored, verified: true };
  const close = Math.abs(stored - item.value) <= Math.max(Math.abs(stored) * VALUE_TOLERANCE, 0.05);
  return close ? { ...item, verified: true } : unverified(item, `${item.metric} at ${match.nearest.timestamp} was ${stored}, not ${item.value}`);
}

async function verifyDeployment(item: Evidence, tools: AnalystTools): Promise<VerifiedEvidence> {
  if (!item.version) return unverified(item, 'a deployment citation needs a version');
  const outcome = await callIfAvailable(tools, 'get_deployments', { version: item.version });
  if (typeof outcome === 'string') return unverified(item, outcome);
  const found = ((outcome.structured?.deployments ?? []) as Array<{ version: string }>).some((d) => d.version === item.version);
  return found ? { ...item, verified: true } : unverified(item, `no deployment ${item.version}`);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.slice(0, 300);
}
