// Signals whose sustained change began as a deployment went out and lasted into the incident. A memory climb that
// starts with a release and ends in out-of-memory errors hours later is that release's doing, whatever the loudest
// symptom by then; the earliest causal signal, not the most numerous error, says what kind of failure it is.
import type { Category } from '../../report/schema.js';
import { metricCategory } from './categories.js';
import type { Anomaly } from './onset.js';
import type { Deployment } from './suspects.js';

export interface DeployTie {
  anomaly: Anomaly;
  deployment: Deployment;
  /** What the signal says the failure is (memory → memory-leak, disk → disk-full…), when it says. */
  category?: Category;
}

/**
 * How soon after a deployment a change must begin to be its doing: a rollout takes minutes, and a step is dated
 * within a few points. A slow climb is dated later than it began, once it clears the noise: it gets an hour.
 */
const STEP_TIE_MS = 15 * 60_000;
const DRIFT_TIE_MS = 60 * 60_000;
/**
 * Traffic moves load, latency and memory with it: a change that began with a traffic rise (as close to it as it
 * would have to be to a deployment) is not a release's.
 */
const TRAFFIC = /request|rps|qps|throughput|traffic/i;
/** A change that ended this long before the onset did not run into the incident. */
const GAP_MS = 5 * 60_000;

export function deployTies(anomalies: readonly Anomaly[], deployments: readonly Deployment[], onset: string | undefined): DeployTie[] {
  const onsetMs = onset ? Date.parse(onset) : Infinity;
  const ties: DeployTie[] = [];
  const trafficRises = anomalies.filter((a) => TRAFFIC.test(a.name) && a.direction === 'up').map((a) => Date.parse(a.start));
  for (const anomaly of anomalies) {
    if (TRAFFIC.test(anomaly.name)) continue;
    const start = Date.parse(anomaly.start);
    const tieMs = anomaly.shape === 'drift' ? DRIFT_TIE_MS : STEP_TIE_MS;
    if (trafficRises.some((t) => Math.abs(t - start) <= tieMs)) continue;
    if (!(start <= onsetMs)) continue;
    const end = anomaly.end ? Date.parse(anomaly.end) : NaN;
    const lasted = anomaly.ongoing === true || (Number.isFinite(end) && end >= onsetMs - GAP_MS);
    if (!lasted) continue;
    const deployment = deployments.find((d) => {
      const since = start - Date.parse(d.deployed_at);
      return since >= 0 && since <= tieMs;
    });
    if (!deployment) continue;
    const category = metricCategory(anomaly.name, anomaly.direction);
    ties.push({ anomaly, deployment, ...(category && { category }) });
  }
  return ties.sort((a, b) => Date.parse(a.anomaly.start) - Date.parse(b.anomaly.start));
}
