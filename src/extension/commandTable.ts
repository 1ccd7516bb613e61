// VS Code runs a command only if activate() registered it, but the code behind our commands loads after
// activation (dist/controller.js). So activation registers each contributed command as a forwarder to this
// table, and the controller fills the table when it loads. No vscode import: tested in plain Node.

// Handlers type their own arguments; VS Code passes whatever the caller gave.
export type CommandHandler = (...args: any[]) => unknown;

export class CommandTable {
  private readonly handlers = new Map<string, CommandHandler>();

  /** @param load makes sure the handlers are in the table (loads the controller if it has not loaded yet). */
  constructor(private readonly load: () => void) {}

  /** Called by the controller for each command it handles; the returned function takes it out again. */
  set(id: string, handler: CommandHandler): { dispose(): void } {
    if (this.handlers.has(id)) throw new Error(`command ${id} is handled twice`);
    this.handlers.set(id, handler);
    return { dispose: () => void (this.handlers.get(id) === handler && this.handlers.delete(id)) };
  }

  run(id: string, args: unknown[]): unknown {
    if (!this.handlers.has(id)) this.load();
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`Incident Analyzer has no handler for ${id}; reinstalling the extension may help.`);
    return handler(...args);
  }

  /** The ids among `ids` with no handler (the activation test checks package.json against the controller). */
  missing(ids: readonly string[]): string[] {
    return ids.filter((id) => !this.handlers.has(id));
  }
}
