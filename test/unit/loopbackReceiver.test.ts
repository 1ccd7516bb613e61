import assert from 'node:assert/strict';
import { freeLoopbackPort, receiveAuthorizationCode, SignInError } from '../../src/engine/mcp/oauth/loopbackReceiver';

async function authorizationUrl(state = 'expected-state'): Promise<URL> {
  const url = new URL('https://auth.example/authorize');
  url.searchParams.set('redirect_uri', `http://127.0.0.1:${await freeLoopbackPort()}/callback`);
  url.searchParams.set('state', state);
  return url;
}

const redirect = (url: URL, query: string) => `${url.searchParams.get('redirect_uri')}?${query}`;

describe('loopback sign-in receiver', () => {
  it('turns away an answer with another state and takes the one with the sign-in\'s own', async () => {
    const url = await authorizationUrl();
    const statuses: number[] = [];
    let browser: Promise<void> | undefined;
    const code = await receiveAuthorizationCode(url, {
      timeoutMs: 5_000,
      onListening: () => {
        browser = (async () => {
          statuses.push((await fetch(redirect(url, 'code=forged&state=other'))).status);
          statuses.push((await fetch(redirect(url, 'code=real&state=expected-state'))).status);
        })();
      },
    });
    await browser;
    assert.equal(code, 'real');
    assert.deepEqual(statuses, [400, 200]);
  });

  it('an error from the authorization server ends the wait with it', async () => {
    const url = await authorizationUrl();
    await assert.rejects(
      receiveAuthorizationCode(url, { timeoutMs: 5_000, onListening: () => void fetch(redirect(url, 'error=access_denied&state=expected-state')) }),
      (err: Error) => err instanceof SignInError && /did not grant access: access_denied/.test(err.message),
    );
  });

  it('listens only on the loopback address, and refuses a redirect URI that is not one', async () => {
    const url = new URL('https://auth.example/authorize?state=s&redirect_uri=https%3A%2F%2Fevil.example%2Fcb');
    await assert.rejects(receiveAuthorizationCode(url, { timeoutMs: 1_000, onListening: () => {} }), /not a loopback address/);
    const noState = await authorizationUrl('');
    await assert.rejects(receiveAuthorizationCode(noState, { timeoutMs: 1_000, onListening: () => {} }), /no state parameter/);
  });

  it('ends on cancel, and says when the port is taken', async () => {
    const url = await authorizationUrl();
    const cancel = new AbortController();
    const waiting = receiveAuthorizationCode(url, { timeoutMs: 5_000, signal: cancel.signal, onListening: () => {} });
    // While the first receiver holds the port, a second cannot listen there.
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(receiveAuthorizationCode(url, { timeoutMs: 1_000, onListening: () => {} }), (err: SignInError) => err.portInUse && /in use/.test(err.message));
    cancel.abort(new Error('closed the window'));
    await assert.rejects(waiting, /sign-in cancelled \(closed the window\)/);
  });
});
