// Starts a bundled MCP server as a real process and talks to it over stdio with the SDK client.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const fixturesDir = path.join(repoRoot, 'fixtures');

export interface RunningServer {
  client: Client;
  call(tool: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  stderr(): string;
  close(): Promise<void>;
  /** The server's process id. */
  pid: number | null;
}

export async function startServer(
  name: 'logs' | 'git' | 'metrics' | 'incidents',
  args: string[],
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(repoRoot, 'dist', 'servers', `${name}.js`), ...args],
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'incident-analyzer-tests', version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(tool, toolArgs = {}) {
      const result = await client.callTool({ name: tool, arguments: toolArgs }, CallToolResultSchema);
      return result as CallToolResult;
    },
    stderr: () => stderr,
    close: () => client.close(),
    pid: transport.pid,
  };
}

export function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function structuredOf<T = any>(result: CallToolResult): T {
  if (result.isError) throw new Error(`tool returned an error: ${textOf(result)}`);
  if (!result.structuredContent) throw new Error('tool returned no structuredContent');
  return result.structuredContent as T;
}
