import assert from 'node:assert/strict';
import type { ResolvedServer } from '../../src/engine/config/serverDefinitions';
import { McpClientManager, type ManagerOptions } from '../../src/engine/mcp/clientManager';
import { loopbackOpener, type AuthorizationOpener } from '../../src/engine/mcp/oauth/authorizationOpener';
import { MemoryTokenStore } from '../../src/engine/mcp/oauth/tokenStore';
import { AnalysisSession } from '../../src/extension/analysisSession';
import { RunStore } from '../../src/extension/runStore';
import { readSettings } from '../../src/extension/settings';
import { startOAuthServer, type OAuthTestServer } from '../support/oauthServer';

/** A "browser" that follows the authorization page's redirect back to the loopback receiver, as a person's would. */
const visit = (opened: string[]) => async (url: string) => {
  opened.push(url);
  const page = await fetch(url, { redirect: 'manual' });
  const back = page.headers.get('location');
  if (back) await fetch(back);
};
const browser = (opened: string[] = []) => loopbackOpener(visit(opened));

const neverOpens: AuthorizationOpener = {
  authorize: () => Promise.reject(new Error('the test did not expect a browser')),
};

describe('OAuth sign-in to remote MCP servers', function () {
  this.timeout(30_000);
  let server: OAuthTestServer;
  let manager: McpClientManager | undefined;
  const remote = (): ResolvedServer => ({ name: 'remote', type: 'http', url: server.url, headers: {} });
  const start = async (options: Partial<NonNullable<ManagerOptions['oauth']>> & { store: MemoryTokenStore }) => {
    manager = new McpClientManager([remote()], {
      maxRestarts: 0,
      startTimeoutMs: 10_000,
      oauth: { opener: browser(), signInOnStart: true, signInHint: 'Sign in again.', ...options },
    });
    const [status] = await manager.start();
    return status!;
  };

  beforeEach(async () => {
    server = await startOAuthServer();
  });
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
    await server.close();
  });

  it('discovers the authorization server, registers, signs in with PKCE and state, and keeps the tokens in the store', async () => {
    const store = new MemoryTokenStore();
    const opened: string[] = [];
    const status = await start({ store, opener: browser(opened) });
    assert.equal(status.state, 'ready', status.lastError);
    assert.equal(opened.length, 1);

    const [registration] = server.log.registrations;
    assert.deepEqual(registration?.redirect_uris, [new URL(opened[0]!).searchParams.get('redirect_uri')]);
    assert.match(String(registration?.redirect_uris), /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(registration?.token_endpoint_auth_method, 'none');
    const authorization = new URL(opened[0]!).searchParams;
    assert.equal(authorization.get('code_challenge_method'), 'S256');
    assert.ok((authorization.get('state') ?? '').length >= 32, 'a random state');
    assert.equal(authorization.get('resource'), server.url);

    const record = await store.get(server.url);
    assert.match(record?.tokens?.access_token ?? '', /^at-/);
    assert.match(record?.tokens?.refresh_token ?? '', /^rt-/);
    assert.match(String(record?.client?.client_id), /^client-/);
    assert.equal(record?.codeVerifier, undefined, 'the verifier is dropped once used');
    const call = await manager!.callTool('whoami', {});
    assert.equal(call.text, `client ${record?.client?.client_id}`);
  });

  it('a later start uses the stored tokens: no browser, no new registration', async () => {
    const store = new MemoryTokenStore();
    assert.equal((await start({ store })).state, 'ready');
    await manager!.stop();
    const status = await start({ store, opener: neverOpens });
    assert.equal(status.state, 'ready', status.lastError);
    assert.equal(server.log.registrations.length, 1);
    assert.deepEqual(server.log.grants, ['authorization_code']);
  });

  it('an expired access token is refreshed with the refresh token, and the new one is stored', async () => {
    const store = new MemoryTokenStore();
    assert.equal((await start({ store })).state, 'ready');
    const before = (await store.get(server.url))?.tokens?.access_token;
    server.expireAccessTokens();
    const call = await manager!.callTool('whoami', {});
    assert.equal(call.isError, false, call.text);
    assert.deepEqual(server.log.grants, ['authorization_code', 'refresh_token']);
    const after = (await store.get(server.url))?.tokens?.access_token;
    assert.ok(after && after !== before, 'the refreshed token replaced the old one');

    // A start that may not open a browser (the extension's) refreshes an expired token all the same.
    await manager!.stop();
    server.expireAccessTokens();
    const status = await start({ store, opener: neverOpens, signInOnStart: false });
    assert.equal(status.state, 'ready', status.lastError);
    assert.deepEqual(server.log.grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  });

  it('an automatic start never opens the browser: the server says it needs a sign-in, and signIn() does it', async () => {
    const store = new MemoryTokenStore();
    const opened: string[] = [];
    const status = await start({ store, opener: browser(opened), signInOnStart: false, signInHint: 'Click "Sign In".' });
    assert.equal(status.state, 'error');
    assert.equal(status.needsSignIn, true);
    assert.equal(status.lastError, 'needs sign-in (OAuth). Click "Sign In".');
    assert.equal(opened.length, 0);
    const after = await manager!.signIn('remote');
    assert.equal(after?.state, 'ready', after?.lastError);
    assert.equal(after?.needsSignIn, undefined);
    assert.equal(opened.length, 1);
  });

  it('a refused sign-in is reported with what to do, and the server is not restarted in a loop', async () => {
    server.decision = 'deny';
    const status = await start({ store: new MemoryTokenStore(), signInHint: 'Run it again.' });
    assert.equal(status.state, 'error');
    assert.equal(status.needsSignIn, true);
    assert.match(status.lastError ?? '', /^sign-in failed: the authorization server did not grant access: access_denied \(the user said no\)\. Run it again\.$/);
    assert.equal(status.restarts, 0);
  });

  it('a browser that never comes back ends the wait at the time limit', async () => {
    const started = Date.now();
    const status = await start({ store: new MemoryTokenStore(), opener: loopbackOpener(() => {}), signInTimeoutMs: 400 });
    assert.match(status.lastError ?? '', /sign-in failed: no answer from the browser within 400 ms/);
    assert.ok(Date.now() - started < 5_000);
  });

  it('a server that still answers 401 after the sign-in says so instead of asking again', async () => {
    server.acceptTokens = false;
    const opened: string[] = [];
    const status = await start({ store: new MemoryTokenStore(), opener: browser(opened) });
    assert.equal(status.state, 'error');
    assert.equal(status.lastError, 'sign-in failed: the server still refuses access (HTTP 401) with the new token: check that your account may use it. Sign in again.');
    assert.equal(opened.length, 1, 'one browser tab, not a loop');
  });

  it('tokens and secrets never reach the log', async () => {
    const lines: string[] = [];
    const store = new MemoryTokenStore();
    manager = new McpClientManager([remote()], { maxRestarts: 0, log: (l) => lines.push(l), oauth: { store, opener: browser(), signInOnStart: true, signInHint: 'x' } });
    await manager.start();
    await manager.callTool('whoami', {});
    const record = await store.get(server.url);
    const secrets = [record?.tokens?.access_token, record?.tokens?.refresh_token].filter((s): s is string => !!s);
    assert.equal(secrets.length, 2);
    for (const secret of secrets) assert.ok(!lines.join('\n').includes(secret), 'a token was logged');
  });
});

describe('OAuth sign-in through the extension session', function () {
  this.timeout(30_000);

  it('starts without a browser, signs in when asked, and signing out forgets the tokens', async () => {
    const server = await startOAuthServer();
    const store = new MemoryTokenStore();
    const opened: string[] = [];
    const session = new AnalysisSession(new RunStore(undefined), {}, undefined, { store, openBrowser: visit(opened), hint: 'Click "Sign In".' });
    try {
      const setup = { servers: [{ name: 'remote', type: 'http' as const, url: server.url, headers: {} }], skipped: [], problems: [], sources: {} };
      await session.configure(setup, readSettings((_k, fallback) => fallback));
      const [first] = await session.startup;
      assert.equal(first?.needsSignIn, true);
      assert.equal(opened.length, 0, 'no browser during the automatic start');
      assert.equal((await session.signIn('remote'))?.state, 'ready');
      assert.ok(await store.get(server.url));
      assert.equal(await session.signOut('remote'), true);
      assert.equal(await store.get(server.url), undefined);
      assert.equal(session.statuses()[0]?.needsSignIn, true);
    } finally {
      await session.dispose();
      await server.close();
    }
  });
});
