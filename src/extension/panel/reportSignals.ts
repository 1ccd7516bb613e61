// The signals that decided an analysis, as data for the panel's chart and bar list: each cited metric's series
// around the incident (with the cited points, the deployments and the onset to mark), and the log templates that
// are new or spiking since the onset against the time before it. Asked of the same servers the analysis used,
// after the report is in. No vscode import.
import type { Report } from '../../engine/report/schema.js';

export interface ToolAnswer {
  isError: boolean;
  structured?: Record<string, unknown>;
}
export type CallTool = (name: string, args: Record<string, unknown>) => Promise<ToolAnswer>;

export interface ChartSeries {
  metric: string;
  service?: string;
  /** Epoch seconds and values, in time order. */
  points: Array<[number, number]>;
  /** The points the report cites, by evidence id. */
  cited: Array<{ id: string; t: number; value: number }>;
  /** Set when the server summarised the series: the points are then the means of windows this long. */
  windowMinutes?: number;
}

export interface TemplateBar {
  template: string;
  trend: 'new' | 'spiking';
  /** Lines from the onset on, and in the same length of time before it. */
  count: number;
  baselineCount: number;
  example?: { file: string; line: number };
}

export interface ReportSignals {
  from: number;
  to: number;
  onset?: number;
  deployments: Array<{ t: number; label: string }>;
  series: ChartSeries[];
  templates: TemplateBar[];
}

const MAX_SERIES = 4;
const MAX_TEMPLATES = 8;
const MARGIN_S = 30 * 60;

const seconds = (iso: string | null | undefined) => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

/** Undefined when the report has no time to centre on. Calls that fail leave their part out. */
export async function reportSignals(report: Report, callTool: CallTool): Promise<ReportSignals | undefined> {
  const onset = seconds(report.rootCause.onset);
  const cited = report.evidence.filter((e) => e.kind === 'metric' && e.verified && e.metric && seconds(e.timestamp) !== undefined);
  const deployments = deploymentMarks(report);
  const times = [onset, ...cited.map((e) => seconds(e.timestamp)), ...deployments.map((d) => d.t)].filter((t): t is number => t !== undefined);
  if (times.length === 0) return undefined;
  const from = Math.min(...times) - MARGIN_S;
  const to = Math.max(...times) + MARGIN_S;
  const [series, templates] = await Promise.all([seriesOf(cited, from, to, callTool), onset !== undefined ? templatesSince(onset, to, callTool) : []]);
  return { from, to, ...(onset !== undefined && { onset }), deployments, series, templates };
}

/** A deployment's time is that of the timeline entry that cites it. */
function deploymentMarks(report: Report): ReportSignals['deployments'] {
  return report.evidence
    .filter((e) => e.kind === 'deployment' && e.verified)
    .flatMap((e) => {
      const t = seconds(report.timeline.find((entry) => entry.evidence.includes(e.id))?.time);
      return t === undefined ? [] : [{ t, label: e.version ?? e.text ?? e.id }];
    });
}

async function seriesOf(cited: Report['evidence'], from: number, to: number, callTool: CallTool): Promise<ChartSeries[]> {
  const groups = new Map<string, { metric: string; service?: string; cited: ChartSeries['cited'] }>();
  for (const e of cited) {
    const key = `${e.metric}\u0000${e.service ?? ''}`;
    const group = groups.get(key) ?? { metric: e.metric!, ...(e.service && { service: e.service }), cited: [] };
    group.cited.push({ id: e.id, t: seconds(e.timestamp)!, value: e.value ?? NaN });
    groups.set(key, group);
  }
  const wanted = [...groups.values()].slice(0, MAX_SERIES);
  const answers = await Promise.all(
    wanted.map((g) =>
      callTool('get_metrics', {
        metric_type: g.metric,
        since: new Date(from * 1000).toISOString(),
        until: new Date(to * 1000).toISOString(),
        ...(g.service && { service: g.service }),
      }).catch(() => undefined),
    ),
  );
  return wanted.flatMap((g, i) => {
    const { points, windowMinutes } = pointsOf(answers[i], g.metric, g.service);
    const cited = g.cited.filter((c) => Number.isFinite(c.value));
    return points.length ? [{ ...g, points, cited, ...(windowMinutes !== undefined && { windowMinutes }) }] : [];
  });
}

/** The series' points, or the means of its windows when the server summarised it. */
function pointsOf(answer: ToolAnswer | undefined, metric: string, service: string | undefined): { points: Array<[number, number]>; windowMinutes?: number } {
  if (!answer || answer.isError) return { points: [] };
  type Row = { timestamp?: string; value?: number; mean?: number };
  type Series = { name: string; service?: string; view?: string; window_minutes?: number; points?: Row[]; windows?: Row[] };
  const all = (answer.structured?.series as Series[] | undefined) ?? [];
  const series = all.find((s) => s.name === metric && (service === undefined || s.service === service)) ?? (all.length === 1 ? all[0] : undefined);
  const rows = series?.points ?? series?.windows ?? [];
  const points = rows
    .map((r): [number | undefined, number | undefined] => [seconds(r.timestamp), r.value ?? r.mean])
    .filter((p): p is [number, number] => p[0] !== undefined && typeof p[1] === 'number' && Number.isFinite(p[1]))
    .sort((a, b) => a[0] - b[0]);
  const windowMinutes = series?.view === 'windows' ? series.window_minutes : undefined;
  return { points, ...(windowMinutes !== undefined && { windowMinutes }) };
}

async function templatesSince(onset: number, to: number, callTool: CallTool): Promise<TemplateBar[]> {
  // The baseline is as long as the window, just before it, so the two counts compare like with like.
  const length = Math.max(to - onset, 15 * 60);
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const answer = await callTool('log_patterns', {
    level: 'warn',
    since: iso(onset),
    until: iso(onset + length),
    baseline_since: iso(onset - length),
    baseline_until: iso(onset),
    max_templates: 30,
  }).catch(() => undefined);
  if (!answer || answer.isError) return [];
  type Template = { template: string; trend: string; count: number; baselineCount: number; examples?: Array<{ file?: string; line?: number }> };
  const templates = (answer.structured?.templates as Template[] | undefined) ?? [];
  return templates
    .filter((t): t is Template & { trend: TemplateBar['trend'] } => t.trend === 'new' || t.trend === 'spiking')
    .sort((a, b) => b.count - b.baselineCount - (a.count - a.baselineCount))
    .slice(0, MAX_TEMPLATES)
    .map((t) => {
      const example = t.examples?.find((x) => typeof x.file === 'string' && typeof x.line === 'number');
      return {
        template: t.template,
        trend: t.trend,
        count: t.count,
        baselineCount: t.baselineCount,
        ...(example && { example: { file: example.file!, line: example.line! } }),
      };
    });
}
