// A remote MCP server behind a real OAuth 2.1 authorization server, both on one loopback port, built from the
// SDK's server-side auth (metadata, dynamic registration, PKCE-checked token endpoint, bearer middleware).
// The authorization page approves or denies at once, as the test says; tokens can be made to expire quickly.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthServerProvider, AuthorizationParams } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

// express comes with the SDK but without types here; the few calls used are typed by hand.
type Handler = (req: any, res: any, next: (err?: unknown) => void) => void;
interface App {
  use(...handlers: unknown[]): void;
  post(path: string, ...handlers: Handler[]): void;
  get(path: string, ...handlers: Handler[]): void;
  listen(port: number, host: string, ready: () => void): http.Server;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require('express') as { (): App; json(): Handler };

export interface OAuthServerLog {
  registrations: Array<Record<string, unknown>>;
  authorizations: Array<AuthorizationParams & { clientId: string }>;
  grants: string[];
}

export interface OAuthTestServer {
  /** The MCP endpoint. */
  url: string;
  log: OAuthServerLog;
  /** deny: the authorization page refuses; approve (default): it grants at once. */
  decision: 'approve' | 'deny';
  /** Expires every access token issued so far, as time would (the test decides when, not the clock). */
  expireAccessTokens(): void;
  /** When false, the MCP endpoint refuses every token (a server that will not accept us). */
  acceptTokens: boolean;
  close(): Promise<void>;
}

export async function startOAuthServer(): Promise<OAuthTestServer> {
  const app = express();
  const clients = new Map<string, OAuthClientInformationFull>();
  const codes = new Map<string, { clientId: string; challenge: string; redirectUri: string }>();
  const accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  const refreshTokens = new Map<string, string>();
  const log: OAuthServerLog = { registrations: [], authorizations: [], grants: [] };

  const issue = (clientId: string): OAuthTokens => {
    const access = `at-${randomUUID()}`;
    const refresh = `rt-${randomUUID()}`;
    accessTokens.set(access, { clientId, expiresAt: Date.now() + 3600_000 });
    refreshTokens.set(refresh, clientId);
    return { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh };
  };

  const clientsStore: OAuthRegisteredClientsStore = {
    getClient: (id) => clients.get(id),
    registerClient: (client) => {
      log.registrations.push({ ...client });
      const full = { ...client, client_id: `client-${randomUUID()}`, client_id_issued_at: Math.floor(Date.now() / 1000) } as OAuthClientInformationFull;
      clients.set(full.client_id, full);
      return full;
    },
  };

  const provider: OAuthServerProvider = {
    clientsStore,
    async authorize(client, params, res) {
      log.authorizations.push({ ...params, clientId: client.client_id });
      const back = new URL(params.redirectUri);
      if (params.state) back.searchParams.set('state', params.state);
      if (state.decision === 'deny') {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'the user said no');
      } else {
        const code = `code-${randomUUID()}`;
        codes.set(code, { clientId: client.client_id, challenge: params.codeChallenge, redirectUri: params.redirectUri });
        back.searchParams.set('code', code);
      }
      res.redirect(302, back.href);
    },
    async challengeForAuthorizationCode(_client, code) {
      const entry = codes.get(code);
      if (!entry) throw new InvalidGrantError('unknown code');
      return entry.challenge;
    },
    async exchangeAuthorizationCode(client, code) {
      const entry = codes.get(code);
      if (!entry || entry.clientId !== client.client_id) throw new InvalidGrantError('unknown code');
      codes.delete(code);
      log.grants.push('authorization_code');
      return issue(client.client_id);
    },
    async exchangeRefreshToken(client, refreshToken) {
      if (refreshTokens.get(refreshToken) !== client.client_id) throw new InvalidGrantError('unknown refresh token');
      refreshTokens.delete(refreshToken);
      log.grants.push('refresh_token');
      return issue(client.client_id);
    },
    async verifyAccessToken(token): Promise<AuthInfo> {
      const entry = accessTokens.get(token);
      if (!entry || !state.acceptTokens) throw new InvalidTokenError('unknown token');
      if (entry.expiresAt <= Date.now()) throw new InvalidTokenError('token expired');
      return { token, clientId: entry.clientId, scopes: [], expiresAt: Math.floor(entry.expiresAt / 1000) };
    },
  };

  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mcpUrl = new URL('/mcp', base);
  const noLimit = { rateLimit: false as const };
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl: new URL(base),
      resourceServerUrl: mcpUrl,
      authorizationOptions: noLimit,
      clientRegistrationOptions: noLimit,
      tokenOptions: noLimit,
      revocationOptions: noLimit,
    }),
  );
  const bearer = requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) });
  app.post('/mcp', express.json(), bearer, (req, res) => {
    // Stateless: a server and transport per request.
    const mcp = new McpServer({ name: 'oauth-protected', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'Which client the token belongs to.' }, (extra) => ({
      content: [{ type: 'text', text: `client ${extra.authInfo?.clientId ?? 'unknown'}` }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    void mcp.connect(transport).then(() => transport.handleRequest(req, res, req.body));
  });
  app.get('/mcp', (_req, res) => res.status(405).end());

  const state: OAuthTestServer = {
    url: mcpUrl.href,
    log,
    decision: 'approve',
    expireAccessTokens: () => {
      for (const entry of accessTokens.values()) entry.expiresAt = 0;
    },
    acceptTokens: true,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}
