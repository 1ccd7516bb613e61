// Turns the findings into a report: the category, the commit to blame (or none), confidence by rule, and
// every claim tied to evidence the verifier will re-read.
import type { Category, Confidence, DraftReport, Evidence } from '../../report/schema.js';
import { adviceFor } from './advice.js';
import { EXTERNAL_CATEGORIES, mentions, scoreCategories } from './categories.js';
import { changeKinds } from './changeKind.js';
import { deployTies, type DeployTie } from './deployTies.js';
import { PASSIVE_FACTOR, changeWordsOf, describeSetting, scoreCommit, type ScoredCommit } from './commitScore.js';
import { displayTemplate, type IncidentTemplate } from './logChanges.js';
import type { ErrorSites } from './errorSites.js';
import type { OnsetFinding } from './onset.js';
import type { SuspectSearch } from './suspects.js';
import type { LogLineRef } from './toolAccess.js';
import { wordsOf } from './words.js';

export interface Findings {
  onset: OnsetFinding;
  templates: IncidentTemplate[];
  suspects: SuspectSearch;
  sites?: ErrorSites;
}

/** Minimum commit score to blame it; causes outside our code need much stronger ties. */
const BLAME_THRESHOLD = 2.5;
const EXTERNAL_BLAME_THRESHOLD = 6;
/** Log and metric onsets this close together "line up". */
const ALIGN_MS = 10 * 60_000;
const TEMPLATES_USED = 5;
/** How far the blamed commit must score above the next one. */
const MIN_LEAD = 1;
/**
 * A signal that began with a deployment is evidence against each commit it shipped; which of them is to blame is
 * still for the other ties to say (the lead below).
 */
const TIE_POINTS = 1.5;

function withTie(commit: ScoredCommit, tie: DeployTie): ScoredCommit {
  const reason = `it shipped in ${tie.deployment.version}, as ${tie.anomaly.name} began to ${tie.anomaly.direction === 'up' ? 'rise' : 'fall'} (${tie.anomaly.start})`;
  return { ...commit, score: commit.score + TIE_POINTS * (commit.passive ? PASSIVE_FACTOR : 1), reasons: [...commit.reasons, reason] };
}

/** Kinds of failure that logs alone name only vaguely ("exception", "timeout", "thread pool"). */
const GENERIC_CATEGORIES: ReadonlySet<Category> = new Set(['code-exception', 'timeout-config', 'resource-saturation']);

export function conclude(findings: Findings): DraftReport {
  const { onset, templates, suspects } = findings;
  const top = templates.slice(0, TEMPLATES_USED);
  const details = findings.sites?.details ?? [];
  const categories = scoreCategories(
    [...top.map((t) => ({ text: t.template, count: t.count })), ...details],
    onset.anomalies.map((a) => ({ name: a.name, direction: a.direction, atOnset: beganWith(a.start, onset.onset) })),
  );
  // The earliest causal signal decides the kind of failure, not the loudest symptom: a resource that began to
  // move as a deployment went out, and kept moving into the incident.
  const ties = deployTies(onset.anomalies, suspects.deployments, onset.onset);
  const causal = ties.find((t) => t.category);
  let category: Category = causal?.category ?? (categories[0]?.score ? categories[0].category : 'unknown');
  const symptomWords = wordsOf([...top.map((t) => t.template), ...details.map((d) => d.text)].join('\n'));
  const commonWords = wordsInMostOf(suspects.candidates.map(changeWordsOf));
  // A deployment a signal is tied to is where to look; without such a tie, every recent deployment is.
  const tiedVersion = ties[0]?.deployment.version;
  const pool = tiedVersion && suspects.candidates.some((c) => c.deployment.version === tiedVersion) ? suspects.candidates.filter((c) => c.deployment.version === tiedVersion) : suspects.candidates;
  const decide = (kind: Category) => {
    const ranked = pool
      .map((c) => scoreCommit(c, symptomWords, kind, commonWords, findings.sites, onset.onset))
      .map((c) => (c.deployment.version === tiedVersion ? withTie(c, ties[0]!) : c))
      .sort((a, b) => b.score - a.score);
    const [best, runnerUp] = ranked;
    const threshold = EXTERNAL_CATEGORIES.has(kind) ? EXTERNAL_BLAME_THRESHOLD : BLAME_THRESHOLD;
    // Blame one commit only when it stands out: two equally likely commits are not a finding.
    const lead = best ? best.score - (runnerUp?.score ?? 0) : 0;
    return { best, blamed: best && best.score >= threshold && lead >= MIN_LEAD && kind !== 'unknown' ? best : undefined };
  };
  let { best, blamed } = decide(category);

  // The category must agree with the change blamed: a changed timeout causes timeouts, whatever else the errors
  // mention ("upstream", "unreachable"). When the symptoms also fit the leading change's kind, that change and its
  // kind together are the explanation; when nothing fits the change blamed, say they disagree.
  let disagreement: string | undefined;
  const kinds = best && !causal ? changeKinds(best) : new Set<Category>();
  if (kinds.size > 0 && !kinds.has(category)) {
    const texts = [...top.map((t) => t.template), ...details.map((d) => d.text)];
    const fitting = [...kinds].find((kind) => mentions(kind, texts) || categories.some((c) => c.category === kind && c.score > 0));
    const again = fitting ? decide(fitting) : undefined;
    if (fitting && again?.blamed && again.blamed.hash === best!.hash) {
      category = fitting;
      ({ best, blamed } = again);
    } else if (blamed) {
      disagreement = `the change blamed is of another kind (${[...kinds].join(' or ')}) than these symptoms (${category}), so the two may not be linked`;
    }
  }
  // Nothing lines up: no metric moved, no deployment went out before it, and the logs only say something
  // generic. A category from that is a guess; say so instead.
  const corroborated = onset.metricChange !== undefined || suspects.deployments.length > 0 || ties.length > 0;
  if (!corroborated && !blamed && GENERIC_CATEGORIES.has(category)) category = 'unknown';

  const evidence = new EvidenceList();
  const timeline: DraftReport['timeline'] = [];
  const latestDeploy = suspects.deployments[0];
  const deployment = blamed ? suspects.deployments.find((d) => d.version === blamed.deployment.version) : latestDeploy;
  if (deployment) {
    const id = evidence.add({ kind: 'deployment', version: deployment.version, text: `deployed ${deployment.deployed_at}, ${deployment.commits.length} commit(s)` });
    timeline.push({ time: deployment.deployed_at, description: `Deployment ${deployment.version} went out with ${deployment.commits.length} commit(s).`, evidence: [id] });
  }
  let commitId: string | undefined;
  if (blamed) {
    const detail = blamed.limitChanges[0] ? `: ${describeSetting(blamed.limitChanges[0])}` : '';
    commitId = evidence.add({ kind: 'commit', hash: blamed.hash, text: `${blamed.subject}${detail}` });
    timeline[timeline.length - 1]?.evidence.push(commitId);
  }
  for (const a of precursors(onset, deployment?.deployed_at)) {
    const id = evidence.add({ kind: 'metric', metric: a.name, timestamp: a.start, service: a.service });
    timeline.push({ time: a.start, description: `${a.name} began to rise (${a.shape ?? 'change'}).`, evidence: [id] });
  }
  if (onset.metricChange) {
    const m = onset.metricChange;
    const ids = [evidence.add({ kind: 'metric', metric: m.name, timestamp: m.start, service: m.service })];
    if (m.peak_timestamp) ids.push(evidence.add({ kind: 'metric', metric: m.name, timestamp: m.peak_timestamp, service: m.service }));
    const from = m.baseline_median !== undefined ? ` from a baseline of ${m.baseline_median}` : '';
    const to = m.peak_value !== undefined ? ` to a peak of ${m.peak_value}${m.peak_timestamp ? ` at ${m.peak_timestamp}` : ''}` : '';
    timeline.push({ time: m.start, description: `${m.name} rose${from}${to}.`, evidence: ids });
  } else if (onset.logBurst) {
    const id = evidence.add(logEvidence(onset.logBurst.first));
    timeline.push({ time: onset.logBurst.start, description: `Error lines surged (${onset.logBurst.count} since).`, evidence: [id] });
  }
  const templateIds: string[] = [];
  for (const t of top.slice(0, 3)) {
    const example = t.examples[0];
    if (!example) continue;
    const id = evidence.add(logEvidence(example));
    templateIds.push(id);
    timeline.push({ time: t.firstTime ?? onset.onset ?? '', description: `${t.trend === 'new' ? 'New' : 'Spiking'} ${t.level ?? ''} log pattern (${t.count} lines): ${displayTemplate(t.template)}`.replace('  ', ' '), evidence: [id] });
  }
  timeline.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));

  const confidence = category === 'unknown' ? 'low' : lower(confidenceOf(blamed, templates, onset), disagreement !== undefined);
  const summary = summarise(category, blamed, top[0], onset, latestDeploy?.version, causal) + (disagreement ? ` Note: ${disagreement}.` : '');
  const recommendations = [
    ...(blamed ? [`Revert ${blamed.hash.slice(0, 7)} ("${blamed.subject}") or roll back ${blamed.deployment.version}, then check that the error rate returns to its baseline.`] : []),
    adviceFor(category, blamed !== undefined),
    ...(category === 'unknown' ? whatToProvide(findings) : []),
  ];
  if (!blamed && best && best.score > 0 && !EXTERNAL_CATEGORIES.has(category) && category !== 'unknown') {
    recommendations.push(`Closest candidate, not blamed for lack of evidence: ${best.hash.slice(0, 7)} "${best.subject}" (${best.reasons.join('; ') || 'weak ties'}).`);
  }
  return {
    rootCause: {
      summary,
      category,
      confidence,
      suspectCommit: blamed?.hash ?? null,
      suspectDeployment: blamed?.deployment.version ?? null,
      onset: onset.onset ?? null,
    },
    timeline: timeline.filter((t) => t.time),
    evidence: evidence.items,
    recommendations,
  };
}

/** High only when a deploy precedes the onset, a new error template follows it and a metric change lines up. */
function confidenceOf(blamed: ScoredCommit | undefined, templates: IncidentTemplate[], onset: OnsetFinding): Confidence {
  const newErrors = templates.filter((t) => t.trend === 'new' && (t.level === 'error' || t.level === 'fatal'));
  const firstLog = newErrors.map((t) => Date.parse(t.firstTime ?? '')).filter(Number.isFinite).sort((a, b) => a - b)[0] ?? (onset.logBurst ? Date.parse(onset.logBurst.start) : undefined);
  const lines = onset.metricChange !== undefined && firstLog !== undefined && Math.abs(firstLog - Date.parse(onset.metricChange.start)) <= ALIGN_MS;
  const met = [blamed !== undefined, newErrors.length > 0, lines].filter(Boolean).length;
  if (met === 3) return 'high';
  if (met === 2 || (blamed === undefined && newErrors.length > 0 && lines)) return 'medium';
  return 'low';
}

function summarise(category: Category, blamed: ScoredCommit | undefined, symptom: IncidentTemplate | undefined, onset: OnsetFinding, latestDeploy: string | undefined, causal: DeployTie | undefined): string {
  const when = onset.onset ? `from ${onset.onset}` : 'in the logs';
  const what = symptom ? `"${displayTemplate(symptom.template)}" (${symptom.count} lines)` : 'errors';
  if (causal && blamed) {
    const a = causal.anomaly;
    const minutes = Math.round((Date.parse(a.start) - Date.parse(causal.deployment.deployed_at)) / 60_000);
    const after = minutes <= 1 ? 'as that deployment went out' : `${minutes} minutes after that deployment went out`;
    return `Commit ${blamed.hash.slice(0, 7)} "${blamed.subject}", shipped in ${blamed.deployment.version} at ${blamed.deployment.deployed_at}, is the likely cause (${category}): ${a.name} began a sustained ${a.direction === 'up' ? 'rise' : 'fall'} at ${a.start}, ${after}, and kept on into the incident. ${capitalise(when)} the logs show ${what}.`;
  }
  if (category === 'unknown') {
    return `The cause could not be determined: ${symptom ? `${when} the logs newly show ${what}, but` : 'no new error pattern was found and'} no evidence ties it to a known kind of failure or to a commit.`;
  }
  if (blamed) {
    const why = blamed.reasons.length ? `; ${blamed.reasons.join('; ')}` : '';
    return `Commit ${blamed.hash.slice(0, 7)} "${blamed.subject}", shipped in ${blamed.deployment.version} at ${blamed.deployment.deployed_at}, is the likely cause (${category})${why}. ${capitalise(when)} the logs show ${what}.`;
  }
  const deployNote = latestDeploy ? ` The last deployment before it (${latestDeploy}) changed nothing that these errors point to.` : '';
  return `No commit is to blame: ${when} the logs show ${what}, a ${category} failure.${deployNote}`;
}

/** Words found in at least half of the candidates' changes (with three or more candidates). */
function wordsInMostOf(sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  const common = new Set<string>();
  if (sets.length < 3) return common;
  const counts = new Map<string, number>();
  for (const set of sets) for (const w of set) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const [w, n] of counts) if (n >= sets.length / 2) common.add(w);
  return common;
}

/** Symptom metrics (not traffic) that rose between the deployment and the onset: how the incident built up. */
const SYMPTOM_METRIC = /mem|heap|gc|latency|response|duration|pool|wait|lag|queue|restart|disk|cpu/i;
const PRECURSORS = 3;

function precursors(onset: OnsetFinding, deployedAt: string | undefined): OnsetFinding['anomalies'] {
  return onset.anomalies
    .filter((a) => a !== onset.metricChange && a.direction === 'up' && SYMPTOM_METRIC.test(a.name))
    .filter((a) => before(a.start, onset.onset) && after(a.start, deployedAt))
    .filter((a, i, all) => all.findIndex((b) => b.name === a.name) === i)
    .slice(0, PRECURSORS);
}

function logEvidence(ref: LogLineRef): Omit<Evidence, 'id'> {
  return { kind: 'log', file: ref.file, ...(ref.time_ns !== undefined ? { timeNs: ref.time_ns } : { line: ref.line }) };
}

/** What the analysis had to go on, and what would let it say more. */
function whatToProvide(findings: Findings): string[] {
  const { onset, templates, suspects } = findings;
  const looked = `Looked at: ${templates.length} new or spiking log pattern(s), ${onset.anomalies.length} metric change(s), ${suspects.deployments.length} deployment(s) before ${onset.onset ?? 'the end of the data'}.`;
  const missing: string[] = [];
  if (!onset.onset) missing.push('a time window (say when it started in the incident text, e.g. "since 14:40 UTC")');
  if (onset.anomalies.length === 0) missing.push('metrics (a metrics.json file or a Prometheus URL)');
  if (suspects.deployments.length === 0) missing.push('the deployments (deployments.json, or tags in the repository)');
  missing.push('the logs of the service that fails');
  return [looked, `To say more, provide ${missing.join(', ')}.`];
}

function lower(confidence: Confidence, when: boolean): Confidence {
  if (!when) return confidence;
  return confidence === 'high' ? 'medium' : 'low';
}

/** Began in the quarter hour before the onset, or in its minute: the shortage users started to feel. */
const WITH_ONSET_BEFORE_MS = 15 * 60_000;
const WITH_ONSET_AFTER_MS = 2 * 60_000;

function beganWith(start: string, onsetAt: string | undefined): boolean {
  if (!onsetAt) return false;
  const d = Date.parse(start) - Date.parse(onsetAt);
  return d >= -WITH_ONSET_BEFORE_MS && d <= WITH_ONSET_AFTER_MS;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function before(a: string, b: string | undefined): boolean {
  return b === undefined || Date.parse(a) < Date.parse(b);
}

function after(a: string, b: string | undefined): boolean {
  return b === undefined || Date.parse(a) >= Date.parse(b);
}

class EvidenceList {
  readonly items: Evidence[] = [];

  add(item: Omit<Evidence, 'id'>): string {
    const same = this.items.find((e) => JSON.stringify({ ...e, id: '' }) === JSON.stringify({ ...item, id: '' }));
    if (same) return same.id;
    const id = `E${this.items.length + 1}`;
    this.items.push({ id, ...item } as Evidence);
    return id;
  }
}
