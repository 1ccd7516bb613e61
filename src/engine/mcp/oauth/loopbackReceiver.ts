// The one-shot redirect receiver of a sign-in: listens on the loopback address and port named in the
// authorization URL's redirect_uri, takes the first answer that carries the sign-in's own `state`, and closes.
// Answers with another state are turned away without ending the wait, so a stray page cannot cancel a sign-in.
import http from 'node:http';
import net from 'node:net';

export class SignInError extends Error {
  constructor(
    message: string,
    /** The redirect port was taken: a new registration with another port is needed. */
    readonly portInUse = false,
  ) {
    super(message);
  }
}

export interface ReceiveOptions {
  /** How long to wait for the browser to come back. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once the receiver listens: the moment to open the browser. */
  onListening: () => void | Promise<void>;
}

const DONE_PAGE = '<!doctype html><meta charset="utf-8"><title>Signed in</title><p>Signed in. You can close this tab and return to Incident Analyzer.</p>';
const REFUSED_PAGE = '<!doctype html><meta charset="utf-8"><title>Sign-in failed</title><p>The sign-in did not complete. Return to Incident Analyzer for details.</p>';

/** Resolves with the authorization code; rejects with a SignInError that says what went wrong. */
export function receiveAuthorizationCode(authorizationUrl: URL, options: ReceiveOptions): Promise<string> {
  let redirect: URL;
  try {
    redirect = loopbackRedirect(authorizationUrl);
  } catch (err) {
    return Promise.reject(err);
  }
  const state = authorizationUrl.searchParams.get('state');
  if (!state) return Promise.reject(new SignInError('the authorization URL has no state parameter; refusing a sign-in that cannot be checked'));

  return new Promise<string>((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirect);
      if (req.method !== 'GET' || url.pathname !== redirect.pathname) return end(res, 404, 'not found');
      if (url.searchParams.get('state') !== state) return end(res, 400, 'unexpected state');
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (error || !code) {
        end(res, 400, REFUSED_PAGE, 'text/html');
        const detail = url.searchParams.get('error_description');
        const why = error ? `${oneLine(error)}${detail ? ` (${oneLine(detail)})` : ''}` : 'no code in the answer';
        return finish(new SignInError(`the authorization server did not grant access: ${why}`));
      }
      end(res, 200, DONE_PAGE, 'text/html');
      finish(undefined, code);
    });
    const timer = setTimeout(
      () => finish(new SignInError(`no answer from the browser within ${options.timeoutMs < 1000 ? `${options.timeoutMs} ms` : `${Math.round(options.timeoutMs / 1000)} s`}`)),
      options.timeoutMs,
    );
    const onAbort = () => finish(new SignInError(`sign-in cancelled${options.signal?.reason instanceof Error ? ` (${options.signal.reason.message})` : ''}`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    function finish(err: Error | undefined, code?: string) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      server.close();
      server.closeAllConnections();
      if (err) reject(err);
      else resolve(code!);
    }
    if (options.signal?.aborted) return onAbort();
    server.once('error', (err: NodeJS.ErrnoException) => {
      const portInUse = err.code === 'EADDRINUSE';
      const why = portInUse ? `port ${redirect.port} on 127.0.0.1 is in use by another program` : err.message;
      finish(new SignInError(`cannot receive the sign-in answer: ${why}`, portInUse));
    });
    server.listen(Number(redirect.port), redirect.hostname === 'localhost' ? '127.0.0.1' : redirect.hostname, () => {
      // A browser that fails to open is not fatal: the person can still visit the URL by hand.
      Promise.resolve()
        .then(() => options.onListening())
        .catch(() => {});
    });
  });
}

function loopbackRedirect(authorizationUrl: URL): URL {
  const raw = authorizationUrl.searchParams.get('redirect_uri');
  let redirect: URL;
  try {
    redirect = new URL(raw ?? '');
  } catch {
    throw new SignInError('the authorization URL has no valid redirect_uri');
  }
  const loopback = redirect.protocol === 'http:' && (redirect.hostname === '127.0.0.1' || redirect.hostname === 'localhost') && redirect.port !== '';
  if (!loopback) throw new SignInError(`the redirect URI ${redirect.origin} is not a loopback address with a port`);
  return redirect;
}

/** Text from the browser's query, for a message: no control characters, one line, clipped. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim().slice(0, 200);
}

function end(res: http.ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', connection: 'close' });
  res.end(body);
}

/** A loopback port that is free now (asked of the OS, then released), for a new redirect URI. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
