import assert from 'node:assert/strict';
import type { Report, VerifiedEvidence } from '../../../src/engine/report/schema.js';
import { citedLogLines, hoverMarkdown, markedLines } from '../../../src/extension/evidence/citedLines.js';

const log = (id: string, file: string, line: number, text: string, more: Partial<VerifiedEvidence> = {}): VerifiedEvidence => ({ id, kind: 'log', file, line, text, verified: true, ...more });
const reportOf = (evidence: VerifiedEvidence[]) => ({ evidence }) as unknown as Report;
const at = (lines: string[]) => (n: number) => lines[n - 1]!;

describe('lines cited by a report (gutter marks)', () => {
  it('groups verified log-file citations by file and line; two ids on one line share it', () => {
    const cited = citedLogLines(
      reportOf([
        log('E1', 'logs/app.log', 4, 'ERROR pool exhausted'),
        { id: 'E2', kind: 'commit', hash: 'abc1234', verified: true } as VerifiedEvidence,
        log('E3', 'logs/app.log', 9, 'WARN retry'),
        log('E4', 'logs/app.log', 4, 'ERROR pool'),
        log('E5', 'logs/db.log', 1, 'FATAL'),
        log('E6', 'logs/app.log', 12, 'not there', { verified: false }),
        log('E7', '{app="shop"}', 0, 'from Loki', { timeNs: '1771339560000000000' }),
      ]),
    );
    assert.deepEqual([...cited.keys()], ['logs/app.log', 'logs/db.log']);
    assert.deepEqual(cited.get('logs/app.log'), [
      { line: 4, quote: 'ERROR pool exhausted', ids: ['E1', 'E4'] },
      { line: 9, quote: 'WARN retry', ids: ['E3'] },
    ]);
  });

  it('marks each line where it is now: in place, moved by an edit above, or not at all when rewritten', () => {
    const cited = [
      { line: 2, quote: '10:01 ERROR pool exhausted', ids: ['E1'] },
      { line: 3, quote: '10:02 INFO ok', ids: ['E2'] },
    ];
    const lines = ['10:00 INFO start', '10:01 ERROR pool exhausted', '10:02 INFO ok'];
    assert.deepEqual([...markedLines(3, at(lines), cited)], [[2, ['E1']], [3, ['E2']]]);
    const inserted = ['new', ...lines];
    assert.deepEqual([...markedLines(4, at(inserted), cited)], [[3, ['E1']], [4, ['E2']]]);
    const rewritten = [lines[0]!, 'rewritten', lines[2]!];
    assert.deepEqual([...markedLines(3, at(rewritten), cited)], [[3, ['E2']]]);
    assert.deepEqual([...markedLines(1, at(['x']), cited)], []);
  });

  it('the hover names the evidence and the incident (escaped) and links only to the report', () => {
    const md = hoverMarkdown(['E7'], 'Checkout failing [x](command:evil) <img src=x> **now**', 'run-1');
    assert.equal(
      md,
      'Cited as E7 in ‘Checkout failing \\[x\\](command:evil) \\<img src=x\\> \\*\\*now\\*\\*’ · [Open the report](command:incidentAnalyzer.openRun?%5B%22run-1%22%5D)',
    );
    const long = hoverMarkdown(['E1', 'E2'], 'x'.repeat(100), 'r');
    assert.match(long, /^Cited as E1, E2 in ‘x{59}…’/);
  });
});
