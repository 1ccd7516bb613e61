// A small MCP server that misbehaves on purpose, to test how the client manager copes.
// Usage: node misbehaving-server.mjs MODE   (MODE: ok | crash-on-call | hang | garbage | die-at-start)
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const mode = process.argv[2] ?? 'ok';
if (mode === 'die-at-start') {
  process.stderr.write('fatal: cannot open /etc/widget.conf: permission denied\n');
  process.exit(3);
}

const server = new McpServer({ name: `misbehaving-${mode}`, version: '0.0.0' });
server.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() } }, async ({ text }) => {
  if (mode === 'garbage') process.stdout.write('this is not JSON-RPC\n');
  return { content: [{ type: 'text', text: `echo: ${text}` }] };
});
server.registerTool('boom', { description: 'Crashes the process in crash-on-call mode.', inputSchema: {} }, async () => {
  if (mode === 'crash-on-call') {
    process.stderr.write('panic: something broke in boom\n');
    process.exit(1);
  }
  return { content: [{ type: 'text', text: 'no boom' }] };
});
server.registerTool('sleep', { description: 'Never answers in hang mode.', inputSchema: {} }, async () => {
  if (mode === 'hang') await new Promise(() => {});
  return { content: [{ type: 'text', text: 'awake' }] };
});
server.registerTool('env', { description: 'Shows one environment variable.', inputSchema: { name: z.string() } }, async ({ name }) => ({
  content: [{ type: 'text', text: process.env[name] ?? '(unset)' }],
}));

if (mode === 'garbage') process.stdout.write('garbage before the protocol starts\n');
await server.connect(new StdioServerTransport());
process.stderr.write(`misbehaving server (${mode}) ready\n`);
