// The incident schema in PostgreSQL, as a list of versions applied in order when a server opens the database.
// Every server runs this at start; a transaction-scoped advisory lock makes two servers starting at once take turns,
// so each version is applied exactly once and a failed start leaves nothing half-applied.
import type { PoolClient } from 'pg';
import { UserError } from '../../common/result.js';

interface Migration {
  version: number;
  sql: string;
}

/** Append only: a released version is never edited, a change to the schema is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // The journal is the truth; `incidents` mirrors its fold so listing needs no journal reads.
    sql: `
      create sequence incident_number as integer;
      create table incidents (
        id text primary key,
        number integer not null unique,
        title text not null,
        severity text not null,
        service text not null,
        status text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index incidents_by_status on incidents (status, number desc);
      create table incident_journal (
        incident_id text not null references incidents (id),
        seq integer not null check (seq >= 1),
        at timestamptz not null,
        author text not null,
        kind text not null,
        data jsonb not null,
        primary key (incident_id, seq)
      );`,
  },
];

// Any fixed number works; it only has to differ from other applications' advisory locks on the same database.
const MIGRATION_LOCK = 7_316_244_019;

/** Applies the versions the database lacks, inside the caller's transaction. */
export async function migrate(client: PoolClient, where: string): Promise<void> {
  await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query(`create table if not exists incident_schema_versions (
    version integer primary key,
    applied_at timestamptz not null default now()
  )`);
  const { rows } = await client.query<{ version: number }>('select version from incident_schema_versions');
  const applied = new Set(rows.map((r) => r.version));
  const known = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    // Written by a newer server: its schema may mean things this one would get wrong.
    throw new UserError(
      `the incident database ${where} has schema version ${newest}, newer than this server knows (${known}); update Incident Analyzer to use it`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await client.query(migration.sql);
    await client.query('insert into incident_schema_versions (version) values ($1)', [migration.version]);
  }
}
