// `incident-analyzer incident …`: the incidents server from a terminal. Each subcommand starts the bundled server
// on the workspace, makes one call, prints its answer and exits 0 (or 1 when the server said no).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { McpClientManager } from '../engine/mcp/clientManager.js';
import { withoutControlCharacters } from '../engine/report/markdown.js';
import { UsageError, positiveInteger } from './args.js';
import { terminalApproval } from './terminalApproval.js';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

interface Common {
  workspace?: string;
  author?: string;
}

export function incidentCommand(exitWith: (code: Promise<number>) => void): Command {
  const incident = new Command('incident').description(
    'open, follow and close incidents: a journal per incident in WORKSPACE/.incident-analyzer/incidents/, or PostgreSQL when INCIDENT_POSTGRES_URL is set',
  );
  const sub = (name: string, description: string) =>
    incident
      .command(name)
      .description(description)
      .option('--workspace <dir>', 'the workspace (default: the current folder)')
      .option('--author <name>', 'who makes the change (default: your user name)');

  sub('list', 'incidents, newest first')
    .addOption(new Option('--status <status>', 'only incidents in this status').choices(STATUSES))
    .option('--limit <n>', 'at most this many', positiveInteger, 50)
    .action((o: Common & { status?: string; limit: number }) => exitWith(call(o, 'list_incidents', { ...(o.status && { status: o.status }), limit: o.limit })));

  sub('show', 'one incident with its journal')
    .argument('<id>', 'e.g. INC-3')
    .action((id: string, o: Common) => exitWith(call(o, 'get_incident', { id })));

  sub('create', 'open an incident')
    .requiredOption('--title <text>', 'what is broken')
    .addOption(new Option('--severity <sev>', 'SEV1 (worst) to SEV4').choices(SEVERITIES).makeOptionMandatory())
    .requiredOption('--service <name>', 'the service affected')
    .requiredOption('--summary <text>', 'what is known so far')
    .option('--report <file>', 'the analysis report it came from (the JSON of analyze --json)')
    .action((o: Common & { title: string; severity: string; service: string; summary: string; report?: string }) =>
      exitWith(
        call(o, 'create_incident', {
          title: o.title,
          severity: o.severity,
          service: o.service,
          summary: o.summary,
          ...(o.report && { report: readReport(o.report) }),
        }),
      ),
    );

  sub('update', 'change the status, severity, title or summary')
    .argument('<id>')
    .addOption(new Option('--status <status>').choices(STATUSES))
    .addOption(new Option('--severity <sev>').choices(SEVERITIES))
    .option('--title <text>')
    .option('--summary <text>')
    .option('--note <text>', 'why, kept with the status change')
    .action((id: string, o: Common & { status?: string; severity?: string; title?: string; summary?: string; note?: string }) => {
      const { workspace: _w, author: _a, ...changes } = o;
      exitWith(call(o, 'update_incident', { id, ...changes }));
    });

  sub('note', 'add a note to the journal')
    .argument('<id>')
    .argument('<text>')
    .action((id: string, text: string, o: Common) => exitWith(call(o, 'add_timeline_entry', { id, text })));

  sub('run', 'a remediation step from .incident-analyzer/runbooks.yaml: a dry run unless --execute')
    .argument('<id>')
    .argument('<step>')
    .option('--param <name=value>', 'a step parameter (repeat for more)', collect, [])
    .option('--execute', 'run it, after you approve the exact command')
    .option('--approve <step>', 'approve this step without asking (for scripts; repeat for more)', collect, [])
    .action((id: string, step: string, o: Common & { param: string[]; execute?: boolean; approve: string[] }) =>
      exitWith(call(o, 'execute_remediation', { id, step, parameters: parameters(o.param), dry_run: !o.execute }, o.approve)),
    );

  sub('postmortem', 'write the postmortem under incident-reports/')
    .argument('<id>')
    .requiredOption('--impact <text>', 'who was affected, how much, for how long')
    .option('--went-well <text>', 'repeat for more', collect, [])
    .option('--went-badly <text>', 'repeat for more', collect, [])
    .option('--action <"action | owner | due">', 'an action item (repeat for more)', collect, [])
    .action((id: string, o: Common & { impact: string; wentWell: string[]; wentBadly: string[]; action: string[] }) =>
      exitWith(
        call(o, 'document_resolution', { id, impact: o.impact, went_well: o.wentWell, went_badly: o.wentBadly, action_items: o.action.map(actionItem) }),
      ),
    );

  sub('notify', "post a message to the team's webhook (INCIDENT_WEBHOOK_URL)")
    .argument('<id>')
    .argument('<message>')
    .action((id: string, message: string, o: Common) => exitWith(call(o, 'notify_team', { id, message })));

  return incident;
}

/** Starts the incidents server on the workspace, makes the call, prints the answer. */
async function call(options: Common, tool: string, args: Record<string, unknown>, preapproved: readonly string[] = []): Promise<number> {
  const workspace = path.resolve(options.workspace ?? process.cwd());
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) throw new UsageError(`--workspace ${workspace} is not a folder`);
  const manager = new McpClientManager(
    [
      {
        name: 'incidents',
        type: 'stdio',
        command: process.execPath,
        args: [path.join(__dirname, 'servers', 'incidents.js'), '--workspace', workspace],
        // Its settings and secrets (database URL, webhook) come from the environment, as for the server itself.
        env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('INCIDENT_') && e[1] !== undefined)),
      },
    ],
    { approvals: terminalApproval(preapproved), callTimeoutMs: 15 * 60_000 },
  );
  try {
    const [status] = await manager.start();
    if (status?.state !== 'ready') {
      process.stderr.write(`incident-analyzer: the incidents server did not start: ${status?.lastError ?? 'unknown'}\n${manager.stderrOf('incidents')}\n`);
      return 1;
    }
    const author = options.author ?? os.userInfo().username;
    const outcome = await manager.callTool(tool, { ...args, ...(tool !== 'get_incident' && tool !== 'list_incidents' && { author }) });
    (outcome.isError ? process.stderr : process.stdout).write(`${withoutControlCharacters(outcome.text)}\n`);
    return outcome.isError ? 1 : 0;
  } finally {
    await manager.stop();
  }
}

function readReport(file: string): Record<string, unknown> {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!report || typeof report !== 'object' || Array.isArray(report)) throw new Error('it does not hold a JSON object');
    return report as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--report ${file}: ${(err as Error).message} (give the file analyze --json wrote)`);
  }
}

function parameters(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param "${pair}" is not NAME=VALUE`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

function actionItem(text: string): { action: string; owner: string; due?: string } {
  const [action, owner, due] = text.split('|').map((part) => part.trim());
  if (!action || !owner) throw new UsageError(`--action "${text}" needs "action | owner" (and optionally "| due")`);
  return { action, owner, ...(due && { due }) };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
