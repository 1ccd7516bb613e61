// "Incident Analyzer: Select Model": VS Code's chat models and the Ollama host's models in one list. Picking one
// sets its setting (incidentAnalyzer.vscodeLm.model or incidentAnalyzer.model) and, when the analyst setting
// would not use it, offers to switch. A source that cannot be listed is said in the list, not as a dead end.
import * as vscode from 'vscode';
import { loadEngine } from './loadEngine.js';
import { notify, remedyActions } from './notifications.js';
import type { ExtensionSettings } from './settings.js';

type Pick = vscode.QuickPickItem & ({ source: 'vscode-lm'; selector: string } | { source: 'ollama'; model: string } | { source: 'ollama-error'; error: Error });

export async function selectModel(settings: ExtensionSettings, apiKey: () => Thenable<string | undefined>): Promise<void> {
  const { AnalystError, listOllamaModels, listVscodeChatModels, selectorFor } = loadEngine();
  const [chatModels, ollama] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing models' }, async () =>
    Promise.all([
      listVscodeChatModels().catch(() => []),
      Promise.resolve(apiKey()).then((key) => listOllamaModels(settings.ollamaHost, key, undefined, settings.allowApiKeyOverHttp)).catch((err: unknown) => {
        if (err instanceof AnalystError) return err;
        throw err;
      }),
    ]),
  );
  const items: Pick[] = [];
  if (chatModels.length > 0) {
    items.push({ label: 'VS Code chat models', kind: vscode.QuickPickItemKind.Separator, source: 'vscode-lm', selector: '' });
    for (const m of chatModels) {
      const selector = selectorFor(m, chatModels);
      const current = settings.vscodeLmModel === selector || settings.vscodeLmModel === `${m.vendor}/${m.id}`;
      items.push({ label: m.name, description: [`${m.vendor}/${m.family}`, current ? 'current' : undefined].filter(Boolean).join(' · '), source: 'vscode-lm', selector });
    }
  }
  items.push({ label: `Ollama at ${settings.ollamaHost}`, kind: vscode.QuickPickItemKind.Separator, source: 'ollama', model: '' });
  if (ollama instanceof Error) {
    items.push({ label: '$(warning) Ollama cannot be listed', detail: ollama.message, source: 'ollama-error', error: ollama });
  } else if (ollama.length === 0) {
    items.push({ label: '$(info) No Ollama models', detail: 'Pull one with tool support, e.g. `ollama pull qwen2.5:7b`.', source: 'ollama-error', error: new Error(`${settings.ollamaHost} has no models. Pull one with tool support, e.g. \`ollama pull qwen2.5:7b\`.`) });
  } else {
    for (const m of ollama) {
      const size = m.sizeBytes ? `${(m.sizeBytes / 1e9).toFixed(1)} GB` : undefined;
      items.push({ label: m.name, description: [m.parameterSize, size, m.name === settings.model ? 'current' : undefined].filter(Boolean).join(' · '), source: 'ollama', model: m.name });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: `Models at ${settings.ollamaHost}${chatModels.length > 0 ? ' and in VS Code' : ''}`, placeHolder: 'The model investigates through tool calls: pick one with tool support.' });
  if (!picked) return;
  if (picked.source === 'ollama-error') {
    const err = picked.error;
    const fixes = err instanceof AnalystError ? remedyActions(err.remedy).filter((a) => a.title !== 'Select Model') : [];
    return notify(err instanceof AnalystError ? 'error' : 'warning', `${err.message} ${(err as { fix?: string }).fix ?? ''}`.trim(), fixes);
  }
  const config = vscode.workspace.getConfiguration('incidentAnalyzer');
  if (picked.source === 'vscode-lm') {
    await config.update('vscodeLm.model', picked.selector, targetOf(config, 'vscodeLm.model'));
    const used = settings.analyst === 'vscode-lm' || (settings.analyst === 'auto' && !settings.model);
    if (!used) offerAnalyst(config, picked.label, settings, 'vscode-lm');
  } else {
    await config.update('model', picked.model, targetOf(config, 'model'));
    if (settings.analyst === 'builtin' || settings.analyst === 'vscode-lm') offerAnalyst(config, picked.label, settings, 'auto');
  }
}

/** Where a setting lives now: the workspace when it is set there, else the user's settings. */
function targetOf(config: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  return config.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

function offerAnalyst(config: vscode.WorkspaceConfiguration, model: string, settings: ExtensionSettings, analyst: 'auto' | 'vscode-lm'): void {
  const why = settings.analyst === 'auto' ? 'Ollama is preferred while incidentAnalyzer.model is set' : `the analyst setting is "${settings.analyst}"`;
  void notify('info', `Model set to ${model}, but ${why}.`, [{ title: 'Use the Model', run: () => config.update('analyst', analyst, targetOf(config, 'analyst')) }]);
}
