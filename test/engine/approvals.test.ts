// The client manager answers a server's approval question (MCP elicitation) through the callback it is given:
// with the bundled incidents server, a remediation step runs only when the callback says yes, and the callback
// sees the exact argv. Forms it cannot put as a yes/no question are declined.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import { decide, type ApprovalRequest } from '../../src/engine/mcp/approvals';
import { repoRoot } from '../support/servers';

describe('approvals asked by a server', function () {
  this.timeout(30_000);
  let workspace: string;
  let manager: McpClientManager;
  const asked: ApprovalRequest[] = [];
  let answer = false;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-'));
    fs.mkdirSync(path.join(workspace, '.incident-analyzer'));
    fs.writeFileSync(
      path.join(workspace, '.incident-analyzer', 'runbooks.yaml'),
      `steps:\n  touch:\n    description: Leave a mark\n    program: ${JSON.stringify(process.execPath)}\n` +
        `    args: ["-e", "require('fs').writeFileSync(process.argv[1], 'x')", "{file}"]\n` +
        `    parameters:\n      file: { type: string }\n    changes: true\n`,
    );
    manager = new McpClientManager(
      [{ name: 'incidents', type: 'stdio', command: process.execPath, args: [path.join(repoRoot, 'dist', 'servers', 'incidents.js'), '--workspace', workspace], env: {} }],
      {
        approvals: async (request) => {
          asked.push(request);
          return answer;
        },
      },
    );
    await manager.start();
  });
  after(async () => {
    await manager?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('runs a step only after a yes, and shows the exact argv to whoever asks', async () => {
    const created = await manager.callTool('create_incident', { title: 't', severity: 'SEV3', service: 's', summary: 's' });
    const id = (created.structured as { incident: { id: string } }).incident.id;
    const mark = path.join(workspace, 'mark with spaces; $(id)');

    answer = false;
    const refused = await manager.callTool('execute_remediation', { id, step: 'touch', parameters: { file: mark }, dry_run: false });
    assert.ok(refused.isError);
    assert.match(refused.text, /Not run: the user chose decline/);
    assert.equal(fs.existsSync(mark), false);

    answer = true;
    const ran = await manager.callTool('execute_remediation', { id, step: 'touch', parameters: { file: mark }, dry_run: false });
    assert.ok(!ran.isError, ran.text);
    assert.ok(fs.existsSync(mark));

    assert.equal(asked.length, 2);
    assert.equal(asked[1]!.server, 'incidents');
    assert.match(asked[1]!.message, /Run remediation step "touch"/);
    assert.deepEqual(asked[1]!.remediation?.argv.at(-1), mark);
    assert.equal(asked[1]!.remediation?.step, 'touch');
    assert.equal(asked[1]!.remediation?.changes, true);
  });

  it('declines what is not a yes/no question, and a callback that fails', async () => {
    const signal = new AbortController().signal;
    const yes = async () => true;
    const form = { message: 'Your name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const }, age: { type: 'number' as const } } } };
    assert.deepEqual(await decide(form, 'x', yes, signal), { action: 'decline' });
    const url = { mode: 'url' as const, message: 'Open this', url: 'https://example.com', elicitationId: '1' };
    assert.deepEqual(await decide(url, 'x', yes, signal), { action: 'decline' });
    const question = { message: 'OK?', requestedSchema: { type: 'object' as const, properties: { ok: { type: 'boolean' as const } } } };
    assert.deepEqual(await decide(question, 'x', yes, signal), { action: 'accept', content: { ok: true } });
    assert.deepEqual(await decide(question, 'x', async () => Promise.reject(new Error('dialog failed')), signal), { action: 'decline' });
  });
});
