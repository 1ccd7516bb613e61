// document_resolution: writes the incident's postmortem under incident-reports/ (never over an existing file) and
// records it in the journal.
import fs from 'node:fs';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok } from '../../common/result.js';
import { postmortemMarkdown } from '../postmortem.js';
import { noSuchIncident } from '../store/incidentStore.js';
import { authorArg, authorOf, incidentIdArg, type IncidentToolDeps } from '../toolDeps.js';

export function registerDocumentResolutionTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'document_resolution',
    {
      title: 'Write postmortem',
      description:
        'Writes the postmortem of an incident as Markdown under incident-reports/ in the workspace: summary, impact, ' +
        'timeline from the journal, root cause with the evidence of the report it came from, what went well and badly, ' +
        'and action items with owners. An existing file is never overwritten.',
      inputSchema: {
        id: incidentIdArg,
        impact: z.string().min(1).max(4000).describe('Who was affected, how much and for how long'),
        went_well: z.array(z.string().max(1000)).max(50).default([]),
        went_badly: z.array(z.string().max(1000)).max(50).default([]),
        action_items: z
          .array(z.object({ action: z.string().min(1).max(1000), owner: z.string().min(1).max(200), due: z.string().max(100).optional() }))
          .max(100)
          .default([]),
        author: authorArg,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded('document_resolution', async ({ id, impact, went_well, went_badly, action_items, author }) => {
      const incidentId = id.trim().toUpperCase();
      const incident = await deps.store.get(incidentId);
      if (!incident) throw noSuchIncident(id);
      const markdown = postmortemMarkdown(incident, { impact, wentWell: went_well, wentBadly: went_badly, actionItems: action_items }, new Date().toISOString());
      const file = writeNew(path.join(deps.workspace, 'incident-reports'), `${incidentId}-postmortem`, markdown);
      await deps.store.change(incidentId, () => [{ author: authorOf(server, author), kind: 'postmortem', data: { path: path.relative(deps.workspace, file) } }]);
      return ok(`Wrote the postmortem of ${incidentId} to ${file}.\n\n${markdown}`, { incident: incidentId, path: file, markdown });
    }),
  );
}

/** Creates folder/base.md, or base-2.md, base-3.md… when taken: O_EXCL, so two writers never share a file. */
function writeNew(folder: string, base: string, text: string): string {
  fs.mkdirSync(folder, { recursive: true });
  for (let n = 1; ; n++) {
    const file = path.join(folder, `${base}${n === 1 ? '' : `-${n}`}.md`);
    try {
      fs.writeFileSync(file, text, { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
