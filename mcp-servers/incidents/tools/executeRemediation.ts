// execute_remediation: runs a step declared in the workspace's runbook file, and nothing else. A dry run (the
// default) shows the exact command; a real run happens only after the person at the client approves that exact
// command through MCP elicitation. Every request, approval, refusal and result goes to the journal.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { callSignal } from '../../common/callSignal.js';
import { guarded, ok, UserError } from '../../common/result.js';
import { finishBeforeExit, serverStopping } from '../../common/serverStopping.js';
import { readRunbooks } from '../runbooks/runbookFile.js';
import { runStep, type StepOutcome } from '../runbooks/runStep.js';
import { commandFor, displayCommand, listParameters } from '../runbooks/stepCommand.js';
import { noSuchIncident } from '../store/incidentStore.js';
import { authorArg, authorOf, incidentIdArg, type IncidentToolDeps } from '../toolDeps.js';

/** How long a person has to answer the approval. */
const APPROVAL_TIMEOUT_MS = 10 * 60_000;

export function registerExecuteRemediationTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'execute_remediation',
    {
      title: 'Execute remediation step',
      description:
        "Runs a remediation step declared in the workspace's runbook file (.incident-analyzer/runbooks.yaml) with typed " +
        'parameters. dry_run (the default) only shows the exact command. With dry_run false the user is asked to approve ' +
        'that exact command first; without approval nothing runs. Output is captured, bounded and written to the journal.',
      inputSchema: {
        id: incidentIdArg,
        step: z.string().min(1).describe('The step name from the runbook file'),
        parameters: z.record(z.string(), z.unknown()).default({}).describe('The step parameters, by name'),
        dry_run: z.boolean().default(true),
        author: authorArg,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    guarded('execute_remediation', async ({ id, step: stepName, parameters, dry_run, author }) => {
      const incidentId = id.trim().toUpperCase();
      if (!(await deps.store.get(incidentId))) throw noSuchIncident(id);
      const steps = readRunbooks(deps.runbooksFile);
      const step = steps.get(stepName);
      if (!step) {
        throw new UserError(`"${stepName}" is not a step of ${deps.runbooksFile}; the steps declared there are: ${[...steps.keys()].join(', ') || '(none)'}`);
      }
      const command = commandFor(step, parameters);
      const shown = displayCommand(command);
      const who = authorOf(server, author);
      const base = { step: step.name, command: shown, argv: [command.program, ...command.args], changes: step.changes };
      const journal = (kind: 'remediation_dry_run' | 'remediation_approved' | 'remediation_declined' | 'remediation_result', data: Record<string, unknown>) =>
        deps.store.change(incidentId, () => [{ author: who, kind, data: { ...base, ...data } }]);

      if (dry_run) {
        await journal('remediation_dry_run', {});
        return ok(
          `Dry run of "${step.name}" (${step.description}; ${step.changes ? 'changes things' : 'read-only'}):\n  ${shown}\n` +
            `Parameters: ${listParameters(step)}. Call again with dry_run: false to run it; the user will be asked to approve this exact command.`,
          { incident: incidentId, ...base, dryRun: true },
        );
      }

      const approval = await askApproval(server, { incident: incidentId, step: step.name, description: step.description, command: shown, argv: base.argv, changes: step.changes, timeoutSeconds: step.timeout_seconds });
      if (!approval.approved) {
        await journal('remediation_declined', { reason: approval.reason });
        return { ...ok(`Not run: ${approval.reason}.`, { incident: incidentId, ...base, ran: false, reason: approval.reason }), isError: true };
      }
      await journal('remediation_approved', { approvedBy: approval.by });
      // Stopped with the call or the server, never left running unobserved; either way its end is journaled.
      const call = callSignal();
      const stop = call ? AbortSignal.any([call, serverStopping]) : serverStopping;
      const why = () => (serverStopping.aborted ? reasonOf(serverStopping) : 'the call was cancelled (the client stopped it or went away)');
      const outcome = await finishBeforeExit(
        runStep(command, { cwd: deps.workspace, timeoutMs: step.timeout_seconds * 1000, stop, why }).then(async (o) => {
          await journal('remediation_result', { ...o });
          return o;
        }),
      );
      return { ...ok(resultText(step.name, shown, outcome), { incident: incidentId, ...base, ran: true, ...outcome }), ...(succeeded(outcome) ? {} : { isError: true }) };
    }),
  );
}

export interface ApprovalRequest {
  incident: string;
  step: string;
  description: string;
  command: string;
  argv: string[];
  changes: boolean;
  timeoutSeconds: number;
}

/** What a client can show besides the message: the exact argv, for a dialog that lists each argument. */
export const APPROVAL_META_KEY = 'incident-analyzer/remediation';

async function askApproval(server: McpServer, request: ApprovalRequest): Promise<{ approved: true; by: string } | { approved: false; reason: string }> {
  const { incident, step, description, command, changes, timeoutSeconds } = request;
  if (!server.server.getClientCapabilities()?.elicitation) {
    return { approved: false, reason: 'this client cannot ask the user for approval (it does not support MCP elicitation), so the step was not run' };
  }
  try {
    const answer = await server.server.elicitInput(
      {
        message:
          `Run remediation step "${step}" for ${incident}?\n${description}\n\n${command}\n\n` +
          `${changes ? 'This step CHANGES things.' : 'This step only reads.'} It is stopped after ${timeoutSeconds} s.`,
        requestedSchema: {
          type: 'object',
          properties: { approve: { type: 'boolean', title: 'Run this exact command', default: false } },
          required: ['approve'],
        },
        _meta: { [APPROVAL_META_KEY]: request },
      },
      { timeout: APPROVAL_TIMEOUT_MS },
    );
    if (answer.action === 'accept' && answer.content?.approve === true) {
      return { approved: true, by: server.server.getClientVersion()?.name ?? 'the client' };
    }
    return { approved: false, reason: answer.action === 'accept' ? 'the user did not approve it' : `the user chose ${answer.action}` };
  } catch (err) {
    return { approved: false, reason: `no approval: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function succeeded(outcome: StepOutcome): boolean {
  return !outcome.startError && !outcome.timedOut && !outcome.interrupted && outcome.exitCode === 0;
}

function reasonOf(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
}

function resultText(step: string, command: string, outcome: StepOutcome): string {
  const how = outcome.startError
    ? `could not start: ${outcome.startError}`
    : outcome.timedOut
      ? `was stopped after its time limit (${outcome.durationMs} ms)`
      : outcome.interrupted
        ? `was stopped after ${outcome.durationMs} ms: ${outcome.interrupted}`
        : `exited with ${outcome.exitCode ?? outcome.signal} after ${outcome.durationMs} ms`;
  const parts = [`Step "${step}" (${command}) ${how}.`];
  if (outcome.stdout) parts.push(`stdout:\n${outcome.stdout}`);
  if (outcome.stderr) parts.push(`stderr:\n${outcome.stderr}`);
  return parts.join('\n');
}
