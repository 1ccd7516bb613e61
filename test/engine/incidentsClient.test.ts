// The extension's incidents client (the part without vscode) against the real bundled incidents server: what the
// Incidents view lists, a remediation step approved or declined through the approval callback (whose dialog text
// is checked too), the journal document with the step's output, the postmortem file and a webhook delivery.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ApprovalRequest } from '../../src/engine/mcp/approvals';
import { dialogText } from '../../src/extension/incidents/approvalText';
import { IncidentsClient, IncidentsError } from '../../src/extension/incidents/incidentsClient';
import { journalText } from '../../src/extension/incidents/journalText';
import { freePort } from '../support/ports';
import { postgresOrSkip, startPostgres, type RunningPostgres } from '../support/postgres';
import { repoRoot } from '../support/servers';

const REPORT = {
  rootCause: { summary: 'Pool size cut to 5 in a3f9', category: 'db-connection-pool-exhaustion', confidence: 'high', suspectCommit: null, suspectDeployment: null, onset: '2026-02-17T14:45:00Z' },
  timeline: [],
  evidence: [],
  recommendations: ['Roll back'],
};

describe("the extension's incidents client, on the real incidents server", function () {
  this.timeout(60_000);
  let workspace: string;
  let client: IncidentsClient;
  let env: Record<string, string> = {};
  const asked: ApprovalRequest[] = [];
  let answer = true;

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'incidents-client-'));
    fs.mkdirSync(path.join(workspace, '.incident-analyzer'));
    fs.writeFileSync(
      path.join(workspace, '.incident-analyzer', 'runbooks.yaml'),
      `steps:
  echo-args:
    description: Print its arguments, one per line
    program: ${JSON.stringify(process.execPath)}
    args: ["-e", "console.log('\\u001b[31mred'); for (const a of process.argv.slice(1)) console.log(a)", "{first}", "{count}"]
    parameters:
      first: { type: string, max_length: 200 }
      count: { type: integer, minimum: 1, maximum: 5 }
    timeout_seconds: 20
    changes: true
`,
    );
    client = new IncidentsClient({
      serverScript: path.join(repoRoot, 'dist', 'servers', 'incidents.js'),
      nodePath: process.execPath,
      workspace,
      env: async () => env,
      approvals: async (request) => {
        asked.push(request);
        return answer;
      },
      author: () => 'alice',
    });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('creates an incident from a report and lists it; the journal names the author', async () => {
    const incident = await client.create({ title: 'Checkout 500s', severity: 'SEV2', service: 'checkout', summary: REPORT.rootCause.summary, report: REPORT });
    assert.equal(incident.id, 'INC-1');
    const [listed] = await client.list();
    assert.deepEqual([listed?.id, listed?.severity, listed?.status, listed?.entries], ['INC-1', 'SEV2', 'investigating', 1]);
    assert.equal((await client.get('INC-1')).journal[0]?.author, 'alice');
  });

  it('offers the runbook steps, runs one after approval with the exact argv in the dialog, and shows its output in the journal', async () => {
    const [step] = await client.steps();
    assert.equal(step?.name, 'echo-args');
    assert.deepEqual(Object.keys(step?.parameters ?? {}), ['first', 'count']);
    const hostile = `it's "$(rm -rf ~)"; echo > /etc/passwd`;
    const run = await client.runStep('INC-1', 'echo-args', { first: hostile, count: 2 });
    assert.deepEqual([run.ran, run.isError, run.summary], [true, false, 'step "echo-args" exited 0'], run.text);
    assert.equal(asked.length, 1);
    const { title, detail } = dialogText(asked[0]!);
    assert.equal(title, 'Run remediation step "echo-args" for INC-1?');
    assert.ok(detail.includes(`Argument 3: ${JSON.stringify(hostile)}`), detail);
    assert.ok(detail.includes('Argument 4: "2"'), detail);
    assert.match(detail, /This step CHANGES things\./);
    assert.match(detail, /^Program: ".*node[^"]*"$/m);

    const text = journalText(await client.get('INC-1'));
    assert.match(text, /^INC-1 · Checkout 500s$/m);
    assert.match(text, /^Root cause \(from the analysis\) \[db-connection-pool-exhaustion\]: as above$/m);
    assert.match(text, /approved step "echo-args"/);
    assert.match(text, /step "echo-args" exited 0\n {4}stdout:\n {6}\[31mred\n {6}it's "\$\(rm -rf ~\)"; echo > \/etc\/passwd\n {6}2$/m, 'the output, without the escape character');
    assert.doesNotMatch(text, /\u001b/);
  });

  it('a declined step is an outcome, not an exception; an undeclared step is an error that says which exist', async () => {
    answer = false;
    const declined = await client.runStep('INC-1', 'echo-args', { first: 'x', count: 1 });
    assert.deepEqual([declined.ran, declined.isError], [false, true]);
    assert.match(declined.text, /Not run/);
    assert.equal(declined.summary, 'step "echo-args" was not run: the user chose decline');
    await assert.rejects(client.runStep('INC-1', 'drop-db', {}), (err: Error) => err instanceof IncidentsError && /the steps declared there are: echo-args/.test(err.message));
    answer = true;
  });

  it('writes the postmortem and says where', async () => {
    const file = await client.postmortem('INC-1', { impact: 'Checkout failed for 12 minutes' });
    assert.equal(path.dirname(file), path.join(workspace, 'incident-reports'));
    assert.match(fs.readFileSync(file, 'utf8'), /Checkout failed for 12 minutes/);
  });

  it('notifies through the webhook set after the server started (a restart reads it), and says when none is set', async () => {
    await assert.rejects(client.notify('INC-1', 'hello'), /no team webhook is configured/);
    const received: unknown[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      env = { INCIDENT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/secret` };
      await client.restart();
      const said = await client.notify('INC-1', 'Rolling back');
      assert.match(said, /^Notified/);
      assert.deepEqual(
        received.map((r) => ({ ...(r as object), sentAt: undefined })),
        [{ incident: { id: 'INC-1', title: 'Checkout 500s', severity: 'SEV2', status: 'investigating', service: 'checkout' }, message: 'Rolling back', sentAt: undefined }],
      );
    } finally {
      receiver.close();
    }
  });

  it('a server that cannot start is a clear error, and the next call tries again', async () => {
    const broken = new IncidentsClient({
      serverScript: path.join(workspace, 'no-such-server.js'),
      nodePath: process.execPath,
      workspace,
      env: async () => ({}),
      approvals: async () => false,
      author: () => 'bob',
    });
    try {
      await assert.rejects(broken.list(), (err: Error) => err instanceof IncidentsError && /the incidents server did not start/.test(err.message));
      await assert.rejects(broken.list(), /the incidents server did not start/);
    } finally {
      await broken.dispose();
    }
  });
});

describe("the extension's incidents client on a team's PostgreSQL (INCIDENT_POSTGRES_URL, as Set Incidents Database gives it)", function () {
  this.timeout(120_000);
  let postgres: RunningPostgres | undefined;
  const folders: string[] = [];
  const clients: IncidentsClient[] = [];
  const clientOn = (url: string, author: string) => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `incidents-${author}-`));
    folders.push(workspace);
    const client = new IncidentsClient({
      serverScript: path.join(repoRoot, 'dist', 'servers', 'incidents.js'),
      nodePath: process.execPath,
      workspace,
      env: async () => ({ INCIDENT_POSTGRES_URL: url }),
      approvals: async () => false,
      author: () => author,
    });
    clients.push(client);
    return { client, workspace };
  };

  before(async function () {
    postgres = await startPostgres(postgresOrSkip(this));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
    postgres?.remove();
  });

  it("two engineers' clients, in two checkouts, share the incidents; nothing is written into either folder", async () => {
    const alice = clientOn(postgres!.url, 'alice');
    const bob = clientOn(postgres!.url, 'bob');
    const created = await alice.client.create({ title: 'Checkout 500s', severity: 'SEV1', service: 'checkout', summary: REPORT.rootCause.summary, report: REPORT });
    const [seen] = await bob.client.list();
    assert.deepEqual([seen?.id, seen?.title, seen?.severity], [created.id, 'Checkout 500s', 'SEV1']);
    await bob.client.addNote(created.id, 'rolling back v2.14.0');
    const journal = (await alice.client.get(created.id)).journal;
    assert.deepEqual(journal.map((e) => e.author), ['alice', 'bob']);
    for (const folder of [alice.workspace, bob.workspace]) assert.equal(fs.existsSync(path.join(folder, '.incident-analyzer', 'incidents')), false);
  });

  it('a database that cannot be reached is an error naming where, never the password', async () => {
    const port = await freePort();
    const { client } = clientOn(`postgres://app:${postgres!.password}@127.0.0.1:${port}/incidents`, 'carol');
    await assert.rejects(client.list(), (err: Error) => {
      assert.ok(err instanceof IncidentsError, String(err));
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.ok(!err.message.includes(postgres!.password), err.message);
      return true;
    });
  });
});
