import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnalystTools } from '../../src/engine/analysis/analyst';
import type { McpClientManager } from '../../src/engine/mcp/clientManager';
import { readTranscript, TranscriptWriter } from '../../src/engine/analysis/transcript';
import { verifyReport } from '../../src/engine/report/verifier';
import { renderMarkdown } from '../../src/engine/report/markdown';
import type { DraftReport, Report } from '../../src/engine/report/schema';
import { fixtureManager } from '../support/fixtureRun';
import { fixturesDir } from '../support/servers';

const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';

function draft(evidence: DraftReport['evidence'], suspectCommit: string | null = null): DraftReport {
  return {
    rootCause: { summary: 's', category: 'db-connection-pool-exhaustion', confidence: 'high', suspectCommit, suspectDeployment: null, onset: null },
    timeline: [{ time: '2026-02-17T14:45:00Z', description: 'd', evidence: evidence.map((e) => e.id).concat('E404') }],
    evidence,
    recommendations: [],
  };
}

describe('evidence verifier (through the real servers on checkout-500)', function () {
  this.timeout(30_000);
  let manager: McpClientManager;
  let tools: AnalystTools;

  before(async () => {
    manager = fixtureManager(path.join(fixturesDir, 'checkout-500')).manager;
    await manager.start();
    tools = { catalog: () => manager.catalog(), call: (name, args) => manager.callTool(name, args) };
  });
  after(() => manager.stop());

  it('confirms true citations and fills in what they left out', async () => {
    const v = await verifyReport(
      draft([
        { id: 'E1', kind: 'log', file: 'logs/api.log', line: 1446, text: 'timeout acquiring connection from pool after 1000ms' },
        { id: 'E2', kind: 'log', file: 'logs/api.log', line: 1446 },
        { id: 'E3', kind: 'commit', hash: '2b8306b' },
        { id: 'E4', kind: 'metric', metric: 'error_rate', timestamp: '2026-02-17T15:00:00Z', value: 38 },
        { id: 'E5', kind: 'deployment', version: 'v2.14.0' },
      ], '2b8306b'),
      tools,
    );
    for (const e of v.evidence) assert.equal(e.verified, true, `${e.id}: ${e.verification}`);
    assert.match(v.evidence[1]!.text!, /^2026-02-17 14:45:06 ERROR \[db\] timeout acquiring connection/);
    assert.equal(v.evidence[2]!.hash, CULPRIT, 'a short hash is expanded');
    assert.equal(v.rootCause.suspectCommit, CULPRIT);
    assert.deepEqual(v.timeline[0]!.evidence, ['E1', 'E2', 'E3', 'E4', 'E5'], 'a citation of a missing evidence id is dropped');
  });

  it('marks invented or wrong citations as unverified, saying what is really there', async () => {
    const v = await verifyReport(
      draft([
        { id: 'E1', kind: 'log', file: 'logs/api.log', line: 1446, text: 'disk full on /var' },
        { id: 'E2', kind: 'log', file: 'logs/api.log', line: 99999999 },
        { id: 'E3', kind: 'log', file: '../../etc/passwd', line: 1 },
        { id: 'E4', kind: 'commit', hash: 'deadbeefdeadbeef' },
        { id: 'E5', kind: 'commit', hash: '--output=/tmp/x' },
        { id: 'E6', kind: 'metric', metric: 'error_rate', timestamp: '2026-02-17T15:00:00Z', value: 3 },
        { id: 'E7', kind: 'metric', metric: 'error_rate', timestamp: '2030-01-01T00:00:00Z' },
        { id: 'E8', kind: 'deployment', version: 'v9.9.9' },
        { id: 'E9', kind: 'log' },
      ], 'deadbeefdeadbeef'),
      tools,
    );
    for (const e of v.evidence) assert.equal(e.verified, false, `${e.id} should not verify`);
    assert.match(v.evidence[0]!.verification!, /line 1446 of logs\/api\.log says: "2026-02-17 14:45:06 ERROR \[db\]/);
    assert.match(v.evidence[5]!.verification!, /was 38, not 3/);
    assert.equal(v.rootCause.suspectCommit, null, 'a suspect commit that does not exist is not shown as the cause');
    assert.equal(v.rootCause.confidence, 'low');
    assert.match(v.recommendations[0]!, /could not be found/);

    const report: Report = { ...v, incident: 'x', analyst: 'test', toolCalls: [] };
    const markdown = renderMarkdown(report);
    assert.equal(markdown.match(/⚠ unverified/g)?.length, 9);
    assert.doesNotMatch(markdown, /✓/);
  });
});

describe('report Markdown', () => {
  it('shows log and model text as text: no HTML, links or emphasis can be injected', () => {
    const report: Report = {
      incident: '<img src=x onerror=alert(1)> **boom** [click](javascript:alert(1))',
      analyst: 'test',
      rootCause: { summary: '<script>alert(1)</script> _x_ `y`', category: 'unknown', confidence: 'low', suspectCommit: null, suspectDeployment: null, onset: null },
      timeline: [],
      evidence: [{ id: 'E1', kind: 'log', file: 'a.log', line: 1, text: 'x ` <b>y</b>', verified: true }],
      recommendations: ['[a](http://evil) | table'],
      toolCalls: [],
    };
    const md = renderMarkdown(report);
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\> \\*\\*boom\\*\\* \\[click\\](javascript:alert(1))'));
    assert.ok(md.includes('\\<script\\>alert(1)\\</script\\> \\_x\\_ \\`y\\`'));
    assert.ok(md.includes('``  x ` <b>y</b> ``') || md.includes('`` x ` <b>y</b> ``'), md);
    assert.ok(md.includes('\\[a\\](http\\://evil) \\| table'), 'a bare URL is not a link either');
  });
});

describe('transcript', () => {
  it('appends each event as it happens and reads back past a torn last line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ia-tr-')), 'run.jsonl');
    const writer = new TranscriptWriter(file);
    writer.append({ type: 'note', message: 'one', seq: 1, at: '2026-01-01T00:00:00Z' });
    assert.equal(readTranscript(file).length, 1, 'on disk before the run ends');
    writer.append({ type: 'note', message: 'two', seq: 2, at: '2026-01-01T00:00:01Z' });
    writer.close();
    fs.appendFileSync(file, '{"type":"note","mess');
    assert.deepEqual(readTranscript(file).map((e) => e.seq), [1, 2]);
  });
});
