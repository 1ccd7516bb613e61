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
  /** From the start of evaluating the bundle to the end of activate(), in milliseconds. */
  loadAndActivateMs: number;
}

const loadStart = (globalThis as { __incidentAnalyzerLoadStart?: number }).__incidentAnalyzerLoadStart;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  controller = new Controller(context);
  context.subscriptions.push({ dispose: () => void controller?.dispose() });
  void controller.reconfigure();
  const end = performance.now();
  return { controller, activationMs: end - started, loadAndActivateMs: end - (loadStart ?? started) };
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
