// Offers our servers to VS Code's own MCP registry, so agent mode and other chat extensions can call search_logs,
// get_commit, get_anomalies… on the open workspace. VS Code starts its own processes; the list is the one our
// analysis runs (fed by configure(), so the same workspace defaults and trust rules), and credentials reach a
// server only through the launch step. VS Code 1.101 brought the API: older versions get nothing offered.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ResolvedServer } from '../engine/config/serverDefinitions.js';
import { offeredServers, type ListedServer, type OfferedServers } from './chatServers.js';
import type { ServerSetup } from './serverSetup.js';
import type { ExtensionSettings } from './settings.js';

/** As in package.json `contributes.mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = 'incidentAnalyzer.servers';
const VERSION_KEY_SECRET = 'incidentAnalyzer.serverVersionKey';

// The part of the VS Code ≥ 1.101 API used here (@types/vscode follows engines.vscode, which predates it).
interface McpDefinition {
  label: string;
}
interface McpProvider {
  onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<McpDefinition[]>;
  resolveMcpServerDefinition?(server: McpDefinition, token: vscode.CancellationToken): Promise<McpDefinition | undefined>;
}
interface McpApi {
  lm: { registerMcpServerDefinitionProvider?(id: string, provider: McpProvider): vscode.Disposable };
  McpStdioServerDefinition: new (label: string, command: string, args?: string[], env?: Record<string, string>, version?: string) => McpDefinition & { cwd?: vscode.Uri };
  McpHttpServerDefinition: new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => McpDefinition;
}

export class ChatServerRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly registration: vscode.Disposable | undefined;
  /** Why nothing is offered to VS Code, when the API is missing or refused. */
  readonly unavailable: string | undefined;
  private settings: ExtensionSettings | undefined;
  private offered: OfferedServers = { listed: [], launch: new Map() };
  private lastKey = '';
  private versionKey: Promise<string> | undefined;
  private firstUpdate!: () => void;
  /** Settles at the first update(): a listing asked for at activation waits for the servers to be known. */
  private readonly updated = new Promise<void>((resolve) => (this.firstUpdate = resolve));

  /** `configured`: settles when the latest configure() has run (which, without a workspace, never updates this). */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly configured: () => Promise<unknown>,
    private readonly log: (line: string) => void,
  ) {
    const api = vscode as unknown as McpApi;
    const register = api.lm?.registerMcpServerDefinitionProvider;
    if (typeof register !== 'function') {
      this.unavailable = `VS Code ${vscode.version} has no MCP server registry for extensions`;
      return;
    }
    try {
      this.registration = register.call(api.lm, MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: this.changed.event,
        provideMcpServerDefinitions: () => this.provide(),
        resolveMcpServerDefinition: (server) => this.resolve(server),
      });
    } catch (err) {
      // VS Code 1.100 has the function behind an API proposal: calling it throws.
      this.unavailable = `VS Code ${vscode.version} refused the MCP server provider: ${(err as Error).message}`;
    }
    if (this.unavailable) this.log(`servers not offered to chat: ${this.unavailable}`);
  }

  get registered(): boolean {
    return this.registration !== undefined;
  }

  /** The servers VS Code is offered now (empty when turned off or before the first configuration). */
  get listed(): readonly ListedServer[] {
    return this.settings?.offerServersToChat === false ? [] : this.offered.listed;
  }

  /** Takes the servers configure() computed; tells VS Code when what it is offered changed. */
  async update(setup: ServerSetup, settings: ExtensionSettings): Promise<void> {
    if (!this.registered) return;
    this.settings = settings;
    this.offered = offeredServers(setup, Object.keys(settings.servers), await this.key());
    this.firstUpdate();
    const key = JSON.stringify(this.listed);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.log(`servers offered to chat: ${this.listed.map((s) => s.label).join(', ') || 'none'}`);
    this.changed.fire();
  }

  private async provide(): Promise<McpDefinition[]> {
    await this.ready();
    const api = vscode as unknown as McpApi;
    return this.listed.map((s) => {
      if (s.type === 'http') return new api.McpHttpServerDefinition(s.label, vscode.Uri.parse(s.url), {}, s.version);
      const def = new api.McpStdioServerDefinition(s.label, s.command, s.args, {}, s.version);
      if (s.cwd) def.cwd = vscode.Uri.file(s.cwd);
      return def;
    });
  }

  /** The launch: the full definition, credentials included, of a server that is still offered. */
  private async resolve(server: McpDefinition): Promise<McpDefinition | undefined> {
    await this.ready();
    const full: ResolvedServer | undefined = this.listed.some((s) => s.label === server.label) ? this.offered.launch.get(server.label) : undefined;
    if (!full) return undefined; // no longer offered: VS Code does not start it
    const api = vscode as unknown as McpApi;
    const version = this.listed.find((s) => s.label === server.label)?.version;
    if (full.type === 'http') return new api.McpHttpServerDefinition(full.name, vscode.Uri.parse(full.url), full.headers, version);
    const def = new api.McpStdioServerDefinition(full.name, full.command, full.args, full.env, version);
    if (full.cwd) def.cwd = vscode.Uri.file(full.cwd);
    return def;
  }

  private ready(): Promise<unknown> {
    return Promise.race([this.updated, this.configured()]);
  }

  /** A random key kept in secret storage, so versions stay the same across sessions. */
  private key(): Promise<string> {
    this.versionKey ??= (async () => {
      const fresh = randomBytes(32).toString('hex');
      try {
        const stored = await this.secrets.get(VERSION_KEY_SECRET);
        if (stored) return stored;
        await this.secrets.store(VERSION_KEY_SECRET, fresh);
      } catch (err) {
        this.log(`secret storage: ${String(err)}; server versions change with each session`);
      }
      return fresh;
    })();
    return this.versionKey;
  }

  dispose(): void {
    this.registration?.dispose();
    this.changed.dispose();
  }
}
