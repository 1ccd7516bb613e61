// VS Code's chat models as the engine's model source, and as the list "Select Model" shows. selectChatModels
// exists since VS Code 1.90; it is still looked up at run time so an editor without it gets an explanation.
import * as vscode from 'vscode';
import type { ChatModel, ChatModelSource } from '../../engine/analysts/chatModel/chatModel.js';
import { noChatModelError } from './lmErrors.js';
import { matchingModels } from './modelSelector.js';
import { VsCodeChatModel } from './vscodeChatModel.js';

/** The chat models VS Code offers now; none when it has no language model API. */
export async function listVscodeChatModels(): Promise<vscode.LanguageModelChat[]> {
  if (!hasLanguageModelApi()) return [];
  return [...(await vscode.lm.selectChatModels())];
}

export function vscodeChatModels(): ChatModelSource {
  return {
    async find(selector: string): Promise<ChatModel | Error> {
      const all = await listVscodeChatModels();
      const [model] = matchingModels(selector, all);
      if (model) return new VsCodeChatModel(model);
      return noChatModelError(selector, all.map((m) => `${m.vendor}/${m.family}`), hasLanguageModelApi());
    },
  };
}

function hasLanguageModelApi(): boolean {
  return typeof (vscode as { lm?: { selectChatModels?: unknown } }).lm?.selectChatModels === 'function';
}
