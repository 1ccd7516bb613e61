import assert from 'node:assert/strict';
import { CommandTable } from '../../../src/extension/commandTable.js';

describe('command table (activation forwards every command to it)', () => {
  it('loads the handlers at the first command that arrives before them, then runs it with its arguments', () => {
    let loads = 0;
    const table: CommandTable = new CommandTable(() => {
      loads++;
      table.set('ia.echo', (...args: unknown[]) => args.join('+'));
    });
    assert.equal(table.run('ia.echo', ['a', 'b']), 'a+b');
    assert.equal(table.run('ia.echo', ['c']), 'c');
    assert.equal(loads, 1);
  });

  it('names a command nobody handles, instead of doing nothing', () => {
    const table = new CommandTable(() => {});
    assert.throws(() => table.run('ia.nothing', []), /no handler for ia\.nothing/);
    assert.deepEqual(table.missing(['ia.nothing']), ['ia.nothing']);
  });

  it('refuses a second handler for one command, and takes a disposed handler out', () => {
    const table = new CommandTable(() => {});
    const first = table.set('ia.x', () => 1);
    assert.throws(() => table.set('ia.x', () => 2), /handled twice/);
    first.dispose();
    assert.deepEqual(table.missing(['ia.x']), ['ia.x']);
    table.set('ia.x', () => 3);
    assert.equal(table.run('ia.x', []), 3);
  });
});
