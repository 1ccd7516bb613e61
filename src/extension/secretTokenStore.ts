// The extension's sign-ins to remote MCP servers: one entry per server URL in VS Code's secret storage (the
// OS keychain), never in settings or files. Signing out deletes the entry.
import type * as vscode from 'vscode';
import type { OAuthRecord, OAuthTokenStore } from '../engine/mcp/oauth/tokenStore.js';

const PREFIX = 'incidentAnalyzer.oauth:';

export class SecretTokenStore implements OAuthTokenStore {
  constructor(private readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>) {}

  async get(serverUrl: string): Promise<OAuthRecord | undefined> {
    const text = await this.secrets.get(PREFIX + serverUrl);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as OAuthRecord;
    } catch {
      return undefined; // unreadable: as if never signed in
    }
  }

  async set(serverUrl: string, record: OAuthRecord): Promise<void> {
    await this.secrets.store(PREFIX + serverUrl, JSON.stringify(record));
  }

  async delete(serverUrl: string): Promise<void> {
    await this.secrets.delete(PREFIX + serverUrl);
  }
}
