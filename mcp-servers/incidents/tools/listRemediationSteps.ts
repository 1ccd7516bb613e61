// list_remediation_steps: what execute_remediation may run, as the runbook file declares it, so a client can
// offer the steps and ask for their parameters without reading the file itself (the server may be remote).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { guarded, ok } from '../../common/result.js';
import { readRunbooks } from '../runbooks/runbookFile.js';
import { listParameters } from '../runbooks/stepCommand.js';
import type { IncidentToolDeps } from '../toolDeps.js';

export function registerListRemediationStepsTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'list_remediation_steps',
    {
      title: 'List remediation steps',
      description:
        "The remediation steps declared in the workspace's runbook file (.incident-analyzer/runbooks.yaml): name, " +
        'description, program and arguments, typed parameters, time limit, and whether the step changes anything.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('list_remediation_steps', async () => {
      const declared = [...readRunbooks(deps.runbooksFile).values()];
      const steps = declared.map((step) => ({
        name: step.name,
        description: step.description,
        program: step.program,
        args: step.args,
        parameters: step.parameters,
        timeoutSeconds: step.timeout_seconds,
        changes: step.changes,
      }));
      const lines = declared.map((s) => `${s.name}: ${s.description} (${s.changes ? 'changes things' : 'read-only'}; ${listParameters(s)})`);
      return ok(lines.join('\n') || `No steps are declared in ${deps.runbooksFile}.`, { steps });
    }),
  );
}
