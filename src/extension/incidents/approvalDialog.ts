// A server's request for approval as a modal dialog (see approvalText.ts for what it says). Only the "Run"
// button is a yes; closing the dialog, or a server that stopped waiting meanwhile, is a no.
import * as vscode from 'vscode';
import type { AskApproval } from '../../engine/mcp/approvals.js';
import { dialogText } from './approvalText.js';

export const APPROVE_BUTTON = 'Run';

export function approvalDialog(log: (line: string) => void): AskApproval {
  return async (request, signal) => {
    const { title, detail } = dialogText(request);
    log(`asking for approval: ${title}`);
    const choice = await vscode.window.showWarningMessage(title, { modal: true, detail }, APPROVE_BUTTON);
    const approved = choice === APPROVE_BUTTON && !signal.aborted;
    log(approved ? 'approved' : signal.aborted ? 'the server stopped waiting for the approval' : 'not approved');
    return approved;
  };
}
