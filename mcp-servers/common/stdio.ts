// Starts a server on stdio. stdout carries the protocol, so every diagnostic goes to stderr.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { stopServerWork } from './serverStopping.js';

export function logToStderr(component: string, message: string): void {
  process.stderr.write(`[${component}] ${message}\n`);
}

export async function serveOverStdio(server: McpServer, component: string): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  logToStderr(component, 'ready on stdio');
  // Exit when the client goes away rather than lingering as an orphan; what is running ends cleanly first.
  // A client closing us sends SIGTERM 2 s after closing stdin: that is the same stop, not a second one.
  const stop = (why: string) => void stopServerWork(why).then(() => process.exit(0));
  process.stdin.on('close', () => stop('the server was stopped (its client went away)'));
  process.once('SIGTERM', () => stop('the server was stopped (SIGTERM)'));
  process.once('SIGINT', () => stop('the server was stopped (SIGINT)'));
}
