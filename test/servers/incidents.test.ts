// The incidents server as a real process over stdio, with SDK clients that can (or cannot) show an approval:
// the journal, runbook steps under approval (dry run, approve, decline, bad input, time limit, bounded output),
// the postmortem and the team webhook against a local receiver.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ElicitRequestSchema, type CallToolResult, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import MarkdownIt from 'markdown-it';
import { connectHttpClient, startHttpServer, type HttpServerProcess } from '../support/httpServers';
import { postgresOrSkip, startPostgres, type RunningPostgres } from '../support/postgres';
import { repoRoot, structuredOf, textOf } from '../support/servers';

type Approver = (message: string) => ElicitResult;

interface IncidentsClient {
  call(tool: string, args?: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult>;
  /** The approval prompts the client was shown, and the argv each one carried. */
  prompts: string[];
  argvs: string[][];
  close(): Promise<void>;
}

async function connect(workspace: string, options: { approver?: Approver; env?: Record<string, string>; name?: string } = {}): Promise<IncidentsClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(repoRoot, 'dist', 'servers', 'incidents.js'), '--workspace', workspace],
    env: { ...getDefaultEnvironment(), ...options.env },
    stderr: 'pipe',
  });
  const client = new Client(
    { name: options.name ?? 'incident-tests', version: '0.0.0' },
    { capabilities: options.approver ? { elicitation: {} } : {} },
  );
  const prompts: string[] = [];
  const argvs: string[][] = [];
  if (options.approver) {
    const approver = options.approver;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const message = (request.params as { message: string }).message;
      prompts.push(message);
      argvs.push((request.params._meta?.['incident-analyzer/remediation'] as { argv: string[] }).argv);
      return approver(message);
    });
  }
  await client.connect(transport);
  return {
    async call(tool, args = {}, signal) {
      return (await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, { signal })) as CallToolResult;
    },
    prompts,
    argvs,
    close: () => client.close(),
  };
}

const approve: Approver = () => ({ action: 'accept', content: { approve: true } });
const decline: Approver = () => ({ action: 'decline' });

/** A runbook whose steps run this Node: one writes its argument into a file, so a test can see what it received. */
function writeRunbooks(workspace: string): void {
  const node = JSON.stringify(process.execPath);
  fs.mkdirSync(path.join(workspace, '.incident-analyzer'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.incident-analyzer', 'runbooks.yaml'),
    `steps:
  record-message:
    description: Write a message into a file (stands in for a real fix)
    program: ${node}
    args: ["-e", "require('fs').writeFileSync(process.argv[1], process.argv[2]); console.log('wrote', process.argv[2])", "{target}", "{message}"]
    parameters:
      target: { type: string, pattern: "[\\\\w./-]+" }
      message: { type: string, max_length: 500 }
    timeout_seconds: 20
    changes: true
  scale:
    description: Scale a deployment
    program: ${node}
    args: ["-e", "console.log('replicas', process.argv[1], process.argv[2])", "{deployment}", "{replicas}"]
    parameters:
      deployment: { type: enum, values: [checkout, payments] }
      replicas: { type: integer, minimum: 1, maximum: 20 }
    changes: true
  hang:
    description: Never finishes
    program: ${node}
    args: ["-e", "setInterval(() => {}, 1000)"]
    timeout_seconds: 1
    changes: false
  long-fix:
    description: Writes its pid into a file, then works for a long time
    program: ${node}
    args: ["-e", "require('fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)", "{pidfile}"]
    parameters:
      pidfile: { type: string, pattern: "[\\\\w./-]+" }
    timeout_seconds: 300
    changes: true
  chatty:
    description: Prints a lot
    program: ${node}
    args: ["-e", "process.stdout.write('x'.repeat(100000))"]
    changes: false
  print-env:
    description: Prints the names of the variables it sees
    program: ${node}
    args: ["-e", "console.log(Object.keys(process.env).sort().join(' '))"]
    changes: false
`,
  );
}

const REPORT = {
  rootCause: {
    summary: 'Pool size cut to 5 in a3f9 <img src=x onerror=alert(1)>',
    category: 'db-connection-pool-exhaustion',
    confidence: 'high',
    suspectCommit: 'a3f9c2d17b8e4a60b5c1d2e3f4a5b6c7d8e9f001',
    suspectDeployment: 'v1.4.2',
    onset: '2026-02-17T14:45:00Z',
  },
  timeline: [],
  evidence: [{ id: 'E1', kind: 'log', file: 'api.log', line: 42, text: 'ERROR pool exhausted [click](javascript:alert(1))' }],
  recommendations: ['Roll back v1.4.2'],
};

describe('incidents server', function () {
  this.timeout(60_000);
  let workspace: string;
  let alice: IncidentsClient;
  let id: string;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'incidents-'));
    writeRunbooks(workspace);
    alice = await connect(workspace, { approver: approve, name: 'alice-vscode' });
  });
  after(async () => {
    await alice?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('opens an incident from a report, and journals every change with its time and author', async () => {
    const created = structuredOf(
      await alice.call('create_incident', { title: 'Checkout 500s', severity: 'sev2', service: 'checkout', summary: 'Checkout fails for 30% of users', report: REPORT }),
    );
    id = created.incident.id;
    assert.equal(id, 'INC-1');
    assert.equal(created.incident.status, 'investigating');
    assert.equal(created.incident.severity, 'SEV2');
    await alice.call('update_incident', { id, status: 'identified', note: 'pool exhaustion', author: 'alice@example.com' });
    await alice.call('add_timeline_entry', { id, text: 'Paged the DB team' });
    const same = await alice.call('update_incident', { id, status: 'identified' });
    assert.ok(same.isError);
    assert.match(textOf(same), /nothing to change/);

    const incident = structuredOf(await alice.call('get_incident', { id: 'inc-1' })).incident;
    assert.equal(incident.status, 'identified');
    assert.deepEqual(
      incident.journal.map((e: { seq: number; kind: string; author: string }) => [e.seq, e.kind, e.author]),
      [
        [1, 'created', 'alice-vscode'],
        [2, 'status', 'alice@example.com'],
        [3, 'note', 'alice-vscode'],
      ],
    );
    assert.deepEqual(incident.journal[1].data, { from: 'investigating', to: 'identified', note: 'pool exhaustion' });
    // The journal is a file in the workspace, one JSON entry per line.
    const lines = fs.readFileSync(path.join(workspace, '.incident-analyzer', 'incidents', 'INC-1.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 3);

    const listed = structuredOf(await alice.call('list_incidents', { status: 'Identified' })).incidents;
    assert.deepEqual(listed.map((i: { id: string }) => i.id), ['INC-1']);
    assert.equal(structuredOf(await alice.call('list_incidents', { status: 'resolved' })).incidents.length, 0);
    const missing = await alice.call('get_incident', { id: 'INC-99' });
    assert.ok(missing.isError);
    assert.match(textOf(missing), /no incident INC-99/);
  });

  it('lists the declared steps with their typed parameters, so a client can ask for them', async () => {
    const result = await alice.call('list_remediation_steps');
    assert.ok(!result.isError, textOf(result));
    const steps = structuredOf(result).steps as Array<{ name: string; changes: boolean; timeoutSeconds: number; parameters: Record<string, { type: string }> }>;
    assert.deepEqual(steps.map((s) => s.name), ['record-message', 'scale', 'hang', 'long-fix', 'chatty', 'print-env']);
    const scale = steps[1]!;
    assert.deepEqual(Object.fromEntries(Object.entries(scale.parameters).map(([n, p]) => [n, p.type])), { deployment: 'enum', replicas: 'integer' });
    assert.equal(scale.changes, true);
    assert.equal(steps[2]!.timeoutSeconds, 1);
    assert.match(textOf(result), /^scale: Scale a deployment \(changes things; deployment \(one of checkout, payments\), replicas \(an integer ≥ 1 ≤ 20\)\)$/m);
  });

  it('a dry run shows the exact command and runs nothing', async () => {
    const target = path.join(workspace, 'marker-dry.txt');
    const result = await alice.call('execute_remediation', { id, step: 'record-message', parameters: { target, message: 'hello' } });
    assert.ok(!result.isError, textOf(result));
    const answer = structuredOf(result);
    assert.equal(answer.dryRun, true);
    assert.deepEqual(answer.argv.slice(-2), [target, 'hello']);
    assert.match(textOf(result), /dry_run: false/);
    assert.equal(fs.existsSync(target), false);
    assert.equal(alice.prompts.length, 0, 'a dry run asks nothing');
  });

  it('a real run asks for approval showing the exact command, passes shell characters as data, and journals the output', async () => {
    const target = path.join(workspace, 'marker.txt');
    const hostile = `$(touch ${path.join(workspace, 'pwned')}); echo "x" | cat > /dev/null && rm -rf ~ \`id\``;
    const result = await alice.call('execute_remediation', { id, step: 'record-message', parameters: { target, message: hostile }, dry_run: false });
    assert.ok(!result.isError, textOf(result));
    assert.equal(fs.readFileSync(target, 'utf8'), hostile, 'the program received the text as one argument');
    assert.equal(fs.existsSync(path.join(workspace, 'pwned')), false, 'nothing was interpreted by a shell');
    assert.equal(alice.prompts.length, 1);
    assert.match(alice.prompts[0]!, /Run remediation step "record-message" for INC-1\?/);
    assert.ok(alice.prompts[0]!.includes(target), 'the prompt shows the exact arguments');
    assert.match(alice.prompts[0]!, /CHANGES things/);
    assert.deepEqual(alice.argvs[0]!.slice(-2), [target, hostile], 'and gives the argv for a dialog to list');
    const journal = structuredOf(await alice.call('get_incident', { id })).incident.journal;
    const kinds = journal.map((e: { kind: string }) => e.kind);
    assert.deepEqual(kinds.slice(-2), ['remediation_approved', 'remediation_result']);
    const outcome = journal[journal.length - 1].data;
    assert.equal(outcome.exitCode, 0);
    assert.match(outcome.stdout, /^wrote \$\(touch/);
  });

  it('no approval, no run: declined, or a client that cannot ask', async () => {
    const target = path.join(workspace, 'never.txt');
    const bob = await connect(workspace, { approver: decline, name: 'bob-cli' });
    const carol = await connect(workspace, { name: 'carol-agent' });
    try {
      const declined = await bob.call('execute_remediation', { id, step: 'record-message', parameters: { target, message: 'x' }, dry_run: false });
      assert.ok(declined.isError);
      assert.match(textOf(declined), /Not run: the user chose decline/);
      const cannot = await carol.call('execute_remediation', { id, step: 'record-message', parameters: { target, message: 'x' }, dry_run: false });
      assert.ok(cannot.isError);
      assert.match(textOf(cannot), /cannot ask the user for approval/);
      assert.equal(fs.existsSync(target), false);
      const journal = structuredOf(await bob.call('get_incident', { id })).incident.journal;
      const declines = journal.filter((e: { kind: string }) => e.kind === 'remediation_declined');
      assert.deepEqual(declines.map((e: { author: string }) => e.author), ['bob-cli', 'carol-agent']);
    } finally {
      await bob.close();
      await carol.close();
    }
  });

  it('an undeclared step, a wrong or unknown parameter: a clear error and no run', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ step: 'drop-database' }, /"drop-database" is not a step of .*runbooks\.yaml; the steps declared there are: record-message, scale, hang, long-fix, chatty, print-env/],
      [{ step: 'scale', parameters: { deployment: 'checkout', replicas: 'lots' } }, /parameter "replicas": "lots" is not a number/],
      [{ step: 'scale', parameters: { deployment: 'checkout', replicas: 50 } }, /50 is above 20/],
      [{ step: 'scale', parameters: { deployment: 'checkout; rm -rf /', replicas: 2 } }, /is not one of the values \(expected one of checkout, payments\)/],
      [{ step: 'scale', parameters: { deployment: 'checkout' } }, /needs the parameter "replicas"/],
      [{ step: 'scale', parameters: { deployment: 'checkout', replicas: 2, force: true } }, /has no parameter "force"/],
      [{ step: 'record-message', parameters: { target: '/tmp/a b', message: 'x' } }, /does not match/],
    ];
    for (const [args, expected] of cases) {
      const result = await alice.call('execute_remediation', { id, dry_run: false, ...args });
      assert.ok(result.isError, JSON.stringify(args));
      assert.match(textOf(result), expected);
    }
    const ok = structuredOf(await alice.call('execute_remediation', { id, step: 'scale', parameters: { deployment: 'payments', replicas: '3' } }));
    assert.deepEqual(ok.argv.slice(-2), ['payments', '3']);
  });

  it('a runbook file that does not parse is an error naming the line', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'incidents-bad-'));
    fs.mkdirSync(path.join(other, '.incident-analyzer'));
    fs.writeFileSync(path.join(other, '.incident-analyzer', 'runbooks.yaml'), 'steps:\n  a:\n    program: [unclosed\n');
    const dave = await connect(other);
    try {
      const created = structuredOf(await dave.call('create_incident', { title: 't', severity: 'SEV4', service: 's', summary: 's' }));
      const result = await dave.call('execute_remediation', { id: created.incident.id, step: 'a' });
      assert.ok(result.isError);
      assert.match(textOf(result), /runbooks\.yaml is not valid YAML at line \d/);
      fs.writeFileSync(path.join(other, '.incident-analyzer', 'runbooks.yaml'), 'steps:\n  a:\n    description: x\n    program: ./fix.sh\n    changes: true\n');
      assert.match(textOf(await dave.call('execute_remediation', { id: created.incident.id, step: 'a' })), /must be a bare name .* or an absolute path/);
    } finally {
      await dave.close();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('a step past its time limit is stopped; a chatty one has its output bounded', async () => {
    const started = Date.now();
    const hung = await alice.call('execute_remediation', { id, step: 'hang', dry_run: false });
    assert.ok(hung.isError);
    assert.match(textOf(hung), /stopped after its time limit/);
    assert.ok(Date.now() - started < 10_000);
    const chatty = structuredOf(await alice.call('execute_remediation', { id, step: 'chatty', dry_run: false }));
    assert.ok(chatty.stdout.length < 40_000);
    assert.match(chatty.stdout, /more bytes not kept/);
  });

  describe('a step stopped before its end is killed, not left running unobserved, and its end is journaled', () => {
    const running = async (pidfile: string) => {
      for (let i = 0; i < 200 && !fs.existsSync(pidfile); i++) await sleep(50);
      return Number(fs.readFileSync(pidfile, 'utf8'));
    };
    const gone = async (pid: number) => {
      for (let i = 0; i < 120 && alive(pid); i++) await sleep(50);
      return !alive(pid);
    };
    const lastResult = async () => {
      for (let i = 0; i < 100; i++) {
        const journal = structuredOf(await alice.call('get_incident', { id })).incident.journal as Array<{ kind: string; data: Record<string, unknown> }>;
        const last = journal[journal.length - 1]!;
        if (last.kind === 'remediation_result') return last.data;
        await sleep(50);
      }
      throw new Error('no remediation_result was journaled');
    };

    it('when the client cancels the call', async () => {
      const pidfile = path.join(workspace, 'cancelled.pid');
      const cancel = new AbortController();
      const call = alice.call('execute_remediation', { id, step: 'long-fix', parameters: { pidfile }, dry_run: false }, cancel.signal).catch((err: Error) => err);
      const pid = await running(pidfile);
      cancel.abort();
      assert.ok((await call) instanceof Error, 'the call ends at once for the client');
      assert.ok(await gone(pid), `the step (pid ${pid}) was killed`);
      const result = await lastResult();
      assert.match(String(result.interrupted), /the call was cancelled/);
      assert.equal(result.exitCode, null);
    });

    it('when its server stops (the client closed it): the server waits for the step to end and journals it', async () => {
      const pidfile = path.join(workspace, 'server-stopped.pid');
      const bob = await connect(workspace, { approver: approve, name: 'bob-vscode' });
      const call = bob.call('execute_remediation', { id, step: 'long-fix', parameters: { pidfile }, dry_run: false }).catch((err: Error) => err);
      const pid = await running(pidfile);
      await bob.close();
      await call;
      assert.ok(await gone(pid), `the step (pid ${pid}) was killed, not orphaned`);
      const result = await lastResult();
      assert.match(String(result.interrupted), /the server was stopped \((its client went away|SIGTERM)\)/);
      assert.match(textOf(await alice.call('get_incident', { id })), /step "long-fix" was stopped: the server was stopped/);
    });
  });

  it('writes the postmortem under incident-reports/, never over an existing one, with the report escaped', async () => {
    await alice.call('update_incident', { id, status: 'resolved' });
    const args = {
      id,
      impact: '30% of checkouts failed for 42 minutes',
      went_well: ['Alert fired within 2 minutes'],
      went_badly: ['The pool change had no review'],
      action_items: [{ action: 'Add a pool-size check to CI', owner: 'alice', due: '2026-03-01' }],
    };
    const first = structuredOf(await alice.call('document_resolution', args));
    const second = structuredOf(await alice.call('document_resolution', args));
    assert.equal(first.path, path.join(workspace, 'incident-reports', 'INC-1-postmortem.md'));
    assert.equal(second.path, path.join(workspace, 'incident-reports', 'INC-1-postmortem-2.md'));
    const markdown = fs.readFileSync(first.path, 'utf8');
    for (const heading of ['## Summary', '## Impact', '## Timeline', '## Root cause', '### Evidence', '## What went well', '## What went badly', '## Action items']) {
      assert.ok(markdown.includes(heading), heading);
    }
    assert.match(markdown, /a3f9c2d17b8e4a60b5c1d2e3f4a5b6c7d8e9f001/);
    assert.ok(markdown.includes('| Add a pool-size check to CI | alice | 2026-03-01 |'), 'plain text stays readable: only syntax is escaped');
    assert.match(markdown, /api\.log:42/);
    // Rendered even with raw HTML allowed, the text from the report makes no element and no link.
    const html = new MarkdownIt({ html: true }).render(markdown);
    assert.doesNotMatch(html, /<img|<a /, 'HTML and links from the report stay text');
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(markdown, /status identified → resolved/);
  });
});

describe('incidents server: notifying the team', function () {
  this.timeout(60_000);
  let workspace: string;
  let receiver: http.Server;
  let received: Array<{ body: unknown }> = [];
  let answers: number[] = [];

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'incidents-notify-'));
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const status = answers.shift() ?? 200;
        if (status === 0) return; // never answers
        received.push({ body: JSON.parse(body) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  });
  after(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    fs.rmSync(workspace, { recursive: true, force: true });
  });
  beforeEach(() => {
    received = [];
    answers = [];
  });

  const hook = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/services/T000/B000/secretpart`;

  it('posts a Slack-compatible message, retrying a receiver that fails at first, and journals the delivery', async () => {
    writeRunbooks(workspace);
    const client = await connect(workspace, { env: { INCIDENT_WEBHOOK_URL: hook(), INCIDENT_WEBHOOK_FORMAT: 'slack' }, approver: approve });
    try {
      const { incident } = structuredOf(await client.call('create_incident', { title: 'Checkout <down>', severity: 'SEV1', service: 'checkout', summary: 's' }));
      answers = [500, 503];
      const result = await client.call('notify_team', { id: incident.id, message: 'Rolling back v1.4.2' });
      assert.ok(!result.isError, textOf(result));
      assert.equal(structuredOf(result).attempts, 3);
      const expected = { text: `${incident.id} [SEV1, investigating] Checkout &lt;down&gt;\nRolling back v1.4.2` };
      assert.deepEqual(received.map((r) => r.body), [expected, expected, expected], 'the same message, three times');
      assert.doesNotMatch(textOf(result), /secretpart/, 'the webhook path is a secret');
      const entry = structuredOf(await client.call('get_incident', { id: incident.id })).incident.journal.at(-1);
      assert.equal(entry.kind, 'notification');
      assert.equal(entry.data.delivered, true);
      assert.doesNotMatch(JSON.stringify(entry), /secretpart/);
      // A runbook program sees the environment, but not the server's secrets.
      const printed = structuredOf(await client.call('execute_remediation', { id: incident.id, step: 'print-env', dry_run: false }));
      assert.equal(printed.exitCode, 0);
      assert.match(printed.stdout, /\bPATH\b/);
      assert.doesNotMatch(printed.stdout, /INCIDENT_/);
    } finally {
      await client.close();
    }
  });

  it('a receiver that keeps failing or never answers: the failure is in the journal, and said', async () => {
    const client = await connect(workspace, { env: { INCIDENT_WEBHOOK_URL: hook(), INCIDENT_WEBHOOK_FORMAT: 'json', INCIDENT_WEBHOOK_TIMEOUT_SECONDS: '0.3' } });
    try {
      const { incident } = structuredOf(await client.call('create_incident', { title: 't', severity: 'SEV3', service: 's', summary: 's' }));
      answers = [500, 500, 500, 500];
      const failed = await client.call('notify_team', { id: incident.id, message: 'm' });
      assert.ok(failed.isError);
      assert.match(textOf(failed), /after 4 attempt\(s\): the webhook answered HTTP 500/);
      answers = [0, 0, 0, 0];
      const silent = await client.call('notify_team', { id: incident.id, message: 'm' });
      assert.match(textOf(silent), /no answer within 0\.3 s/);
      answers = [400];
      const rejected = structuredOf({ ...(await client.call('notify_team', { id: incident.id, message: 'm' })), isError: false });
      assert.equal(rejected.attempts, 1, 'a 4xx is not retried');
      const journal = structuredOf(await client.call('get_incident', { id: incident.id })).incident.journal;
      assert.deepEqual(journal.filter((e: { kind: string }) => e.kind === 'notification').map((e: { data: { delivered: boolean } }) => e.data.delivered), [false, false, false]);
      assert.ok(received.some((r) => (r.body as { incident?: { id: string } }).incident?.id === incident.id), 'the generic JSON payload names the incident');
    } finally {
      await client.close();
    }
  });

  it('without a webhook: says how to set one', async () => {
    const client = await connect(workspace);
    try {
      const result = await client.call('notify_team', { id: 'INC-1', message: 'm' });
      assert.ok(result.isError);
      assert.match(textOf(result), /set INCIDENT_WEBHOOK_URL/);
    } finally {
      await client.close();
    }
  });
});

describe('incidents server on PostgreSQL, in service mode', function () {
  this.timeout(60_000);
  let postgres: RunningPostgres | undefined;
  let server: HttpServerProcess | undefined;
  let workspace: string;

  before(async function () {
    const binaries = postgresOrSkip(this);
    postgres = await startPostgres(binaries);
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'incidents-pg-'));
  });
  after(async () => {
    await server?.stop();
    postgres?.remove();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('keeps the journal in the database, serves /health, and never shows the password', async () => {
    server = await startHttpServer('incidents', ['--workspace', workspace], { INCIDENT_POSTGRES_URL: postgres!.url });
    assert.doesNotMatch(server.stderr(), new RegExp(postgres!.password));
    const health = JSON.parse(await (await fetch(`${server.url}/health`)).text());
    assert.equal(health.status, 'ok');
    assert.equal(health.source.kind, 'postgresql');
    assert.doesNotMatch(JSON.stringify(health), new RegExp(postgres!.password));
    const client = await connectHttpClient(server.url);
    try {
      const call = async (tool: string, args: Record<string, unknown>) => (await client.callTool({ name: tool, arguments: args }, CallToolResultSchema)) as CallToolResult;
      const { incident } = structuredOf(await call('create_incident', { title: 'DB', severity: 'SEV2', service: 'ledger', summary: 's' }));
      await call('update_incident', { id: incident.id, status: 'monitoring' });
      const stored = structuredOf(await call('get_incident', { id: incident.id })).incident;
      assert.deepEqual(stored.journal.map((e: { kind: string }) => e.kind), ['created', 'status']);
      assert.equal(fs.existsSync(path.join(workspace, '.incident-analyzer', 'incidents')), false, 'nothing went to files');
      postgres!.stop();
      // /health keeps an answer for 2 s, so it may take that long to say the database is gone.
      let down = '';
      for (let i = 0; i < 40 && down !== 'unavailable'; i++, await new Promise((r) => setTimeout(r, 200))) {
        down = JSON.parse(await (await fetch(`${server.url}/health`)).text()).status;
      }
      assert.equal(down, 'unavailable');
      const failed = await call('add_timeline_entry', { id: incident.id, text: 'while the database is down' });
      assert.ok(failed.isError);
      assert.match(textOf(failed), /127\.0\.0\.1:\d+/);
      assert.doesNotMatch(textOf(failed), new RegExp(postgres!.password));
      postgres!.restart();
      const after = structuredOf(await call('get_incident', { id: incident.id })).incident;
      assert.equal(after.journal.length, 2, 'the failed change left nothing behind');
    } finally {
      await client.close();
    }
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
