// Set Incidents Database: this workspace's incidents server gets the team's PostgreSQL URL (from secret storage, in
// its environment), the Incidents view says where incidents are kept, and an empty URL goes back to files. No
// database runs here: one that cannot be reached shows the server used the URL (test/engine covers a real one).
import assert from 'node:assert/strict';
import net from 'node:net';
import * as vscode from 'vscode';
import { api } from './helpers.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Set Incidents Database', () => {
  after(async () => {
    await vscode.commands.executeCommand('incidentAnalyzer.setIncidentsDatabase', '');
  });

  it("points this workspace's incidents server at the team's PostgreSQL; empty goes back to files", async () => {
    const { incidents } = (await api()).controller;
    const port = await closedPort();
    await vscode.commands.executeCommand('incidentAnalyzer.setIncidentsDatabase', `postgres://app:pw-never-shown@127.0.0.1:${port}/incidents`);
    assert.equal(incidents.tree.description, `PostgreSQL at 127.0.0.1:${port} (database incidents)`);
    const [row, ...rest] = await incidents.view.getChildren();
    assert.equal(rest.length, 0);
    assert.equal(row?.kind, 'problem', 'the server tried the database');
    const message = row?.kind === 'problem' ? row.message : '';
    assert.match(message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.ok(!message.includes('pw-never-shown'), message);

    await vscode.commands.executeCommand('incidentAnalyzer.setIncidentsDatabase', 'mysql://app:pw@127.0.0.1/incidents');
    assert.equal(incidents.tree.description, `PostgreSQL at 127.0.0.1:${port} (database incidents)`, 'a URL that is not postgres:// changes nothing');

    await vscode.commands.executeCommand('incidentAnalyzer.setIncidentsDatabase', '');
    assert.equal(incidents.tree.description, undefined);
    assert.ok((await incidents.view.getChildren()).every((node) => node.kind === 'incident'), 'files again: no problem');
  });
});
