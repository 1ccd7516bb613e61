// Starts a bundled server the way its flags ask: on stdio (the default, one client) or as a network service.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { HttpService, type SourceHealth } from './http/httpService.js';
import type { ServiceOptions } from './http/serviceOptions.js';
import { stopServerWork } from './serverStopping.js';
import { logToStderr, serveOverStdio } from './stdio.js';

export const SERVER_VERSION = '0.1.0';

export interface ServeRequest {
  /** logs, git or metrics: the component in log lines and the `server` label of every metric. */
  name: string;
  createServer: () => McpServer;
  /** Undefined: stdio. */
  service: ServiceOptions | undefined;
  checkSource: () => Promise<SourceHealth>;
}

export async function serve(request: ServeRequest): Promise<void> {
  if (!request.service) {
    await serveOverStdio(request.createServer(), request.name);
    return;
  }
  const service = new HttpService({
    name: request.name,
    version: SERVER_VERSION,
    options: request.service,
    createServer: request.createServer,
    toolNames: await toolNamesOf(request.createServer()),
    checkSource: request.checkSource,
    log: (line) => logToStderr(request.name, line),
    resumeGraceMs: numberFromEnv('INCIDENT_MCP_RESUME_GRACE_MS'),
  });
  await service.start();
  const stop = (signal: string) => {
    logToStderr(request.name, `${signal}: finishing the calls in flight, then stopping`);
    service
      .shutdown()
      .then(() => stopServerWork(`the server was stopped (${signal})`))
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logToStderr(request.name, `stopping failed: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** The tools a server offers, asked of it in memory: they bound the `tool` label and /health reports their count. */
async function toolNamesOf(server: McpServer): Promise<string[]> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tool-list-probe', version: SERVER_VERSION });
  await server.connect(serverSide);
  await client.connect(clientSide);
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    names.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  await client.close();
  await server.close();
  return names;
}

function numberFromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) && value >= 0 ? value : undefined;
}
