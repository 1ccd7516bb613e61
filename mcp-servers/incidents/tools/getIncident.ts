// get_incident: one incident with its whole journal.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { guarded, ok } from '../../common/result.js';
import { incidentText } from '../incidentView.js';
import { noSuchIncident } from '../store/incidentStore.js';
import { incidentIdArg, type IncidentToolDeps } from '../toolDeps.js';

export function registerGetIncidentTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'get_incident',
    {
      title: 'Get incident',
      description: 'One incident: title, severity, status, service, summary, the report it came from and its journal, oldest entry first.',
      inputSchema: { id: incidentIdArg },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('get_incident', async ({ id }) => {
      const incident = await deps.store.get(id.trim().toUpperCase());
      if (!incident) throw noSuchIncident(id);
      return ok(incidentText(incident), { incident });
    }),
  );
}
