import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BuiltinAnalyst } from '../../src/engine/analysts/builtin';
import { analyseFixture, scenarios } from '../support/fixtureRun';

const MINUTE = 60_000;

function subjectOf(repo: string, hash: string): string {
  return execFileSync('git', ['-C', repo, 'log', '-1', '--format=%s', hash], { encoding: 'utf8' }).trim();
}

/**
 * What the analyst still gets wrong on fixtures written after it, and why (issue 12's closing note has the table).
 * These fields are not asserted for that fixture; everything else is. A fix makes the entry unnecessary: remove it.
 */
const KNOWN_MISSES: Record<string, { fields: Array<'culprit' | 'category' | 'onset'>; why: string }> = {
  'checkout-dns-failure': {
    fields: ['culprit', 'category', 'onset'],
    why: 'a p95 blip at the 12:22 deploy is dated as one latency episode running into the 13:05 DNS failure, so the onset and the deploy are taken as its start',
  },
  'notifications-rate-limited': { fields: ['onset'], why: 'the provider-latency climb at 09:07 is taken as the start; users felt it from 09:13' },
  'profile-memory-growth': { fields: ['culprit'], why: 'the tied deployment has three commits the memory-leak words fit equally; the unbounded map is not told apart' },
};

describe('built-in analyst on every fixture (real servers over stdio)', function () {
  this.timeout(60_000);

  for (const scenario of scenarios()) {
    const miss = KNOWN_MISSES[scenario.name];
    const asserted = (field: 'culprit' | 'category' | 'onset') => !miss?.fields.includes(field);
    const title = `${scenario.name}: ${scenario.expected.culpritCommitSubject ? 'the culprit commit' : 'no commit to blame'}, ${scenario.expected.category}, onset within 2 minutes, every citation verified`;
    it(miss ? `${title} (known miss, not asserted: ${miss.fields.join(', ')}: ${miss.why})` : title, async () => {
      const { result, events } = await analyseFixture(scenario, new BuiltinAnalyst());
      assert.equal(result.outcome, 'report', JSON.stringify(result.error));
      const report = result.report!;
      const rc = report.rootCause;
      const expected = scenario.expected;
      if (!asserted('culprit')) {
        // known miss: see KNOWN_MISSES
      } else if (expected.culpritCommitSubject === null) {
        assert.equal(rc.suspectCommit, null, `expected no culprit, got ${rc.suspectCommit}: ${rc.summary}`);
      } else {
        assert.ok(rc.suspectCommit, `expected "${expected.culpritCommitSubject}", got none: ${rc.summary}`);
        assert.match(rc.suspectCommit!, /^[0-9a-f]{40}$/, 'the suspect is a full hash');
        assert.equal(subjectOf(`${scenario.dir}/repo`, rc.suspectCommit!), expected.culpritCommitSubject);
        assert.ok(rc.suspectDeployment, 'the deployment that shipped it is named');
      }
      if (asserted('category')) assert.equal(rc.category, expected.category, rc.summary);
      assert.ok(rc.onset, 'an onset is given');
      const off = Math.abs(Date.parse(rc.onset!) - Date.parse(expected.onset));
      if (asserted('onset')) assert.ok(off <= 2 * MINUTE, `onset ${rc.onset} vs expected ${expected.onset}`);

      assert.ok(report.evidence.length >= 3, 'the report cites evidence');
      for (const e of report.evidence) assert.equal(e.verified, true, `${e.id} (${e.kind}) not verified: ${e.verification}`);
      for (const t of report.timeline) {
        for (const id of t.evidence) assert.ok(report.evidence.some((e) => e.id === id), `timeline cites unknown ${id}`);
      }
      assert.ok(report.toolCalls.length >= 5, 'tool calls are real');
      assert.deepEqual(report.toolCalls.filter((c) => c.isError), [], 'every tool call succeeded');
      const types = events.map((e) => e.type);
      assert.deepEqual([types[0], types[1], types.at(-1)], ['run_started', 'step', 'report']);
      assert.equal(types.filter((t) => t === 'tool_call_started').length, report.toolCalls.length);
    });
  }
});
