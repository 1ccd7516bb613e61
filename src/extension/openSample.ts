// "Open Sample Incident": the walkthrough's way to try an analysis before pointing it at real data. Asks where to
// put the sample folder, creates it and opens it (in a new window when a folder is already open).
import * as vscode from 'vscode';
import { createSampleWorkspace } from './sampleWorkspace.js';

export interface OpenSampleArgs {
  /** Where to create it, instead of asking. */
  parent?: string;
  /** False: create it only (tests; opening a folder restarts the extension host). */
  open?: boolean;
}

export async function openSample(extensionUri: vscode.Uri, args: OpenSampleArgs = {}): Promise<string | undefined> {
  const parent =
    args.parent ??
    (
      await vscode.window.showOpenDialog({
        title: 'Where should the sample incident folder go?',
        openLabel: 'Create Sample Here',
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
      })
    )?.[0]?.fsPath;
  if (!parent) return undefined;
  const folder = createSampleWorkspace(vscode.Uri.joinPath(extensionUri, 'dist', 'sample', 'checkout-500').fsPath, parent);
  if (args.open !== false) {
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceNewWindow: !!vscode.workspace.workspaceFolders?.length });
  }
  return folder;
}
