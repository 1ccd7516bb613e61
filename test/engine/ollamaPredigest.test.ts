// The pre-digest: the built-in analyst runs first over the real servers of a fixture, and the model's first
// messages carry what it found (onset, candidate commits, tentative conclusion), which the model may cite.
// Needs `npm run build` (the servers in dist/).
import assert from 'node:assert/strict';
import { BuiltinAnalyst } from '../../src/engine/analysts/builtin';
import { OllamaAnalyst } from '../../src/engine/analysts/ollama';
import { changedLines, digestMessage, type FirstPass } from '../../src/engine/analysts/predigest';
import type { DraftReport } from '../../src/engine/report/schema';
import { FakeOllama, jsonTurn, textTurn, type ChatRequestBody } from '../support/fakeOllama';
import { analyseFixture, scenarios } from '../support/fixtureRun';

const userTexts = (body: ChatRequestBody) => body.messages.filter((m) => m.role === 'user').map((m) => m.content);

describe('Ollama analyst with the pre-digest', function () {
  this.timeout(90_000);
  const scenario = scenarios().find((s) => s.name === 'checkout-500')!;
  let fake: FakeOllama | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** A model that looks at nothing and reports by citing the first cited log line of the digest. */
  const citingDigest = (body: ChatRequestBody): DraftReport => {
    const digest = userTexts(body).join('\n');
    const cited = /(E\d+) log (\S+):(\d+) "([^"\n]*)"/.exec(digest);
    return {
      rootCause: { summary: 'As the first pass found.', category: scenario.expected.category as DraftReport['rootCause']['category'], confidence: 'medium', suspectCommit: null, suspectDeployment: null, onset: scenario.expected.onset },
      timeline: [],
      evidence: cited ? [{ id: 'E1', kind: 'log', file: cited[2], line: Number(cited[3]), text: cited[4]!.replace(/…$/, '') }] : [],
      recommendations: [],
    };
  };

  it("puts the built-in analyst's onset and candidate commits in the first user messages; its calls are the run's calls", async () => {
    fake = await FakeOllama.start((body) => (body.format ? jsonTurn(citingDigest(body)) : textTurn('The first pass holds up.')));
    const analyst = new OllamaAnalyst({ host: fake.host, model: 'fake' });
    const { result, events } = await analyseFixture(scenario, analyst);
    assert.equal(result.outcome, 'report', JSON.stringify(result.error));

    const first = fake.chats()[0]!;
    assert.deepEqual(first.messages.map((m) => m.role), ['system', 'user', 'user']);
    const [incident, digest] = userTexts(first);
    assert.match(incident!, /Checkout is failing/);
    assert.match(digest!, /^A deterministic first pass \(the built-in analyst, \d+ tool calls\)/);
    // The digest is what the built-in analyst finds on its own in this fixture (it is being improved, so this
    // compares with it rather than with the expected answer): its onset, its suspect, and every commit it read,
    // each with its subject, deployment, files and changed lines.
    const alone = (await analyseFixture(scenario, new BuiltinAnalyst())).result.report!;
    assert.ok(digest!.includes(`- Onset: ${alone.rootCause.onset ?? 'none found'}.`), digest);
    assert.ok(digest!.includes(`suspect commit ${alone.rootCause.suspectCommit ?? 'none'}`), digest);
    const read = new Set(alone.toolCalls.filter((c) => c.tool === 'get_commit').map((c) => String(c.arguments.hash)));
    assert.ok(read.size >= 1);
    assert.ok(digest!.includes(`- Commits it read as candidates (${read.size}`), digest);
    const commitLines = digest!.split('\n').filter((l) => /^ {2}- [0-9a-f]{40} "/.test(l));
    assert.ok(commitLines.length >= Math.min(read.size, 3), digest);
    for (const line of commitLines) {
      assert.ok(read.has(line.slice(4, 44)), `${line.slice(4, 44)} was read by the built-in analyst`);
      assert.match(line, /^ {2}- [0-9a-f]{40} "[^"]+" \(2026-[^,]+, (shipped in v[\d.]+|in no known deployment)\): [^ ]+ \+\d+\/-\d+.*?(; changed lines: `[-+] .*)?$/);
    }
    assert.match(digest!, /changed lines: `[-+] /);
    assert.match(digest!, /- New or spiking warning\/error log patterns \(\d+.*\n {2}- \[(new|spiking)\] \w+ ×\d+ \(baseline \d+\)/);
    assert.match(digest!, /overrule it wherever the evidence says otherwise/);
    assert.ok(digest!.length <= 8000, `${digest!.length} characters`);

    // The first pass's tool calls stream like the model's and are in the report; its steps come as notes.
    const firstChatAt = events.findIndex((e) => e.type === 'llm_text');
    const callsBefore = events.slice(0, firstChatAt).filter((e) => e.type === 'tool_call_finished');
    assert.ok(callsBefore.length >= 3, `${callsBefore.length} first-pass calls`);
    assert.ok(result.report!.toolCalls.length > callsBefore.length);
    assert.ok(events.some((e) => e.type === 'note' && /^first pass: onset /.test(e.message)));
    const steps = events.flatMap((e) => (e.type === 'step' ? [e] : []));
    assert.deepEqual(steps.map((s) => s.step), [1, 2, 3, 4, 5]);
    assert.ok(steps.every((s) => s.of === 5));
    assert.match(steps[1]!.title, /deterministic first pass/);

    // A citation taken from the digest is a real tool result: it verifies.
    assert.equal(result.report!.evidence.length, 1);
    assert.equal(result.report!.evidence[0]!.verified, true, JSON.stringify(result.report!.evidence[0]));

    // Tokens are recorded from Ollama's answers (the fake says 10 read, 5 generated per answer).
    assert.equal(analyst.lastUsage?.requests, 2);
    assert.equal(analyst.lastUsage?.promptTokens, 20);
    assert.equal(analyst.lastUsage?.evalTokens, 10);
    assert.equal(analyst.lastUsage?.firstPass?.ok, true);
    assert.equal(analyst.lastUsage?.firstPass?.toolCalls, callsBefore.length);
    assert.ok(events.some((e) => e.type === 'note' && /Model usage: 2 request\(s\), 1 tool turn\(s\), 20 prompt token\(s\) read, 10 generated/.test(e.message)));
  });

  it('with the pre-digest off, the model starts from the incident alone and no tool runs before it', async () => {
    fake = await FakeOllama.start((body) => (body.format ? jsonTurn(citingDigest(body)) : textTurn('Nothing looked at.')));
    const analyst = new OllamaAnalyst({ host: fake.host, model: 'fake', predigest: false });
    assert.equal(analyst.plannedSteps, 2);
    const { result, events } = await analyseFixture(scenario, analyst);
    assert.equal(result.outcome, 'report');
    const first = fake.chats()[0]!;
    assert.deepEqual(first.messages.map((m) => m.role), ['system', 'user']);
    for (const body of fake.chats()) {
      for (const text of userTexts(body)) {
        assert.ok(!/first pass/i.test(text), text);
        assert.ok(!text.includes(scenario.expected.culpritCommitSubject!), 'no candidate commit given');
      }
    }
    const firstChatAt = events.findIndex((e) => e.type === 'llm_text');
    assert.equal(events.slice(0, firstChatAt).filter((e) => e.type === 'tool_call_started').length, 0);
    assert.ok(!events.some((e) => e.type === 'note' && /first pass/.test(e.message)));
    assert.equal(fake.requests.filter((r) => r.path === '/api/show').length, 0);
  });

  it('an unreachable Ollama ends the run before the first pass spends any tool call', async () => {
    const analyst = new OllamaAnalyst({ host: 'http://127.0.0.1:9', model: 'fake' });
    const { result, events } = await analyseFixture(scenario, analyst);
    assert.equal(result.outcome, 'error');
    assert.match(result.error!.message, /not reachable/);
    assert.equal(events.filter((e) => e.type === 'tool_call_started').length, 0);
  });

  it('the digest: the suspect commit first, a citation that could not be re-read marked, and kept within its budget', () => {
    const commit = (n: number, subject: string): FirstPass['commits'][number] => ({
      hash: String(n).repeat(40).slice(0, 40),
      subject,
      committedAt: '2026-02-16T17:05:48Z',
      deployment: 'v2.14.0',
      files: [{ path: `src/f${n}.js`, additions: 3, deletions: 1 }],
      filesTotal: 1,
      changedLines: ['- max: 20', '+ max: 5'],
    });
    const pass: FirstPass = {
      report: {
        rootCause: { summary: 'The pool was cut.', category: 'db-connection-pool-exhaustion', confidence: 'high', suspectCommit: '2222222', suspectDeployment: 'v2.14.0', onset: '2026-02-17T14:45:00Z' },
        timeline: [{ time: '2026-02-17T14:45:00Z', description: 'errors begin', evidence: ['E1'] }],
        evidence: [],
        recommendations: ['Restore the pool.'],
      },
      evidence: [
        { id: 'E1', kind: 'log', file: 'logs/api.log', line: 7, text: 'ERROR pool timeout', verified: true },
        { id: 'E2', kind: 'metric', metric: 'error_rate', timestamp: '2026-02-17T14:45:00Z', value: 10.7, verified: true },
        { id: 'E3', kind: 'log', file: 'logs/api.log', line: 99, verified: false, verification: 'logs/api.log has no line 99' },
      ],
      notes: ['onset 2026-02-17T14:45:00Z (from error_rate)'],
      commits: [commit(1, 'Bump pg'), commit(2, 'Align the pool'), ...Array.from({ length: 40 }, (_, i) => commit(3 + (i % 7), `Other change ${i}`))],
      templates: [{ template: '<*> ERROR timeout acquiring connection', trend: 'new', count: 671, baselineCount: 0, level: 'error', firstTime: '2026-02-17T14:45:06Z', example: 'logs/api.log:7' }],
      toolCalls: 12,
      durationMs: 900,
    };
    const digest = digestMessage(pass, 2600);
    assert.ok(digest.length <= 2600, `${digest.length} characters`);
    assert.match(digest, /suspect commit 2222222 "Align the pool"; suspect deployment v2\.14\.0\./);
    assert.match(digest, /- Commits it read as candidates \(42, the first 10 shown\):\n {2}- 2{40} "Align the pool"/);
    assert.match(digest, /E1 log logs\/api\.log:7 "ERROR pool timeout"\n {2}- E2 metric error_rate at 2026-02-17T14:45:00Z = 10\.7\n {2}- E3 log logs\/api\.log:99 \(could not be re-read: logs\/api\.log has no line 99; do not cite it\)/);
    assert.match(digest, /\[new\] error ×671 \(baseline 0\) from 2026-02-17T14:45:06Z: <\*> ERROR timeout acquiring connection \(e\.g\. logs\/api\.log:7\)/);
    assert.match(digest, /more left out for space/);
    assert.match(digest, /overrule it wherever the evidence says otherwise/);
    const tiny = digestMessage(pass, 1200);
    assert.match(tiny, /Onset: 2026-02-17T14:45:00Z/);
    assert.match(tiny, /overrule it/);
    assert.ok(tiny.length < 2000, `${tiny.length} characters`);
  });

  it('changed lines of a patch: added and removed lines, not file headers or blank ones', () => {
    const patch = ['diff --git a/x b/x', '--- a/config/database.yml', '+++ b/config/database.yml', '@@ -1,3 +1,3 @@', '   pool:', '-    max: 20', '+    max: 5', '+', ' end'].join('\n');
    assert.deepEqual(changedLines(patch), ['- max: 20', '+ max: 5']);
  });
});
