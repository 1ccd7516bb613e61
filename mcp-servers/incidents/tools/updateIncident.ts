// update_incident: moves the status (investigating → identified → monitoring → resolved) and corrects the title,
// severity or summary; each change is a journal entry.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { anyCaseEnum } from '../../common/enums.js';
import { guarded, ok, UserError } from '../../common/result.js';
import { incidentText } from '../incidentView.js';
import { SEVERITIES, STATUSES, type NewEntry } from '../model.js';
import { authorArg, authorOf, incidentIdArg, type IncidentToolDeps } from '../toolDeps.js';

export function registerUpdateIncidentTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'update_incident',
    {
      title: 'Update incident',
      description:
        'Changes an incident: its status (investigating, identified, monitoring, resolved; a resolved incident can be ' +
        'reopened), severity, title or summary. Every change is written to the journal with its author.',
      inputSchema: {
        id: incidentIdArg,
        status: anyCaseEnum(STATUSES).optional(),
        severity: anyCaseEnum(SEVERITIES).optional(),
        title: z.string().min(1).max(200).optional(),
        summary: z.string().min(1).max(4000).optional(),
        note: z.string().max(2000).optional().describe('Why, written with the status change'),
        author: authorArg,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded('update_incident', async ({ id, status, severity, title, summary, note, author }) => {
      const who = authorOf(server, author);
      const incident = await deps.store.change(id.trim().toUpperCase(), (current) => {
        const entries: NewEntry[] = [];
        const changes = Object.fromEntries(
          Object.entries({ severity, title, summary }).filter(([key, value]) => value !== undefined && value !== current[key as keyof typeof current]),
        );
        if (Object.keys(changes).length > 0) entries.push({ author: who, kind: 'updated', data: changes });
        if (status !== undefined && status !== current.status) {
          entries.push({ author: who, kind: 'status', data: { from: current.status, to: status, ...(note && { note }) } });
        }
        if (entries.length === 0) {
          throw new UserError(`nothing to change: ${current.id} already has ${status ? `status ${status}` : 'those values'}`);
        }
        return entries;
      });
      return ok(incidentText(incident), { incident });
    }),
  );
}
