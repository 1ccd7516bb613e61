// The line filter that narrows Loki's level-filtered queries must never drop a line the level stage would keep:
// over every line of every fixture (all the formats the parser reads), each line at a level at or above `min`
// passes the filter for `min`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LEVELS, levelRank, parseLine } from '../../mcp-servers/logs/lineParser';
import { levelPrefilter } from '../../mcp-servers/logs/loki/logql';
import { fixturesDir } from '../support/servers';

/** The RE2 pattern inside `|~ "(?i)…"` as a JavaScript regex (the pattern uses no RE2-only syntax). */
function asRegExp(filter: string): RegExp {
  const quoted = /^\|~ (".*")$/.exec(filter)![1]!;
  const pattern = JSON.parse(quoted) as string;
  return new RegExp(pattern.replace(/^\(\?i\)/, ''), 'i');
}

describe('Loki level pre-filter', () => {
  it('keeps every fixture line at or above each level (a superset of what the level stage keeps)', () => {
    let checked = 0;
    for (const fixture of fs.readdirSync(fixturesDir)) {
      const logs = path.join(fixturesDir, fixture, 'logs');
      if (!fs.existsSync(logs)) continue;
      for (const file of fs.readdirSync(logs)) {
        const lines = fs.readFileSync(path.join(logs, file), 'utf8').split('\n');
        for (const min of LEVELS) {
          const keeps = asRegExp(levelPrefilter(min));
          for (const line of lines) {
            const level = parseLine(line, 2026).level;
            if (level === undefined || levelRank(level) < levelRank(min)) continue;
            checked++;
            assert.ok(keeps.test(line), `${fixture}/${file} at ${min}: ${line.slice(0, 200)}`);
          }
        }
      }
    }
    assert.ok(checked > 10_000, `checked ${checked} lines`);
  });

  it('drops most ordinary lines at warn and above', () => {
    const keeps = asRegExp(levelPrefilter('warn'));
    assert.equal(keeps.test('2026-02-17 14:00:01 INFO [api] GET /health 200 in 3ms'), false);
    assert.equal(keeps.test('10.0.0.1 - - [17/Feb/2026:14:00:01 +0000] "GET / HTTP/1.1" 200 512'), false);
    assert.equal(keeps.test('10.0.0.1 - - [17/Feb/2026:14:00:01 +0000] "GET / HTTP/1.1" 503 512'), true);
  });
});
