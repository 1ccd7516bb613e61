// Entry point. Activation happens only on the extension's commands, views and restored panel, and does no
// I/O of its own: the engine loads (dist/engine.js) and the servers start just after, in the background.
import * as vscode from 'vscode';
import { Controller } from './controller.js';

let controller: Controller | undefined;

export interface ExtensionApi {
  /** For the extension-host tests: the live controller. */
  controller: Controller;
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** How long evaluating dist/extension.js took, in milliseconds (before VS Code called activate()). */
  bundleLoadMs: number;
}

// The bundle's banner notes when evaluation began; this module is evaluated last, so now it has ended.
const loadStart = (globalThis as { __incidentAnalyzerLoadStart?: number }).__incidentAnalyzerLoadStart;
const loadEnd = performance.now();

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  controller = new Controller(context);
  context.subscriptions.push({ dispose: () => void controller?.dispose() });
  controller.start();
  const end = performance.now();
  return { controller, activationMs: end - started, bundleLoadMs: loadEnd - (loadStart ?? loadEnd) };
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
