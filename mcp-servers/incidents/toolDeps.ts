// What every incidents tool is given.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { IncidentStore } from './store/incidentStore.js';
import type { WebhookSettings } from './notify/webhook.js';

export interface IncidentToolDeps {
  store: IncidentStore;
  /** The workspace: where the runbooks are read, steps run and postmortems written. */
  workspace: string;
  runbooksFile: string;
  /** Undefined: no webhook configured, notify_team says how to set one. */
  webhook: WebhookSettings | undefined;
}

export const authorArg = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('Who makes this change (a name or e-mail); default: the client application');

/** The journal's author: the person named, else the client application that called. */
export function authorOf(server: McpServer, given: string | undefined): string {
  return given?.trim() || server.server.getClientVersion()?.name || 'unknown client';
}

export const incidentIdArg = z.string().describe('The incident id, e.g. INC-3');
