// Entry point. Activation happens only on the extension's commands, views, restored panel and MCP collection,
// and stays small: it registers every contributed command as a forwarder and the panel's serializer, then
// returns. The controller (dist/controller.js: views, panel, incidents, registry) loads in a task of its own
// just after, or at the first command; the engine (dist/engine.js) loads after that, with the servers.
import * as vscode from 'vscode';
import { CommandTable } from './commandTable.js';
import type { Controller } from './controller.js';

let controller: Controller | undefined;

export interface ExtensionApi {
  /** For the extension-host tests: the live controller (loaded now if it has not loaded yet). */
  readonly controller: Controller;
  /** The command table, to check that the controller handles every contributed command. */
  commands: CommandTable;
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** How long evaluating dist/extension.js took, in milliseconds (before VS Code called activate()). */
  bundleLoadMs: number;
  /** How long requiring dist/controller.js and making the controller took, once it has happened. */
  controllerLoadMs: number | undefined;
}

// The bundle's banner notes when evaluation began; this module is evaluated last, so now it has ended.
const loadStart = (globalThis as { __incidentAnalyzerLoadStart?: number }).__incidentAnalyzerLoadStart;
const loadEnd = performance.now();

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const ids = (context.extension.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>;
  const api: ExtensionApi = {
    get controller() {
      return load();
    },
    commands: new CommandTable(() => load()),
    activationMs: 0,
    bundleLoadMs: loadEnd - (loadStart ?? loadEnd),
    controllerLoadMs: undefined,
  };
  const load = (): Controller => {
    if (controller) return controller;
    const t = performance.now();
    // Left to Node by the bundler (external), so it is read only now.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Controller: ControllerClass } = require('./controller.js') as typeof import('./controller.js');
    controller = new ControllerClass(context, api.commands);
    context.subscriptions.push({ dispose: () => void controller?.dispose() });
    controller.start();
    api.controllerLoadMs = performance.now() - t;
    return controller;
  };
  for (const { command } of ids) {
    context.subscriptions.push(vscode.commands.registerCommand(command, (...args: unknown[]) => api.commands.run(command, args)));
  }
  context.subscriptions.push(
    // ReportPanel.viewType, named here so the panel's code stays out of this bundle
    vscode.window.registerWebviewPanelSerializer('incidentAnalyzer.report', {
      deserializeWebviewPanel: async (panel, state) => load().restorePanel(panel, state),
    }),
  );
  setTimeout(load, 0);
  api.activationMs = performance.now() - started;
  return api;
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
