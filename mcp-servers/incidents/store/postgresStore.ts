// Incidents in PostgreSQL, for a team sharing them across servers. The journal table is the truth; the incidents
// table mirrors each journal's fold for listing. A change locks its incident's row, folds the journal, decides, and
// writes entries and mirror in one transaction: whole or not at all, like the file store's lock and append.
import { DatabaseError, Pool, type PoolClient } from 'pg';
import { UserError } from '../../common/result.js';
import type { SourceHealth } from '../../common/http/httpService.js';
import { incidentFromJournal, type Change, type Incident, type IncidentSummary, type JournalEntry, type NewIncident, type Status } from '../model.js';
import { INCIDENT_ID_PATTERN, incidentId, noSuchIncident, refuseNul, type IncidentStore } from './incidentStore.js';
import { databaseTarget, type DatabaseTarget } from './databaseUrl.js';
import { migrate } from './postgresMigrations.js';

// Every wait is bounded, so an unreachable or stuck database becomes an answer within seconds, never a hang.
const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 15_000; // client side: also covers a server that stopped answering without closing
const HEALTH_TIMEOUT_MS = 3_000;

export class PostgresIncidentStore implements IncidentStore {
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly target: DatabaseTarget,
  ) {
    // An idle connection the server closed (a restart, a failover) is dropped by the pool and reported by the next
    // query that needs one; without a listener the event would end the process.
    pool.on('error', () => {});
  }

  /** Connects and brings the schema up to date; a UserError saying what to check when that fails. */
  static async open(url: string): Promise<PostgresIncidentStore> {
    const target = databaseTarget(url);
    const pool = new Pool({
      connectionString: url,
      max: 5,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      idle_in_transaction_session_timeout: QUERY_TIMEOUT_MS,
      application_name: 'incident-analyzer',
      keepAlive: true,
    });
    const store = new PostgresIncidentStore(pool, target);
    try {
      await store.transaction((client) => migrate(client, target.where));
    } catch (err) {
      await store.close();
      throw store.failure(err, 'the incident store could not start');
    }
    return store;
  }

  describe(): string {
    return `PostgreSQL ${this.target.safeUrl}`;
  }

  async health(): Promise<SourceHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const silence = new UserError(
        `PostgreSQL ${this.target.where} did not answer "select 1" within ${HEALTH_TIMEOUT_MS / 1000} s; check that it is running and not overloaded`,
      );
      timer = setTimeout(() => reject(silence), HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.pool.query('select 1'), timeout]);
      return { kind: 'postgresql', ok: true, detail: this.describe() };
    } catch (err) {
      const failure = this.failure(err);
      return { kind: 'postgresql', ok: false, detail: failure instanceof Error ? failure.message : String(failure) };
    } finally {
      clearTimeout(timer);
    }
  }

  async create(incident: NewIncident, author: string): Promise<Incident> {
    refuseNul({ incident, author });
    return this.run('no incident was opened', () =>
      this.transaction(async (client) => {
        const { rows } = await client.query<{ number: number; now: Date }>(
          `select nextval('incident_number')::int as number, ${NOW_TO_THE_MILLISECOND} as now`,
        );
        const id = incidentId(rows[0]!.number);
        const entry: JournalEntry = { seq: 1, at: rows[0]!.now.toISOString(), author, kind: 'created', data: { ...incident } };
        const created = incidentFromJournal(id, [entry]);
        await mirror(client, created);
        await insertEntry(client, id, entry);
        return created;
      }),
    );
  }

  async get(id: string): Promise<Incident | undefined> {
    if (!INCIDENT_ID_PATTERN.test(id)) return undefined;
    return this.run(undefined, async () => {
      const journal = await readJournal(this.pool, id);
      return journal.length === 0 ? undefined : incidentFromJournal(id, journal);
    });
  }

  async list(filter: { status?: Status; limit: number }): Promise<IncidentSummary[]> {
    return this.run(undefined, async () => {
      const { rows } = await this.pool.query<SummaryRow>(
        `select i.id, i.title, i.severity, i.service, i.status, i.created_at, i.updated_at,
                (select count(*)::int from incident_journal j where j.incident_id = i.id) as entries
           from incidents i
          where $1::text is null or i.status = $1
          order by i.number desc
          limit $2`,
        [filter.status ?? null, filter.limit],
      );
      return rows.map(summaryFromRow);
    });
  }

  async change(id: string, change: Change): Promise<Incident> {
    if (!INCIDENT_ID_PATTERN.test(id)) throw noSuchIncident(id);
    return this.run(`nothing was added to ${id}`, () =>
      this.transaction(async (client) => {
        // The row lock is what makes concurrent changes take turns: the next one reads the journal after this commits.
        const locked = await client.query('select 1 from incidents where id = $1 for update', [id]);
        if (locked.rowCount === 0) throw noSuchIncident(id);
        const journal = await readJournal(client, id);
        const current = incidentFromJournal(id, journal);
        const proposed = change(current);
        if (proposed.length === 0) return current;
        refuseNul(proposed);
        const { rows } = await client.query<{ now: Date }>(`select ${NOW_TO_THE_MILLISECOND} as now`);
        const at = rows[0]!.now.toISOString();
        const added = proposed.map((e, i): JournalEntry => ({ ...e, seq: journal.length + 1 + i, at }));
        const after = incidentFromJournal(id, [...journal, ...added]);
        for (const entry of added) await insertEntry(client, id, entry);
        await mirror(client, after);
        return after;
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** Runs `work` in a transaction on one connection; any failure rolls it back. */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    // A connection dropped between queries is reported here rather than by the next query; kept to say why.
    const onError = (err: Error) => (lost = err);
    client.on('error', onError);
    try {
      await client.query('begin');
      const result = await work(client);
      try {
        await client.query('commit');
      } catch (err) {
        // An answer from the server means it rolled back; a lost connection leaves the outcome unknown.
        throw err instanceof DatabaseError ? err : new OutcomeUnknown(err);
      }
      return result;
    } catch (err) {
      // A failed connection is closed instead of rolled back (the server then rolls back): waiting on it could be long.
      const broken = lost !== undefined || err instanceof OutcomeUnknown || isConnectionFailure(err);
      if (broken) lost ??= err as Error;
      else await client.query('rollback').catch((rollbackErr: Error) => (lost = rollbackErr));
      // The connection's own error says more than pg's "not queryable" about why a query could not run.
      throw isConnectionFailure(err) ? lost : err;
    } finally {
      client.removeListener('error', onError);
      client.release(lost); // a broken connection is closed rather than handed out again
    }
  }

  private async run<T>(unsaved: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.failure(err, unsaved);
    }
  }

  /**
   * What the database or the network threw, as a UserError naming the server and what to check; anything else
   * (a change's own refusal, a bug) as it is. Never contains the password.
   */
  private failure(err: unknown, unsaved?: string): unknown {
    if (err instanceof UserError) return err;
    const { where, user, database, password } = this.target;
    if (err instanceof OutcomeUnknown) {
      const reason = scrub(messageOf(err.commitError), password);
      return new UserError(
        `the connection to PostgreSQL ${where} failed while committing (${reason}), so whether the change was saved is unknown; read the incident again to see`,
      );
    }
    const reason = scrub(messageOf(err), password);
    const then = unsaved ? ` (${unsaved})` : '';
    const code = (err as { code?: unknown }).code;
    if (err instanceof DatabaseError) {
      if (code === '28P01' || code === '28000') {
        return new UserError(`PostgreSQL ${where} refused user "${user}": ${reason}${then}. Check the user name and password in the incident database URL.`);
      }
      if (code === '3D000') {
        return new UserError(`PostgreSQL ${where} has no database "${database}"${then}; create it (createdb ${database}) or correct the incident database URL.`);
      }
      if (code === '42501') {
        return new UserError(`PostgreSQL ${where} denied user "${user}": ${reason}${then}. Grant it rights on the database, or use its owner's URL.`);
      }
      if (code === '22P05' || code === '22021') {
        // JavaScript text is always valid UTF-8 to PostgreSQL except for NUL, which neither text nor jsonb can hold.
        return new UserError(`PostgreSQL ${where} cannot store text containing a NUL character (\\u0000)${then}; remove it and try again.`);
      }
      if (code === '57014') {
        return new UserError(`PostgreSQL ${where} did not finish within ${STATEMENT_TIMEOUT_MS / 1000} s${then}; try again, and check the database's load if it keeps happening.`);
      }
      if (typeof code === 'string' && !/^(08|57P)/.test(code)) {
        return new UserError(`PostgreSQL ${where} failed: ${reason} (SQLSTATE ${code})${then}.`);
      }
    } else if (!isConnectionFailure(err)) {
      return err;
    }
    return new UserError(
      `PostgreSQL ${where} is unavailable: ${reason}${then}. Check that the server is running and reachable from here (host, port, firewall), then try again.`,
    );
  }
}

/** The commit itself failed: the server may or may not have applied it before the connection went. */
class OutcomeUnknown extends Error {
  constructor(readonly commitError: unknown) {
    super('commit failed');
  }
}

// Entries keep milliseconds, the precision of the file store's `new Date().toISOString()`; the database's clock,
// read after the row lock, so one clock orders every server's entries.
const NOW_TO_THE_MILLISECOND = `date_trunc('milliseconds', clock_timestamp())`;

interface EntryRow {
  seq: number;
  at: Date;
  author: string;
  kind: JournalEntry['kind'];
  data: Record<string, unknown>;
}

interface SummaryRow {
  id: string;
  title: string;
  severity: IncidentSummary['severity'];
  service: string;
  status: Status;
  created_at: Date;
  updated_at: Date;
  entries: number;
}

async function readJournal(db: Pool | PoolClient, id: string): Promise<JournalEntry[]> {
  const { rows } = await db.query<EntryRow>(
    'select seq, at, author, kind, data from incident_journal where incident_id = $1 order by seq',
    [id],
  );
  return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), author: r.author, kind: r.kind, data: r.data }));
}

async function insertEntry(client: PoolClient, id: string, entry: JournalEntry): Promise<void> {
  await client.query('insert into incident_journal (incident_id, seq, at, author, kind, data) values ($1, $2, $3, $4, $5, $6::jsonb)', [
    id,
    entry.seq,
    entry.at,
    entry.author,
    entry.kind,
    JSON.stringify(entry.data),
  ]);
}

/** Writes the incident's fold to its row (inserted on creation, updated after). */
async function mirror(client: PoolClient, incident: Incident): Promise<void> {
  await client.query(
    `insert into incidents (id, number, title, severity, service, status, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (id) do update set title = excluded.title, severity = excluded.severity, service = excluded.service,
                                    status = excluded.status, updated_at = excluded.updated_at`,
    [
      incident.id,
      Number(incident.id.slice('INC-'.length)),
      incident.title,
      incident.severity,
      incident.service,
      incident.status,
      incident.createdAt,
      incident.updatedAt,
    ],
  );
}

function summaryFromRow(r: SummaryRow): IncidentSummary {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    service: r.service,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    entries: r.entries,
  };
}

/** pg's own errors, and the socket's: the server is down, unreachable, or went away. */
function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return true; // ECONNREFUSED, ETIMEDOUT, ENOTFOUND, …
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|SSL/i.test(messageOf(err));
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && !err.message) return err.errors.map(messageOf).join('; '); // one per address tried
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  return String(err);
}

/** A server's message could quote what it was sent; the password never goes further. */
function scrub(text: string, password: string): string {
  if (password.length < 3) return text;
  return text.split(password).join('***').split(encodeURIComponent(password)).join('***');
}
