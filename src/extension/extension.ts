// Entry point. Activation happens only on the extension's commands, views and restored panel, and does no
// I/O of its own: the servers start in the background.
import * as vscode from 'vscode';
import { Controller } from './controller.js';

let controller: Controller | undefined;

export interface ExtensionApi {
  /** For the extension-host tests: the live controller. */
  controller: Controller;
  /** How long activate() took, in milliseconds. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  controller = new Controller(context);
  context.subscriptions.push({ dispose: () => void controller?.dispose() });
  void controller.reconfigure();
  return { controller, activationMs: performance.now() - started };
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
