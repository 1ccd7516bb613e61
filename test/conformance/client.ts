// The client the conformance runner drives: the engine's McpClientManager with one http server at the URL the
// runner passes last. The runner's authorization server approves at once, so the "browser" here fetches the
// authorization URL without following the redirect and hands the code from its Location on.
// Usage (by the runner): tsx test/conformance/client.ts <server-url>; MCP_CONFORMANCE_SCENARIO names the scenario.
import type { OAuthSettings } from '../../src/engine/config/serverDefinitions';
import { McpClientManager } from '../../src/engine/mcp/clientManager';
import type { AuthorizationOpener } from '../../src/engine/mcp/oauth/authorizationOpener';
import { MemoryTokenStore } from '../../src/engine/mcp/oauth/tokenStore';

const fetchingOpener: AuthorizationOpener = {
  async authorize(authorizationUrl) {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (!location) throw new Error(`the authorization endpoint answered ${response.status} without a redirect`);
    const back = new URL(location);
    if (back.searchParams.get('state') !== authorizationUrl.searchParams.get('state')) throw new Error('state mismatch');
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code in the redirect (${back.searchParams.get('error') ?? 'no error given'})`);
    return code;
  },
};

/** Pre-registration and client-credentials scenarios hand over the client in MCP_CONFORMANCE_CONTEXT. */
function oauthSettings(scenario: string): OAuthSettings | undefined {
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT || '{}') as { client_id?: string; client_secret?: string };
  if (!context.client_id) return undefined;
  const grantType = scenario.startsWith('auth/client-credentials') ? ('client_credentials' as const) : undefined;
  return { clientId: context.client_id, clientSecret: context.client_secret, ...(grantType ? { grantType } : {}) };
}

async function main(): Promise<number> {
  const url = process.argv[process.argv.length - 1]!;
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  const oauth = oauthSettings(scenario);
  const manager = new McpClientManager([{ name: 'conformance', type: 'http', url, headers: {}, ...(oauth ? { oauth } : {}) }], {
    clientName: 'incident-analyzer-conformance',
    startTimeoutMs: 50_000, // generous: the runner allows 60 s, and a busy machine is slow to serve fifteen clients at once
    maxRestarts: 0,
    log: (line) => process.stderr.write(`${line}\n`),
    oauth: { store: new MemoryTokenStore(), opener: fetchingOpener, signInOnStart: true, signInHint: 'The conformance client signs in by itself.', signInTimeoutMs: 10_000 },
  });
  try {
    const [status] = await manager.start();
    if (status?.state !== 'ready') {
      process.stderr.write(`not ready: ${status?.lastError ?? status?.state}\n`);
      return 1;
    }
    // Every scenario that offers tools gets one call: the tool-call scenarios check it, the auth ones see an
    // authorized request after the sign-in.
    for (const tool of manager.catalog()) {
      const outcome = await manager.callTool(tool.name, argumentsFor(tool.inputSchema));
      process.stderr.write(`${tool.name}: ${outcome.isError ? 'error' : 'ok'} ${outcome.text.slice(0, 200)}\n`);
    }
    return 0;
  } finally {
    await manager.stop();
  }
}

/** Numbers for required number fields, text for the rest: enough for the runner's test tools. */
function argumentsFor(schema: { properties?: Record<string, unknown>; required?: string[] }): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    const type = (schema.properties?.[name] as { type?: string } | undefined)?.type;
    args[name] = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : 'conformance';
  }
  return args;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance client failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
