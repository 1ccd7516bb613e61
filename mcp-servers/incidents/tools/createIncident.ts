// create_incident: opens an incident, usually from an analysis report, and starts its journal.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { anyCaseEnum } from '../../common/enums.js';
import { guarded, ok } from '../../common/result.js';
import { incidentText } from '../incidentView.js';
import { SEVERITIES } from '../model.js';
import { authorArg, authorOf, type IncidentToolDeps } from '../toolDeps.js';

export function registerCreateIncidentTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'create_incident',
    {
      title: 'Create incident',
      description:
        'Opens an incident (status investigating) and starts its journal. Pass the analysis report it came from, so ' +
        'the postmortem can cite its root cause and evidence.',
      inputSchema: {
        title: z.string().min(1).max(200).describe('What is broken, e.g. "Checkout API returns 500s"'),
        severity: anyCaseEnum(SEVERITIES).describe('SEV1 (worst) to SEV4'),
        service: z.string().min(1).max(100).describe('The service affected'),
        summary: z.string().min(1).max(4000).describe('What is known so far'),
        report: z
          .object({})
          .passthrough()
          .optional()
          .describe('The analysis report: rootCause {summary, category, confidence, suspectCommit, onset}, timeline, evidence, recommendations'),
        author: authorArg,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded('create_incident', async ({ title, severity, service, summary, report, author }) => {
      const incident = await deps.store.create({ title, severity, service, summary, ...(report && { report }) }, authorOf(server, author));
      return ok(`Opened ${incident.id}.\n${incidentText(incident)}`, { incident });
    }),
  );
}
