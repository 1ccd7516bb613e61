// One contract for both incident stores: the journal files and PostgreSQL must behave the same, including when two
// writers change one incident at once. Then what only one of them can get wrong: a half-written or hand-edited file;
// a database that stops (before or in the middle of a change), migrations run twice, and a password that must not
// leak. One throwaway PostgreSQL serves the whole file, emptied before each test; without PostgreSQL installed its
// suite is skipped saying why (REQUIRE_BACKENDS=1: a failure).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { UserError } from '../../mcp-servers/common/result';
import { summaryOf, type Change, type NewIncident } from '../../mcp-servers/incidents/model';
import { FileIncidentStore } from '../../mcp-servers/incidents/store/fileStore';
import type { IncidentStore } from '../../mcp-servers/incidents/store/incidentStore';
import { PostgresIncidentStore } from '../../mcp-servers/incidents/store/postgresStore';
import { postgresOrSkip, startPostgres, type RunningPostgres } from '../support/postgres';

const ISO_UTC_MILLISECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function newIncident(title: string): NewIncident {
  return { title, severity: 'SEV2', service: 'checkout', summary: `${title}: 500s on POST /checkout`, report: { rootCause: 'a bad deploy', evidence: [1, 2] } };
}

/** A change that adds one note recording how many entries it saw. */
const noteSeenEntries: Change = (current) => [{ author: 'writer', kind: 'note', data: { sawEntries: current.journal.length } }];

function isUserErrorMentioning(...parts: string[]) {
  return (err: unknown) => {
    assert.ok(err instanceof UserError, `not a UserError: ${err instanceof Error ? err.stack : String(err)}`);
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" does not mention ${part}`);
    return true;
  };
}

async function adminQuery(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('incident stores', function () {
  let postgres: RunningPostgres | undefined;
  const folders: string[] = [];

  after(() => {
    postgres?.remove();
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  for (const kind of ['files', 'postgresql'] as const) {
    describe(`${kind}: the store contract`, function () {
      /** Where this test's incidents are: a workspace folder or a database URL. */
      let place: string;
      let openAtPlace: () => Promise<IncidentStore>;
      let opened: IncidentStore[] = [];
      let store: IncidentStore;
      /** Another store on the same incidents as `store`: a second server on the same folder or database. */
      const openStore = async () => {
        const another = await openAtPlace();
        opened.push(another);
        return another;
      };

      before(async function () {
        if (kind !== 'postgresql') return;
        postgres ??= await startPostgres(postgresOrSkip(this));
        await adminQuery(postgres.url, 'create database incidents');
      });

      beforeEach(async () => {
        if (kind === 'files') {
          place = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-store-'));
          folders.push(place);
          openAtPlace = async () => new FileIncidentStore(place);
        } else {
          // As good as a new database, at a tenth of the cost: nothing of the store's is left, so open migrates again.
          place = postgres!.urlOf('incidents');
          await adminQuery(place, 'drop schema public cascade; create schema public');
          openAtPlace = () => PostgresIncidentStore.open(place);
        }
        store = await openStore();
      });

      afterEach(async () => {
        await Promise.all(opened.map((s) => s.close()));
        opened = [];
      });

      it('create gives INC-1, INC-2, each journal starting with its created entry', async () => {
        const before = new Date().toISOString();
        const first = await store.create(newIncident('checkout down'), 'alice');
        const second = await store.create(newIncident('search slow'), 'bob');
        assert.deepEqual([first.id, second.id], ['INC-1', 'INC-2']);
        assert.equal(first.journal.length, 1);
        const [created] = first.journal;
        assert.deepEqual({ ...created, at: undefined }, { seq: 1, at: undefined, author: 'alice', kind: 'created', data: newIncident('checkout down') });
        assert.match(created!.at, ISO_UTC_MILLISECONDS);
        assert.ok(created!.at >= before && created!.at <= new Date().toISOString(), `${created!.at} is not now`);
        assert.equal(first.status, 'investigating');
        assert.equal(first.createdAt, created!.at);
        assert.equal(first.updatedAt, created!.at);
        assert.deepEqual(await store.get('INC-1'), first);
        assert.deepEqual(await store.get('INC-2'), second);
      });

      it('get of an unknown or malformed id is undefined', async () => {
        await store.create(newIncident('checkout down'), 'alice');
        for (const id of ['INC-2', 'INC-0', 'inc-1', '../INC-1', '']) assert.equal(await store.get(id), undefined, id);
      });

      it('change appends entries with their seq and time, and the incident is their fold', async () => {
        const { id, createdAt } = await store.create(newIncident('checkout down'), 'alice');
        const changed = await store.change(id, () => [
          { author: 'bob', kind: 'status', data: { from: 'investigating', to: 'identified' } },
          { author: 'bob', kind: 'updated', data: { severity: 'SEV1', title: 'checkout down for everyone' } },
        ]);
        assert.deepEqual(changed.journal.map((e) => [e.seq, e.kind, e.author]), [[1, 'created', 'alice'], [2, 'status', 'bob'], [3, 'updated', 'bob']]);
        const at = changed.journal[1]!.at;
        assert.match(at, ISO_UTC_MILLISECONDS);
        assert.ok(at >= createdAt);
        assert.equal(changed.journal[2]!.at, at, 'the entries of one change share its time');
        assert.equal(changed.status, 'identified');
        assert.equal(changed.severity, 'SEV1');
        assert.equal(changed.title, 'checkout down for everyone');
        assert.equal(changed.service, 'checkout');
        assert.equal(changed.createdAt, createdAt);
        assert.equal(changed.updatedAt, at);
        assert.deepEqual(await store.get(id), changed);

        const resolved = await store.change(id, (current) => {
          assert.deepEqual(current, changed, 'a change sees the incident as it is');
          return [{ author: 'carol', kind: 'status', data: { from: current.status, to: 'resolved' } }];
        });
        assert.deepEqual(resolved.journal.map((e) => e.seq), [1, 2, 3, 4]);
        assert.equal(resolved.status, 'resolved');
        assert.deepEqual(await store.get(id), resolved);
      });

      it('a change that refuses with a UserError, or adds nothing, leaves the journal as it was', async () => {
        const { id } = await store.create(newIncident('checkout down'), 'alice');
        const before = await store.get(id);
        const refusal = new UserError('INC-1 is already resolved');
        await assert.rejects(
          store.change(id, () => {
            throw refusal;
          }),
          (err) => err === refusal,
        );
        assert.deepEqual(await store.change(id, () => []), before);
        assert.deepEqual(await store.get(id), before);
        const after = await store.change(id, noteSeenEntries);
        assert.deepEqual(after.journal.map((e) => e.seq), [1, 2], 'the refused change took no seq');
      });

      it('text with a NUL character is refused, in a new incident or a change, and nothing is written', async () => {
        await assert.rejects(store.create({ ...newIncident('checkout\u0000down') }, 'alice'), isUserErrorMentioning('NUL character'));
        assert.deepEqual(await store.list({ limit: 10 }), []);
        const { id } = await store.create(newIncident('checkout down'), 'alice');
        const before = await store.get(id);
        await assert.rejects(
          store.change(id, (current) => [...noteSeenEntries(current), { author: 'writer', kind: 'note', data: { text: 'a\u0000b' } }]),
          isUserErrorMentioning('NUL character'),
        );
        assert.deepEqual(await store.get(id), before);
        // The text "\u0000" as written, backslash and all, is ordinary text.
        const after = await store.change(id, () => [{ author: 'writer', kind: 'note', data: { text: 'see \\u0000 in the payload' } }]);
        assert.equal(after.journal.at(-1)?.data.text, 'see \\u0000 in the payload');
      });

      it('a change of an unknown incident is a UserError', async () => {
        await store.create(newIncident('checkout down'), 'alice');
        await assert.rejects(store.change('INC-42', noteSeenEntries), isUserErrorMentioning('INC-42'));
        await assert.rejects(store.change('not-an-id', noteSeenEntries), isUserErrorMentioning('not-an-id'));
      });

      it('list is newest first, filters by status, stops at the limit, and agrees with get', async () => {
        for (const title of ['first', 'second', 'third']) await store.create(newIncident(title), 'alice');
        await store.change('INC-2', () => [{ author: 'bob', kind: 'status', data: { from: 'investigating', to: 'resolved' } }]);
        const all = await store.list({ limit: 10 });
        assert.deepEqual(all.map((s) => s.id), ['INC-3', 'INC-2', 'INC-1']);
        for (const summary of all) assert.deepEqual(summary, summaryOf((await store.get(summary.id))!));
        assert.deepEqual((await store.list({ status: 'resolved', limit: 10 })).map((s) => s.id), ['INC-2']);
        assert.deepEqual((await store.list({ status: 'investigating', limit: 1 })).map((s) => s.id), ['INC-3']);
        assert.deepEqual((await store.list({ limit: 2 })).map((s) => s.id), ['INC-3', 'INC-2']);
        assert.deepEqual(await store.list({ status: 'monitoring', limit: 10 }), []);
      });

      it('twenty changes at once from two writers each see the one before', async () => {
        const other = await openStore();
        const { id } = await store.create(newIncident('checkout down'), 'alice');
        await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).change(id, noteSeenEntries)));
        const { journal } = (await store.get(id))!;
        assert.deepEqual(journal.map((e) => e.seq), Array.from({ length: 21 }, (_, i) => i + 1));
        const seen = journal.slice(1).map((e) => e.data.sawEntries);
        assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i + 1), 'each change was decided against the entries before it');
      });

      it('creates at once from two writers get distinct ids', async () => {
        const other = await openStore();
        const created = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).create(newIncident(`incident ${i}`), 'alice')));
        const ids = created.map((c) => Number(c.id.slice('INC-'.length))).sort((a, b) => a - b);
        assert.deepEqual(ids, Array.from({ length: 10 }, (_, i) => i + 1));
        for (const incident of created) assert.deepEqual(await other.get(incident.id), incident);
      });

      if (kind === 'files') {
        const journalFile = (id: string) => path.join(place, '.incident-analyzer', 'incidents', `${id}.jsonl`);

        it('a half-written last line is ignored by get and cut off by the next change', async () => {
          const { id } = await store.create(newIncident('checkout down'), 'alice');
          const created = await store.get(id);
          fs.appendFileSync(journalFile(id), '{"seq":2,"at":"2026-12-02T06:00:00.000Z","author":"crash');
          assert.deepEqual(await store.get(id), created);
          const changed = await store.change(id, noteSeenEntries);
          assert.deepEqual(changed.journal.map((e) => [e.seq, e.data.sawEntries]), [[1, undefined], [2, 1]]);
          const lines = fs.readFileSync(journalFile(id), 'utf8').split('\n');
          assert.equal(lines.pop(), '', 'the file ends with a newline');
          assert.deepEqual(lines.map((l) => JSON.parse(l).seq), [1, 2]);
        });

        it('a line changed by hand in the middle of a journal is a UserError naming the file', async () => {
          const { id } = await store.create(newIncident('checkout down'), 'alice');
          await store.change(id, noteSeenEntries);
          await store.change(id, noteSeenEntries);
          const lines = fs.readFileSync(journalFile(id), 'utf8').split('\n');
          lines[1] = lines[1]!.slice(0, 20);
          fs.writeFileSync(journalFile(id), lines.join('\n'));
          await assert.rejects(store.get(id), isUserErrorMentioning('line 2', journalFile(id)));
          await assert.rejects(store.change(id, noteSeenEntries), isUserErrorMentioning('line 2', journalFile(id)));
        });
      }

      if (kind === 'postgresql') {
        const hostPort = () => `127.0.0.1:${postgres!.port}`;
        const databaseOf = (url: string) => new URL(url).pathname.slice(1);
        const noPassword = (text: string) => assert.ok(!text.includes(postgres!.password), `the password is in: ${text}`);

        it('with the database stopped, a change fails within seconds naming host:port, and nothing is lost', async () => {
          const { id } = await store.create(newIncident('checkout down'), 'alice');
          const before = await store.change(id, noteSeenEntries);
          await Promise.all([store.get(id), store.get(id)]); // two idle connections in the pool, both cut by the stop
          postgres!.stop();
          try {
            const started = Date.now();
            const isUnavailableError = (err: unknown) => {
              isUserErrorMentioning(hostPort(), databaseOf(place), 'running')(err);
              noPassword((err as Error).message);
              return true;
            };
            await assert.rejects(store.change(id, noteSeenEntries), isUnavailableError); // at once, on a connection just cut
            await new Promise((resolve) => setTimeout(resolve, 200)); // the other connection's end reaches the pool
            await assert.rejects(store.change(id, noteSeenEntries), isUnavailableError); // a new connection, refused
            await assert.rejects(store.get(id), isUnavailableError);
            const health = await store.health();
            assert.equal(health.ok, false);
            assert.match(health.detail!, new RegExp(hostPort()));
            noPassword(health.detail!);
            assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
          } finally {
            postgres!.restart();
          }
          assert.deepEqual(await store.get(id), before, 'the same store reconnects and finds the journal as it was');
          assert.equal((await store.change(id, noteSeenEntries)).journal.length, 3);
        });

        it('the database going away in the middle of a change leaves no entry behind', async () => {
          const { id } = await store.create(newIncident('checkout down'), 'alice');
          const before = await store.change(id, noteSeenEntries);
          try {
            await assert.rejects(
              store.change(id, (current) => {
                postgres!.stop(); // after the row lock and the journal read, before the entries are written
                return [
                  ...noteSeenEntries(current),
                  { author: 'writer', kind: 'status', data: { from: current.status, to: 'resolved' } },
                ];
              }),
              isUserErrorMentioning(hostPort(), 'nothing was added to INC-1'),
            );
          } finally {
            postgres!.restart();
          }
          assert.deepEqual(await store.get(id), before);
          assert.deepEqual((await store.list({ limit: 10 })).map((s) => [s.status, s.entries]), [['investigating', 2]]);
        });

        it('a change the database refuses half-way (a trigger rejects its second entry) writes neither entry', async () => {
          const { id } = await store.create(newIncident('checkout down'), 'alice');
          const before = await store.get(id);
          await adminQuery(
            place,
            `create function refuse_marked() returns trigger language plpgsql as $$
               begin if new.author = 'refused-by-db' then raise exception 'refused by the test trigger'; end if; return new; end $$;
             create trigger refuse_marked before insert on incident_journal for each row execute function refuse_marked()`,
          );
          await assert.rejects(
            store.change(id, (current) => [...noteSeenEntries(current), { author: 'refused-by-db', kind: 'note', data: { text: 'second' } }]),
            isUserErrorMentioning('refused by the test trigger', 'nothing was added to INC-1'),
          );
          assert.deepEqual(await store.get(id), before);
        });

        it('migrations are applied once, even by servers opening the database at the same time', async () => {
          const versions = () => adminQuery(place, 'select version, applied_at from incident_schema_versions order by version');
          const applied = await versions();
          assert.deepEqual(applied.map((r) => r.version), [1]);
          const incident = await store.create(newIncident('checkout down'), 'alice');
          const again = await openStore();
          assert.deepEqual(await versions(), applied);
          assert.deepEqual(await again.get(incident.id), incident);

          const fresh = postgres!.urlOf('incidents_raced');
          await adminQuery(postgres!.url, `create database ${databaseOf(fresh)}`);
          const racing = await Promise.all([1, 2, 3].map(() => PostgresIncidentStore.open(fresh)));
          opened.push(...racing);
          assert.deepEqual((await adminQuery(fresh, 'select version from incident_schema_versions')).map((r) => r.version), [1]);
          assert.equal((await racing[2]!.create(newIncident('after the race'), 'alice')).id, 'INC-1');
        });

        it('the password is in no description, health report or error', async () => {
          assert.ok(place.includes(postgres!.password), 'the test URL carries the password');
          const description = store.describe();
          assert.ok(description.includes(hostPort()) && description.includes(databaseOf(place)), description);
          noPassword(description);
          const health = await store.health();
          assert.equal(health.ok, true, health.detail);
          noPassword(health.detail!);

          const wrong = place.replace(postgres!.password, 'not-the-password');
          await assert.rejects(PostgresIncidentStore.open(wrong), (err) => {
            isUserErrorMentioning(hostPort(), 'password')(err);
            assert.ok(!(err as Error).message.includes('not-the-password'), (err as Error).message);
            return true;
          });
          await assert.rejects(PostgresIncidentStore.open(postgres!.urlOf('no_such_db')), (err) => {
            isUserErrorMentioning(hostPort(), 'no_such_db', 'createdb')(err);
            noPassword((err as Error).message);
            return true;
          });
        });

        it('an unreachable server or a malformed URL is a UserError saying what to check', async () => {
          const closedPort = postgres!.urlOf('incidents').replace(`:${postgres!.port}/`, ':1/');
          const started = Date.now();
          await assert.rejects(PostgresIncidentStore.open(closedPort), isUserErrorMentioning('unavailable', '127.0.0.1:1', 'running'));
          assert.ok(Date.now() - started < 6000);
          await assert.rejects(PostgresIncidentStore.open('not a url secret'), (err) => {
            isUserErrorMentioning('postgres://user:password@host:5432/database')(err);
            assert.ok(!(err as Error).message.includes('secret'));
            return true;
          });
          await assert.rejects(PostgresIncidentStore.open('mysql://u:p@h/db'), isUserErrorMentioning('postgres://'));
          await assert.rejects(PostgresIncidentStore.open('postgres://u:%zz@h/db'), isUserErrorMentioning('%-escape'));
        });
      }
    });
  }
});
