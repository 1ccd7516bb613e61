// Sign-in to remote MCP servers that use OAuth, as the person sees it: a notification when a server asks for
// it (the browser opens only after they click), a cancellable progress while the browser is out, and sign-out.
import * as vscode from 'vscode';
import type { AnalysisSession, SessionSignIn } from './analysisSession.js';
import { notify } from './notifications.js';
import { SecretTokenStore } from './secretTokenStore.js';

export const SIGN_IN_COMMAND = 'incidentAnalyzer.signInToServer';

export function sessionSignIn(secrets: vscode.SecretStorage): SessionSignIn {
  return {
    store: new SecretTokenStore(secrets),
    // The string itself, not a vscode.Uri: a Uri re-encodes the query and breaks the encoded redirect_uri
    // (microsoft/vscode#85930); the extension host takes a string and opens it as it is.
    openBrowser: async (url) => void (await vscode.env.openExternal(url as unknown as vscode.Uri)),
    hint: 'Click "Sign In" on the notification, or run "Incident Analyzer: Sign In to MCP Server".',
  };
}

/** One notification per server that wants a sign-in; nothing opens until the person clicks. */
export function offerSignIn(session: AnalysisSession, names: string[]): void {
  for (const name of names) {
    void notify('warning', `MCP server "${name}" needs you to sign in (OAuth).`, [{ title: 'Sign In', run: () => signInToServer(session, name) }]);
  }
}

export async function signInToServer(session: AnalysisSession, name?: string): Promise<void> {
  const target = name ?? (await pickRemoteServer(session, 'Sign in to which MCP server?'));
  if (!target) return;
  const status = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Signing in to "${target}": finish in your browser…`, cancellable: true },
    (_progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      return session.signIn(target, cancel.signal);
    },
  );
  if (status?.state === 'ready') void vscode.window.showInformationMessage(`Signed in to "${target}": ${status.toolCount} tools.`);
  else void notify('error', `MCP server "${target}": ${status?.lastError ?? 'sign-in did not complete'}`, [{ title: 'Try Again', run: () => signInToServer(session, target) }]);
}

export async function signOutOfServer(session: AnalysisSession, name?: string): Promise<void> {
  const target = name ?? (await pickRemoteServer(session, 'Sign out of which MCP server?'));
  if (!target) return;
  if (await session.signOut(target)) void vscode.window.showInformationMessage(`Signed out of "${target}": its tokens were deleted from secret storage.`);
}

/** The servers reached over http; the ones waiting for a sign-in first. */
async function pickRemoteServer(session: AnalysisSession, title: string): Promise<string | undefined> {
  const remote = new Set(session.setup.servers.filter((s) => s.type === 'http').map((s) => s.name));
  const statuses = session.statuses().filter((s) => remote.has(s.name));
  if (statuses.length === 0) {
    void vscode.window.showInformationMessage('No remote (http) MCP server is configured. Add one to "incidentAnalyzer.servers" or .vscode/mcp.json.');
    return undefined;
  }
  statuses.sort((a, b) => Number(!!b.needsSignIn) - Number(!!a.needsSignIn));
  const picked = await vscode.window.showQuickPick(
    statuses.map((s) => ({ label: s.name, description: s.needsSignIn ? 'needs sign-in' : s.state })),
    { title },
  );
  return picked?.label;
}
