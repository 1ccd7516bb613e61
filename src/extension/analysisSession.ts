// The extension's one long-lived engine: the MCP servers of the workspace and the runs made with them.
// No vscode import: the extension adapts these callbacks to views, and the tests drive it in plain Node.
import { randomUUID } from 'node:crypto';
import { runAnalysis, type RunResult } from '../engine/analysis/run.js';
import { AnalystError, type Analyst, type TimeWindow } from '../engine/analysis/analyst.js';
import type { AnalysisEvent } from '../engine/analysis/events.js';
import { BuiltinAnalyst } from '../engine/analysts/builtin/index.js';
import type { ChatModelSource } from '../engine/analysts/chatModel/chatModel.js';
import { ChatModelAnalyst } from '../engine/analysts/chatModel/chatModelAnalyst.js';
import { OllamaAnalyst } from '../engine/analysts/ollama/index.js';
import { McpClientManager, type ServerStatus } from '../engine/mcp/clientManager.js';
import { loopbackOpener } from '../engine/mcp/oauth/authorizationOpener.js';
import type { OAuthTokenStore } from '../engine/mcp/oauth/tokenStore.js';
import { RunModel } from './runModel.js';
import type { RunStore } from './runStore.js';
import { setupKey, type ServerSetup } from './serverSetup.js';
import type { ExtensionSettings } from './settings.js';

export interface SessionListeners {
  /** New events of a run (the run already holds them). */
  onRunEvents?: (run: RunModel, events: AnalysisEvent[]) => void;
  /** A server changed state, or its figures changed. */
  onServers?: () => void;
  /** A line of engine or server log, tagged with its component, e.g. "[logs] …". */
  log?: (line: string) => void;
}

/** Sign-in to remote servers (OAuth): where tokens are kept and how the browser is opened. */
export interface SessionSignIn {
  store: OAuthTokenStore;
  openBrowser: (url: string, serverName: string) => void | Promise<void>;
  /** The person's way to sign in, ending a "needs sign-in" error. */
  hint: string;
}

export interface AnalyzeRequest {
  incident: string;
  window?: TimeWindow;
  signal?: AbortSignal;
}

export interface AnalyzeOutcome {
  run: RunModel;
  result: RunResult;
  /** Set when the model failed and the built-in analyst ran instead: what went wrong with the model. */
  fellBack?: RunResult['error'];
}

export class AnalysisSession {
  private manager: McpClientManager | undefined;
  private currentKey = '';
  private pending: { setup: ServerSetup; settings: ExtensionSettings } | undefined;
  private running: AbortController | undefined;
  setup: ServerSetup = { servers: [], skipped: [], problems: [], sources: {} };
  /** Resolves when the current servers have come up or failed their first attempt. */
  startup: Promise<ServerStatus[]> = Promise.resolve([]);
  settings: ExtensionSettings | undefined;

  constructor(
    readonly store: RunStore,
    private readonly listeners: SessionListeners,
    private readonly apiKey: () => Promise<string | undefined> = async () => undefined,
    private readonly signInSetup?: SessionSignIn,
    /** VS Code's chat models (vscode.lm), supplied by the extension so this file needs no vscode import. */
    private readonly chatModels?: ChatModelSource,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /**
   * Takes a (new) configuration. Servers restart only when their definitions changed, and never under a
   * running analysis: then the change waits for the run to end. Returns true when the servers were replaced.
   */
  async configure(setup: ServerSetup, settings: ExtensionSettings): Promise<boolean> {
    this.settings = settings;
    const key = setupKey(setup);
    if (this.manager && key === this.currentKey) {
      this.setup = setup;
      return false;
    }
    if (this.running) {
      this.pending = { setup, settings };
      this.log('settings changed during a run: the servers restart when it ends');
      return false;
    }
    await this.replaceServers(setup, settings);
    return true;
  }

  private async replaceServers(setup: ServerSetup, settings: ExtensionSettings): Promise<void> {
    const old = this.manager;
    this.setup = setup;
    this.currentKey = setupKey(setup);
    this.manager = new McpClientManager(setup.servers, {
      callTimeoutMs: settings.toolTimeoutMs,
      log: (line) => this.listeners.log?.(line),
      onStatus: () => this.listeners.onServers?.(),
      // Starting never opens a browser uninvited: a server that wants a sign-in waits for `signIn(name)`.
      oauth: this.signInSetup && {
        store: this.signInSetup.store,
        opener: loopbackOpener(this.signInSetup.openBrowser),
        signInOnStart: false,
        signInHint: this.signInSetup.hint,
      },
    });
    this.listeners.onServers?.();
    if (old) await old.stop();
    const manager = this.manager;
    this.startup = manager.start().then((statuses) => {
      this.listeners.onServers?.();
      return statuses;
    });
  }

  statuses(): ServerStatus[] {
    return this.manager?.statuses() ?? [];
  }

  stderrOf(name: string): string {
    return this.manager?.stderrOf(name) ?? '';
  }

  async restartServers(name?: string): Promise<void> {
    await this.manager?.restart(name);
    this.listeners.onServers?.();
  }

  /** Signs in to a remote server a person picked: opens the browser and waits (bounded, or until `signal`). */
  async signIn(name: string, signal?: AbortSignal): Promise<ServerStatus | undefined> {
    const status = await this.manager?.signIn(name, signal);
    this.listeners.onServers?.();
    return status;
  }

  /** Forgets a remote server's tokens and registration, then restarts it (it will ask for a sign-in). */
  async signOut(name: string): Promise<boolean> {
    const server = this.setup.servers.find((s) => s.name === name);
    if (server?.type !== 'http' || !this.signInSetup) return false;
    await this.signInSetup.store.delete(server.url);
    await this.restartServers(name);
    return true;
  }

  /** Calls a tool outside a run (evidence documents use this). */
  async callTool(name: string, args: Record<string, unknown>) {
    const manager = this.requireManager();
    await manager.ready();
    return manager.callTool(name, args);
  }

  stop(reason = 'stopped by the user'): boolean {
    if (!this.running) return false;
    this.running.abort(new Error(reason));
    return true;
  }

  async analyze(request: AnalyzeRequest): Promise<AnalyzeOutcome> {
    if (this.running) throw new Error('An analysis is already running; stop it first.');
    const settings = this.settings;
    if (!settings) throw new Error('The session has no settings yet.');
    const controller = new AbortController();
    const onAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    this.running = controller;
    try {
      const first = await this.runWith(await this.chooseAnalyst(settings), request, controller.signal);
      const err = first.result.error;
      if (first.result.outcome === 'error' && err?.builtinFallback && settings.analyst === 'auto') {
        this.log(`the model failed (${err.message}); running the built-in analyst instead`);
        return { ...(await this.runWith(new BuiltinAnalyst(), request, controller.signal)), fellBack: err };
      }
      return first;
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      this.running = undefined;
      if (this.pending) {
        const { setup, settings: next } = this.pending;
        this.pending = undefined;
        await this.replaceServers(setup, next);
      }
    }
  }

  private async runWith(analyst: Analyst, request: AnalyzeRequest, signal: AbortSignal): Promise<{ run: RunModel; result: RunResult }> {
    const manager = this.requireManager();
    const runId = randomUUID();
    const run = new RunModel(runId, this.store.transcriptPathFor(runId));
    this.store.add(run);
    const result = await runAnalysis({
      runId,
      incident: request.incident,
      window: request.window,
      analyst,
      manager,
      skippedServers: this.setup.skipped,
      transcriptPath: run.transcriptPath,
      signal,
      onEvent: (event) => {
        run.add(event);
        this.listeners.onRunEvents?.(run, [event]);
        if (event.type === 'tool_call_finished' || event.type === 'servers_ready') this.listeners.onServers?.();
      },
    });
    return { run, result };
  }

  /**
   * builtin and ollama as set; vscode-lm with the chosen VS Code chat model (or the reason there is none, said
   * when the run starts). auto: Ollama when a model is set for it, else a VS Code chat model when one is
   * available, else the built-in analyst.
   */
  private async chooseAnalyst(settings: ExtensionSettings): Promise<Analyst> {
    if (settings.analyst === 'builtin') return new BuiltinAnalyst();
    if (settings.analyst === 'ollama' || (settings.analyst === 'auto' && settings.model)) {
      return new OllamaAnalyst({
        host: settings.ollamaHost,
        model: settings.model,
        apiKey: await this.apiKey(),
        allowKeyOverHttp: settings.allowApiKeyOverHttp,
        numCtx: settings.numCtx,
        maxTurns: settings.maxTurns,
        predigest: settings.predigest,
      });
    }
    const chatModel = await this.findChatModel(settings.vscodeLmModel);
    if (settings.analyst === 'auto' && chatModel instanceof Error) {
      this.log(`no VS Code chat model (${chatModel.message}); the built-in analyst investigates`);
      return new BuiltinAnalyst();
    }
    return new ChatModelAnalyst('vscode-lm', chatModel, { maxTurns: settings.maxTurns, predigest: settings.predigest });
  }

  private async findChatModel(selector: string) {
    if (!this.chatModels) return new AnalystError('VS Code chat models are not available here.', 'Use Ollama or the built-in analyst.', true, 'choose-model');
    try {
      return await this.chatModels.find(selector);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  private requireManager(): McpClientManager {
    if (!this.manager) throw new Error('The MCP servers are not configured yet.');
    return this.manager;
  }

  private log(message: string): void {
    this.listeners.log?.(`[engine] ${message}`);
  }

  async dispose(): Promise<void> {
    this.stop('the window is closing');
    await this.manager?.stop();
    this.manager = undefined;
  }
}
