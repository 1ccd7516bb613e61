// Errors a user can act on, shown with the button that does the fix. The buttons run our own commands or
// VS Code's, never anything taken from the error text.
import * as vscode from 'vscode';
import type { Remedy } from '../engine/analysis/analyst.js';

interface Action {
  title: string;
  run: () => unknown;
}

const openSettings = (key: string): Action => ({ title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', key) });
const showLog: Action = { title: 'Show Log', run: () => vscode.commands.executeCommand('incidentAnalyzer.showServerLogs') };

export function remedyActions(remedy: Remedy | undefined): Action[] {
  switch (remedy) {
    case 'start-ollama':
      return [openSettings('incidentAnalyzer.ollamaHost'), { title: 'Use Built-in Analyst', run: () => useBuiltin() }];
    case 'choose-model':
      return [{ title: 'Select Model', run: () => vscode.commands.executeCommand('incidentAnalyzer.selectModel') }, { title: 'Use Built-in Analyst', run: () => useBuiltin() }];
    case 'set-api-key':
      return [{ title: 'Set API Key', run: () => vscode.commands.executeCommand('incidentAnalyzer.setApiKey') }];
    case 'retry':
      return [{ title: 'Analyze Again', run: () => vscode.commands.executeCommand('incidentAnalyzer.analyze') }, showLog];
    default:
      return [showLog];
  }
}

async function useBuiltin(): Promise<void> {
  await vscode.workspace.getConfiguration('incidentAnalyzer').update('analyst', 'builtin', vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage('Incident Analyzer will use the built-in analyst. Change it back with the "incidentAnalyzer.analyst" setting.');
}

export async function notify(kind: 'error' | 'warning' | 'info', message: string, actions: Action[] = []): Promise<void> {
  const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const picked = await show(message, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === picked)?.run();
}

export const actions = { openSettings, showLog };
