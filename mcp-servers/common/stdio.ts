// Starts a server on stdio. stdout carries the protocol, so every diagnostic goes to stderr.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export function logToStderr(component: string, message: string): void {
  process.stderr.write(`[${component}] ${message}\n`);
}

export async function serveOverStdio(server: McpServer, component: string): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  logToStderr(component, 'ready on stdio');
  // Exit when the client goes away rather than lingering as an orphan.
  process.stdin.on('close', () => process.exit(0));
}
