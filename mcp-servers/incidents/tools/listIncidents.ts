// list_incidents: the incidents, newest first, optionally only those in one status.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { anyCaseEnum } from '../../common/enums.js';
import { guarded, ok } from '../../common/result.js';
import { summaryLine } from '../incidentView.js';
import { STATUSES } from '../model.js';
import type { IncidentToolDeps } from '../toolDeps.js';

export function registerListIncidentsTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'list_incidents',
    {
      title: 'List incidents',
      description: 'Incidents newest first, with status, severity, service and age.',
      inputSchema: {
        status: anyCaseEnum(STATUSES).optional().describe('Only incidents in this status'),
        limit: z.number().int().min(1).max(500).default(50),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('list_incidents', async ({ status, limit }) => {
      const incidents = await deps.store.list({ ...(status && { status }), limit });
      const text = incidents.length ? incidents.map(summaryLine).join('\n') : `No incidents${status ? ` in status ${status}` : ''}.`;
      return ok(text, { incidents });
    }),
  );
}
