// The incident database URL as the store and Set Incidents Database read it: where it points, named without the
// password, and errors that never quote the URL.
import assert from 'node:assert/strict';
import { databaseTarget } from '../../mcp-servers/incidents/store/databaseUrl';

describe('incident database URL', () => {
  it('names host, port and database, and keeps the password out of the safe URL', () => {
    const t = databaseTarget('postgresql://ops:s3cr%40t@db.example:6543/incidents?sslmode=require&password=other');
    assert.deepEqual([t.user, t.password, t.database, t.where], ['ops', 's3cr@t', 'incidents', 'at db.example:6543 (database incidents)']);
    assert.equal(t.safeUrl, 'postgresql://ops@db.example:6543/incidents');
  });

  it('defaults the port to 5432 and the database to the user', () => {
    assert.equal(databaseTarget('postgres://ops:pw@db.example').where, 'at db.example:5432 (database ops)');
  });

  it('refuses what is not a postgres URL, saying what it should look like, without echoing it', () => {
    for (const bad of ['db.example:5432 hunter2', 'mysql://u:hunter2@h/db', 'postgres://u:%zz-hunter2@h/db']) {
      assert.throws(
        () => databaseTarget(bad),
        (err: Error) => /should look like postgres:\/\/user:password@host:5432\/database/.test(err.message) && !err.message.includes('hunter2'),
        bad,
      );
    }
  });
});
