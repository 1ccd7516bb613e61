import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnalysisEvent } from '../../../src/engine/analysis/events.js';
import { TranscriptWriter } from '../../../src/engine/analysis/transcript.js';
import { exportReportFiles } from '../../../src/extension/exportReport.js';
import { RunModel } from '../../../src/extension/runModel.js';
import { RunStore } from '../../../src/extension/runStore.js';
import type { Report } from '../../../src/engine/report/schema.js';

const report: Report = {
  incident: '500 errors on checkout API',
  analyst: 'built-in',
  rootCause: { summary: 'Pool too small', category: 'db-connection-pool-exhaustion', confidence: 'high', suspectCommit: null, suspectDeployment: null, onset: null },
  timeline: [],
  evidence: [],
  recommendations: [],
  toolCalls: [],
};
let seq = 0;
const ev = (body: object): AnalysisEvent => ({ ...body, seq: ++seq, at: `2026-02-17T15:00:0${seq % 10}.000Z` }) as AnalysisEvent;

describe('runs: the model of a run, saved transcripts, export', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runs-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function save(store: RunStore, runId: string, events: object[]): string {
    const file = store.transcriptPathFor(runId, new Date('2026-02-17T15:00:00Z'))!;
    const writer = new TranscriptWriter(file);
    for (const e of events) writer.append(ev(e));
    writer.close();
    return file;
  }

  it('folds events into calls with their states and the outcome', () => {
    const run = new RunModel('r1');
    run.add(ev({ type: 'run_started', runId: 'r1', incident: 'x', analyst: 'builtin' }));
    run.add(ev({ type: 'tool_call_started', callId: 'c1', server: 'logs', tool: 'search_logs', arguments: { pattern: 'a' } }));
    assert.equal(run.calls.get('c1')!.status, 'running');
    run.add(ev({ type: 'tool_call_finished', callId: 'c1', server: 'logs', tool: 'search_logs', durationMs: 12, isError: true, summary: 'bad' }));
    assert.deepEqual({ ...run.calls.get('c1') }, { callId: 'c1', server: 'logs', tool: 'search_logs', arguments: { pattern: 'a' }, status: 'error', durationMs: 12, summary: 'bad' });
    run.add(ev({ type: 'error', message: 'm', fix: 'f', remedy: 'retry' }));
    assert.equal(run.status, 'error');
    assert.deepEqual(run.error, { message: 'm', fix: 'f', remedy: 'retry' });
  });

  it('lists saved runs newest first; a run cut off mid-way is "interrupted"; a torn last line is skipped', () => {
    const store = new RunStore(dir);
    save(store, 'aaa-1', [{ type: 'run_started', runId: 'aaa-1', incident: 'done', analyst: 'builtin' }, { type: 'report', report, markdown: '#' }]);
    const cut = save(store, 'bbb-2', [{ type: 'run_started', runId: 'bbb-2', incident: 'cut off', analyst: 'builtin' }]);
    fs.appendFileSync(cut, '{"type":"tool_call_sta');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a run');
    const past = new RunStore(dir).past();
    assert.deepEqual(past.map((p) => [p.incident, p.status, p.category]).sort(), [['cut off', 'interrupted', undefined], ['done', 'report', 'db-connection-pool-exhaustion']]);
    assert.equal(new RunStore(dir).get('aaa-1')!.report!.rootCause.summary, 'Pool too small');
  });

  it('refuses run ids that could name another file, and deletes a run', () => {
    const store = new RunStore(dir);
    save(store, 'ccc-3', [{ type: 'run_started', runId: 'ccc-3', incident: 'x', analyst: 'builtin' }]);
    assert.equal(store.get('../ccc-3'), undefined);
    store.delete('ccc-3');
    assert.deepEqual(store.past(), []);
  });

  it('exports Markdown and JSON without ever overwriting an earlier export', () => {
    const run = new RunModel('r9');
    run.add(ev({ type: 'run_started', runId: 'r9', incident: '500 errors on checkout API!', analyst: 'builtin' }));
    run.add(ev({ type: 'report', report, markdown: '' }));
    const first = exportReportFiles(run, dir);
    const second = exportReportFiles(run, dir);
    assert.notEqual(first.markdown, second.markdown);
    assert.match(path.basename(first.markdown), /^20260217-1500-500-errors-on-checkout-api\.md$/);
    assert.match(path.basename(second.json), /-2\.json$/);
    assert.equal(JSON.parse(fs.readFileSync(first.json, 'utf8')).rootCause.summary, 'Pool too small');
    assert.throws(() => exportReportFiles(new RunModel('empty'), dir), /no report/);
  });
});
