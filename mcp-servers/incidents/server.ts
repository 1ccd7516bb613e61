// The incidents MCP server: open an incident, keep its journal, run declared remediation steps under approval,
// write the postmortem and notify the team.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SERVER_VERSION } from '../common/serve.js';
import type { IncidentToolDeps } from './toolDeps.js';
import { registerAddTimelineEntryTool } from './tools/addTimelineEntry.js';
import { registerCreateIncidentTool } from './tools/createIncident.js';
import { registerDocumentResolutionTool } from './tools/documentResolution.js';
import { registerExecuteRemediationTool } from './tools/executeRemediation.js';
import { registerGetIncidentTool } from './tools/getIncident.js';
import { registerListIncidentsTool } from './tools/listIncidents.js';
import { registerListRemediationStepsTool } from './tools/listRemediationSteps.js';
import { registerNotifyTeamTool } from './tools/notifyTeam.js';
import { registerUpdateIncidentTool } from './tools/updateIncident.js';

export function createIncidentsServer(deps: IncidentToolDeps): McpServer {
  const server = new McpServer({ name: 'incident-analyzer-incidents', version: SERVER_VERSION });
  registerCreateIncidentTool(server, deps);
  registerGetIncidentTool(server, deps);
  registerListIncidentsTool(server, deps);
  registerUpdateIncidentTool(server, deps);
  registerAddTimelineEntryTool(server, deps);
  registerListRemediationStepsTool(server, deps);
  registerExecuteRemediationTool(server, deps);
  registerDocumentResolutionTool(server, deps);
  registerNotifyTeamTool(server, deps);
  return server;
}
