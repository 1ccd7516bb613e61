// Our servers in VS Code's own MCP registry: VS Code lists them, starts its own copies and calls their tools
// (vscode.lm.invokeTool, as agent mode does). VS Code 1.100 has no registry for extensions: nothing is offered there.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CULPRIT, EXTENSION_ID, api, misbehavingServer, setSetting, waitFor } from './helpers.js';

interface LmTool {
  name: string;
  tags: readonly string[];
}
// vscode.lm.tools / invokeTool are newer than the @types/vscode the extension builds against.
const lm = vscode.lm as unknown as {
  tools?: readonly LmTool[];
  invokeTool(name: string, options: { input: object; toolInvocationToken: undefined }): Thenable<{ content: unknown[] }>;
};
const hasRegistry = Number(/^1\.(\d+)/.exec(vscode.version)?.[1]) >= 101;

/** A definition's id in VS Code's registry: the extension's id and the server's label. */
const serverId = (label: string) => `${EXTENSION_ID}/${label}`;

async function startInVsCode(label: string): Promise<void> {
  // What the Start button of the MCP server list does; autoTrustChanges skips the prompt a person would answer.
  await vscode.commands.executeCommand('workbench.mcp.startServer', serverId(label), { autoTrustChanges: true, waitForLiveTools: true });
}

/** The MCP tool VS Code registered for one of our servers' tools. */
function chatTool(tool: string): LmTool | undefined {
  return lm.tools?.find((t) => t.tags.includes('mcp') && t.name.endsWith(`_${tool}`));
}

async function invoke(tool: LmTool, input: object): Promise<string> {
  const result = await lm.invokeTool(tool.name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => String((part as { value?: unknown }).value ?? '')).join('');
}

describe('our servers in VS Code chat', () => {
  if (!hasRegistry) {
    it(`VS Code ${vscode.version}: activation works, nothing is offered, and the reason is known`, async () => {
      const { controller } = await api();
      await controller.configured;
      assert.equal(controller.chatServers.registered, false);
      console.log(`      ${controller.chatServers.unavailable}`);
      assert.match(controller.chatServers.unavailable ?? '', /refused the MCP server provider|has no MCP server registry/);
      assert.deepEqual(controller.chatServers.listed, []);
      assert.deepEqual(controller.session!.statuses().filter((s) => s.state === 'ready').map((s) => s.name).sort(), ['git', 'logs', 'metrics']);
    });
    return;
  }

  after(async () => {
    for (const key of ['servers', 'offerServersToChat']) await setSetting(key, undefined);
  });

  it('VS Code lists the bundled servers, starts them and calls search_logs, get_commit and get_anomalies', async function () {
    this.timeout(120_000);
    const { controller } = await api();
    await controller.configured;
    assert.equal(controller.chatServers.registered, true, controller.chatServers.unavailable);
    assert.deepEqual(controller.chatServers.listed.map((s) => s.label), ['logs', 'git', 'metrics']);
    for (const label of ['logs', 'git', 'metrics']) await startInVsCode(label);
    const [search, commit, anomalies] = await waitFor('the tools of the three servers in vscode.lm.tools', () => {
      const tools = ['search_logs', 'get_commit', 'get_anomalies'].map(chatTool);
      return tools.every(Boolean) && (tools as LmTool[]);
    });
    const found = JSON.parse(await invoke(search!, { pattern: 'pool exhausted', max_results: 2 })) as { total: number; matches: Array<{ file: string }> };
    assert.ok(found.total > 2, JSON.stringify(found));
    assert.equal(found.matches[0]!.file, 'logs/api.log');
    assert.match(await invoke(commit!, { hash: CULPRIT }), new RegExp(CULPRIT.slice(0, 12)));
    assert.match(await invoke(anomalies!, {}), /error_rate|latency/);
  });

  it('a server from the settings is offered too; its environment reaches it only at launch', async function () {
    this.timeout(60_000);
    const { controller } = await api();
    await setSetting('servers', { chatcheck: { command: process.execPath, args: [misbehavingServer(), 'ok'], env: { IA_CHAT_CHECK: 'handed-at-launch' } } });
    const listed = controller.chatServers.listed.find((s) => s.label === 'chatcheck');
    assert.ok(listed, 'chatcheck is offered');
    assert.ok(!JSON.stringify(listed).includes('handed-at-launch'), 'the listing carries no environment');
    const env = await waitFor('VS Code to start chatcheck', async () => {
      await startInVsCode('chatcheck');
      return chatTool('env');
    });
    assert.equal(await invoke(env, { name: 'IA_CHAT_CHECK' }), 'handed-at-launch');
  });

  it('incidentAnalyzer.offerServersToChat off: VS Code no longer has them', async function () {
    this.timeout(60_000);
    assert.ok(chatTool('search_logs'), 'started by the first test');
    await setSetting('offerServersToChat', false);
    const { controller } = await api();
    assert.deepEqual(controller.chatServers.listed, []);
    await waitFor('our tools to leave vscode.lm.tools', () => !chatTool('search_logs') && !chatTool('get_commit') && !chatTool('env'));
    // our own analysis keeps its servers
    const ready = controller.session!.statuses().filter((s) => s.state === 'ready').map((s) => s.name);
    for (const name of ['git', 'logs', 'metrics']) assert.ok(ready.includes(name), `${name} is still ready for our analysis`);
  });
});
