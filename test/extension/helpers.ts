// Shared by the extension-host suites: the activated extension's API and small waits.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension/extension.js';

export const EXTENSION_ID = 'incident-analyzer.incident-analyzer';
export const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';

export async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  return folder.uri.fsPath;
}

export function repoRoot(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

export function misbehavingServer(): string {
  return path.join(repoRoot(), 'test', 'support', 'misbehaving-server.mjs');
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Changes a workspace setting and waits until the extension has applied it (servers restarted if needed). */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('incidentAnalyzer').update(key, value, vscode.ConfigurationTarget.Workspace);
  const { controller } = await api();
  await controller.reconfigure();
}

export async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

let analysed: Promise<{ runId: string; outcome: string }> | undefined;

/** One built-in analysis of the fixture through the command, shared by the suites that need a report. */
export function analysedRun(): Promise<{ runId: string; outcome: string }> {
  analysed ??= Promise.resolve(
    vscode.commands.executeCommand<{ runId: string; outcome: string } | undefined>('incidentAnalyzer.analyze', { incident: '500 errors on checkout API', window: '' }),
  ).then((r) => {
    if (!r) throw new Error('Analyze Incident returned nothing');
    return r;
  });
  return analysed;
}
