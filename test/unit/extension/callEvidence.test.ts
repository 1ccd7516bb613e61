import assert from 'node:assert/strict';
import type { VerifiedEvidence } from '../../../src/engine/report/schema.js';
import { evidenceOfCall } from '../../../src/extension/evidence/callEvidence.js';
import type { CallView } from '../../../src/extension/runModel.js';

const evidence: VerifiedEvidence[] = [
  { id: 'E1', kind: 'commit', hash: '2b8306bc963cc8d5f65bdf8897bbb85136907c80', verified: true },
  { id: 'E2', kind: 'log', file: 'logs/api.log', line: 1446, text: 'ERROR [db] timeout acquiring connection', verified: true },
  { id: 'E3', kind: 'metric', metric: 'error_rate', timestamp: '2026-02-17T14:45:00Z', verified: true },
  { id: 'E4', kind: 'deployment', version: 'v2.14.0', verified: true },
];
const call = (tool: string, args: Record<string, unknown>, status: CallView['status'] = 'ok'): CallView => ({ callId: 'c1', server: 's', tool, arguments: args, status });
const ids = (c: CallView) => evidenceOfCall(c, evidence).map((e) => e.id);

describe('evidence produced by a tool call (timeline "open evidence")', () => {
  it('matches each kind to the call that read it', () => {
    assert.deepEqual(ids(call('get_commit', { hash: '2B8306B' })), ['E1']);
    assert.deepEqual(ids(call('read_logs', { file: 'logs/api.log', offset: 1440, limit: 10 })), ['E2']);
    assert.deepEqual(ids(call('read_logs', { file: 'logs/api.log', offset: 1447, limit: 10 })), []);
    assert.deepEqual(ids(call('search_logs', { pattern: 'Timeout Acquiring' })), ['E2']);
    assert.deepEqual(ids(call('search_logs', { pattern: 'timeout.*', regex: true })), []);
    assert.deepEqual(ids(call('get_metric_at', { metric: 'error_rate', timestamp: '2026-02-17T14:45:00Z' })), ['E3']);
    assert.deepEqual(ids(call('get_deployments', { version: 'v2.14.0' })), ['E4']);
  });

  it('failed calls and other tools produced nothing; a hash too short to be sure matches nothing', () => {
    assert.deepEqual(ids(call('get_commit', { hash: '2b8306b' }, 'error')), []);
    assert.deepEqual(ids(call('list_log_files', {})), []);
    assert.deepEqual(ids(call('get_commit', { hash: '2b' })), []);
  });
});
