// How the built-in analyst concludes from its findings: the category follows the earliest causal signal and agrees
// with the change blamed; with nothing that lines up it says unknown and never advises a rollback.
import assert from 'node:assert/strict';
import { conclude, type Findings } from '../../src/engine/analysts/builtin/conclusion';
import { diffFacts } from '../../src/engine/analysts/builtin/diffFacts';
import type { CandidateCommit } from '../../src/engine/analysts/builtin/commitScore';
import type { IncidentTemplate } from '../../src/engine/analysts/builtin/logChanges';
import type { Anomaly } from '../../src/engine/analysts/builtin/onset';

const DEPLOY = { version: 'v2.0.0', deployed_at: '2026-03-01T09:00:00Z', status: 'succeeded', commits: [] };

function commit(hash: string, subject: string, files: string[], patch: string): CandidateCommit {
  return { hash: hash.padEnd(40, '0'), subject, files, facts: diffFacts(patch), deployment: { version: DEPLOY.version, deployed_at: DEPLOY.deployed_at }, recency: 1 };
}

function template(text: string, count: number, level = 'error'): IncidentTemplate {
  return { template: text, trend: 'new', count, baselineCount: 0, level, firstTime: '2026-03-01T14:00:00Z', examples: [{ file: 'logs/app.log', line: 10 }] };
}

function anomaly(name: string, start: string, extra: Partial<Anomaly> = {}): Anomaly {
  return { name, start, direction: 'up', end: '2026-03-01T15:00:00Z', ongoing: true, ...extra };
}

const innocent = commit('b', 'Document the retry policy', ['README.md'], '+++ b/README.md\n+Retries: three.\n');

describe('built-in conclusion', () => {
  it('a changed timeout is timeout-config even when the errors say "upstream"', () => {
    const timeout = commit('a', 'Tighten the inventory client', ['config/production.yaml'], '+++ b/config/production.yaml\n-  inventory_timeout_ms: 2000\n+  inventory_timeout_ms: 250\n');
    const findings: Findings = {
      onset: { onset: '2026-03-01T14:00:00Z', anomalies: [anomaly('http_5xx_ratio', '2026-03-01T14:00:00Z')] },
      templates: [template('upstream request failed: upstream inventory unreachable: context deadline exceeded', 400)],
      suspects: { deployments: [DEPLOY], candidates: [timeout, innocent] },
    };
    const report = conclude(findings);
    assert.equal(report.rootCause.suspectCommit, timeout.hash);
    assert.equal(report.rootCause.category, 'timeout-config');
  });

  it('memory that began to climb with a deployment decides the kind, not the loudest downstream error', () => {
    const cache = commit('c', 'Remember resolved sessions', ['internal/session/store.go'], '+++ b/internal/session/store.go\n+var sessions = map[string]*Session{}\n+\tsessions[token] = s\n');
    const findings: Findings = {
      onset: {
        onset: '2026-03-01T17:40:00Z',
        anomalies: [anomaly('container_memory_working_set_bytes', '2026-03-01T09:10:00Z', { shape: 'drift' }), anomaly('gateway_5xx_ratio', '2026-03-01T17:40:00Z')],
      },
      templates: [template('upstream unavailable: 502 bad gateway', 5000), template('pod OOMKilled', 12)],
      suspects: { deployments: [DEPLOY], candidates: [cache, innocent] },
    };
    const report = conclude(findings);
    assert.equal(report.rootCause.category, 'memory-leak');
    assert.equal(report.rootCause.suspectCommit, cache.hash);
    assert.match(report.rootCause.summary, /container_memory_working_set_bytes began a sustained rise/);
  });

  it('stack frames in build output tie the commit that changed the source file', () => {
    const culprit = commit('d', 'Read tiers from the profile service', ['src/services/discounts.ts'], '+++ b/src/services/discounts.ts\n-  return tiers[id];\n+  return profile.loyalty.tier;\n');
    const other = commit('e', 'Round VAT per line', ['src/services/tax.ts'], '+++ b/src/services/tax.ts\n-  return round(total * rate);\n+  return lines.map((l) => round(l * rate));\n');
    const findings: Findings = {
      onset: { onset: '2026-03-01T07:00:00Z', anomalies: [anomaly('http_5xx_ratio', '2026-03-01T07:00:00Z')] },
      templates: [template("request failed: TypeError: Cannot read properties of undefined (reading 'tier')", 1200)],
      suspects: { deployments: [DEPLOY], candidates: [other, culprit] },
      sites: { frames: [{ path: '/srv/pricing/dist/services/discounts.js', fn: 'loyaltyRate', depth: 0 }], libraries: [], apiMismatch: false, details: [] },
    };
    const report = conclude(findings);
    assert.equal(report.rootCause.category, 'code-exception');
    assert.equal(report.rootCause.suspectCommit, culprit.hash);
  });

  it('with nothing that lines up (no metrics, no deployments, generic errors) says unknown, what it looked at and what to provide, and no rollback', () => {
    const findings: Findings = {
      onset: { onset: '2016-03-01T12:00:00Z', source: 'logs', anomalies: [] },
      templates: [template('java.lang.NullPointerException in worker <*>', 300)],
      suspects: { deployments: [], candidates: [] },
    };
    const report = conclude(findings);
    assert.equal(report.rootCause.category, 'unknown');
    assert.equal(report.rootCause.confidence, 'low');
    assert.equal(report.rootCause.suspectCommit, null);
    const advice = report.recommendations.join('\n');
    assert.doesNotMatch(advice, /roll ?back|revert/i);
    assert.match(advice, /Looked at:/);
    assert.match(advice, /metrics/);
  });

  it('never advises rolling back a change when no commit is blamed', () => {
    for (const text of ['TypeError: x is undefined', 'JavaScript heap out of memory', 'canceling statement due to statement timeout', 'invalid config: missing required setting X']) {
      const report = conclude({
        onset: { onset: '2026-03-01T14:00:00Z', anomalies: [anomaly('error_rate', '2026-03-01T14:00:00Z')] },
        templates: [template(text, 100)],
        suspects: { deployments: [DEPLOY], candidates: [innocent] },
      });
      assert.equal(report.rootCause.suspectCommit, null, text);
      assert.doesNotMatch(report.recommendations.join('\n'), /roll ?back|revert/i, text);
    }
  });
});
