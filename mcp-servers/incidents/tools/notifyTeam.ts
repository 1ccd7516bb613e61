// notify_team: tells the team about an incident through the configured webhook; the journal records whether the
// message was delivered.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guarded, ok, UserError } from '../../common/result.js';
import { noSuchIncident } from '../store/incidentStore.js';
import { deliver, payloadFor, webhookHost } from '../notify/webhook.js';
import { authorArg, authorOf, incidentIdArg, type IncidentToolDeps } from '../toolDeps.js';

export function registerNotifyTeamTool(server: McpServer, deps: IncidentToolDeps): void {
  server.registerTool(
    'notify_team',
    {
      title: 'Notify team',
      description:
        "Posts a message about an incident to the team's webhook (Slack-compatible or generic JSON), retrying when the " +
        'receiver is down; the journal records the delivery or the failure.',
      inputSchema: { id: incidentIdArg, message: z.string().min(1).max(3000).describe('What the team should know'), author: authorArg },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    guarded('notify_team', async ({ id, message, author }) => {
      const webhook = deps.webhook;
      if (!webhook) {
        throw new UserError(
          'no team webhook is configured: set INCIDENT_WEBHOOK_URL for the incidents server (in VS Code: "Incident Analyzer: Set Team Webhook")',
        );
      }
      const incidentId = id.trim().toUpperCase();
      const incident = await deps.store.get(incidentId);
      if (!incident) throw noSuchIncident(id);
      const delivery = await deliver(webhook, payloadFor(webhook.format, incident, message));
      const who = authorOf(server, author);
      await deps.store.change(incidentId, () => [
        { author: who, kind: 'notification', data: { format: webhook.format, to: webhookHost(webhook), message, ...delivery } },
      ]);
      const where = `${webhookHost(webhook)} (${webhook.format})`;
      const text = delivery.delivered
        ? `Notified the team through ${where} (attempt ${delivery.attempts}).`
        : `Could not notify the team through ${where} after ${delivery.attempts} attempt(s): ${delivery.error}. The failure is in the journal.`;
      return { ...ok(text, { incident: incidentId, ...delivery }), ...(delivery.delivered ? {} : { isError: true }) };
    }),
  );
}
