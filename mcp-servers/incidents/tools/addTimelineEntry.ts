// add_timeline_entry: a note in the incident's journal ("rolled back v1.4.2", "paged the DB team").
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok } from '../../common/result.js';
import { entryLine } from '../incidentView.js';
import { authorArg, authorOf, incidentIdArg, type IncidentToolDeps } from '../toolDeps.js';

export function registerAddTimelineEntryTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'add_timeline_entry',
    {
      title: 'Add timeline entry',
      description: 'Adds a note to the incident journal, with the time and its author.',
      inputSchema: { id: incidentIdArg, text: z.string().min(1).max(4000), author: authorArg },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded('add_timeline_entry', async ({ id, text, author }) => {
      const who = authorOf(server, author);
      const incident = await deps.store.change(id.trim().toUpperCase(), () => [{ author: who, kind: 'note', data: { text } }]);
      const entry = incident.journal[incident.journal.length - 1]!;
      return ok(`Added to ${incident.id}: ${entryLine(entry)}`, { incident: incident.id, entry });
    }),
  );
}
