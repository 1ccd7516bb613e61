// The extension's connection to the incidents server: its own client manager, apart from the analysis session,
// so the analyst never sees (or calls) incident tools. No vscode import: the extension supplies the approval
// dialog and the secrets, and the tests drive it in plain Node.
import type { Incident, IncidentSummary, Severity, Status } from '../../../mcp-servers/incidents/model.js';
import type { ParameterSpec } from '../../../mcp-servers/incidents/runbooks/runbookFile.js';
import type { AskApproval } from '../../engine/mcp/approvals.js';
import { McpClientManager, type ToolCallOutcome } from '../../engine/mcp/clientManager.js';

export type { Incident, IncidentSummary, ParameterSpec, Severity, Status };

export interface RemediationStep {
  name: string;
  description: string;
  program: string;
  args: string[];
  parameters: Record<string, ParameterSpec>;
  timeoutSeconds: number;
  changes: boolean;
}

export interface IncidentsClientOptions {
  /** dist/servers/incidents.js */
  serverScript: string;
  nodePath: string;
  workspace: string;
  /** The server's secrets (INCIDENT_WEBHOOK_URL…), read when the server starts. */
  env: () => Promise<Record<string, string>>;
  approvals: AskApproval;
  /** Who the journal names for changes made here. */
  author: () => string;
  log?: (line: string) => void;
}

/** The server said no (a bad step, no webhook, a database down…): its words, for the person to act on. */
export class IncidentsError extends Error {}

export interface StepRun {
  ran: boolean;
  /** One line: 'step "x" exited 0', '… was stopped at its time limit', '… was not run: the user chose decline'. */
  summary: string;
  /** The server's whole answer, output included. */
  text: string;
  isError: boolean;
}

export interface PostmortemInput {
  impact: string;
  wentWell?: string[];
  wentBadly?: string[];
  actionItems?: Array<{ action: string; owner: string; due?: string }>;
}

// A remediation step waits for a person's approval (up to 10 min on the server) and then runs (up to an hour).
const CALL_TIMEOUT_MS = 75 * 60_000;

export class IncidentsClient {
  private manager: McpClientManager | undefined;
  private starting: Promise<McpClientManager> | undefined;

  constructor(private readonly options: IncidentsClientOptions) {}

  async list(status?: Status): Promise<IncidentSummary[]> {
    const answer = await this.call('list_incidents', { ...(status && { status }), limit: 500 });
    return (answer.incidents as IncidentSummary[] | undefined) ?? [];
  }

  async get(id: string): Promise<Incident> {
    return (await this.call('get_incident', { id })).incident as Incident;
  }

  async create(input: { title: string; severity: Severity; service: string; summary: string; report?: object }): Promise<Incident> {
    return (await this.call('create_incident', { ...input, author: this.options.author() })).incident as Incident;
  }

  async setStatus(id: string, status: Status, note?: string): Promise<Incident> {
    return (await this.call('update_incident', { id, status, ...(note && { note }), author: this.options.author() })).incident as Incident;
  }

  async addNote(id: string, text: string): Promise<void> {
    await this.call('add_timeline_entry', { id, text, author: this.options.author() });
  }

  async steps(): Promise<RemediationStep[]> {
    return ((await this.call('list_remediation_steps', {})).steps as RemediationStep[] | undefined) ?? [];
  }

  /** A real run: the server asks for approval (the dialog) first. A declined or failed step is not an exception. */
  async runStep(id: string, step: string, parameters: Record<string, unknown>): Promise<StepRun> {
    const outcome = await this.outcome('execute_remediation', { id, step, parameters, dry_run: false, author: this.options.author() });
    const answer = outcome.structured ?? {};
    if (outcome.isError && answer.ran === undefined) throw new IncidentsError(outcome.text); // refused before asking
    const ran = answer.ran === true;
    return { ran, summary: stepSummary(step, answer), text: outcome.text, isError: outcome.isError };
  }

  /** Writes the postmortem; resolves with its path. */
  async postmortem(id: string, input: PostmortemInput): Promise<string> {
    const answer = await this.call('document_resolution', {
      id,
      impact: input.impact,
      went_well: input.wentWell ?? [],
      went_badly: input.wentBadly ?? [],
      action_items: input.actionItems ?? [],
      author: this.options.author(),
    });
    return String(answer.path);
  }

  /** Posts to the team's webhook; rejects with the server's words when it was not delivered. */
  async notify(id: string, message: string): Promise<string> {
    const outcome = await this.outcome('notify_team', { id, message, author: this.options.author() });
    if (outcome.isError) throw new IncidentsError(outcome.text);
    return outcome.text;
  }

  /** Stops the server; the next call starts it again (with the secrets as they are then). */
  async restart(): Promise<void> {
    const manager = this.manager ?? (await this.starting?.catch(() => undefined));
    this.manager = undefined;
    this.starting = undefined;
    await manager?.stop();
  }

  dispose(): Promise<void> {
    return this.restart();
  }

  private async call(tool: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const outcome = await this.outcome(tool, args);
    if (outcome.isError) throw new IncidentsError(outcome.text);
    return outcome.structured ?? {};
  }

  private async outcome(tool: string, args: Record<string, unknown>): Promise<ToolCallOutcome> {
    const manager = await this.started();
    return manager.callTool(tool, args, { timeoutMs: CALL_TIMEOUT_MS });
  }

  private started(): Promise<McpClientManager> {
    if (this.manager) return Promise.resolve(this.manager);
    this.starting ??= this.start().then(
      (manager) => (this.manager = manager),
      (err: unknown) => {
        this.starting = undefined; // the next call tries again
        throw err;
      },
    );
    return this.starting;
  }

  private async start(): Promise<McpClientManager> {
    const { serverScript, nodePath, workspace, approvals, log } = this.options;
    const manager = new McpClientManager(
      [{ name: 'incidents', type: 'stdio', command: nodePath, args: [serverScript, '--workspace', workspace], env: await this.options.env() }],
      { approvals, callTimeoutMs: CALL_TIMEOUT_MS, maxRestarts: 2, log: log && ((line) => log(`[incidents] ${line}`)) },
    );
    const [status] = await manager.start();
    if (status?.state !== 'ready') {
      const stderr = manager.stderrOf('incidents').trim().split('\n').slice(-3).join('\n');
      await manager.stop();
      throw new IncidentsError(`the incidents server did not start: ${status?.lastError ?? 'unknown error'}${stderr ? `\n${stderr}` : ''}`);
    }
    return manager;
  }
}

function stepSummary(step: string, answer: Record<string, unknown>): string {
  if (answer.ran !== true) return `step "${step}" was not run: ${String(answer.reason ?? 'no approval')}`;
  if (answer.startError) return `step "${step}" could not start: ${String(answer.startError)}`;
  if (answer.timedOut) return `step "${step}" was stopped at its time limit`;
  if (answer.interrupted) return `step "${step}" was stopped: ${String(answer.interrupted)}`;
  return `step "${step}" exited ${String(answer.exitCode ?? answer.signal)}`;
}
