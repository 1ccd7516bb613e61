// Sign-in for one remote server: the provider the transport authenticates with, the browser step the
// connection runs when the SDK asks for it, and messages that say what to do when it fails.
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthSettings } from '../../config/serverDefinitions.js';
import type { AuthorizationOpener } from './authorizationOpener.js';
import { SignInError } from './loopbackReceiver.js';
import { ServerAuthProvider, TokenStoreError } from './serverAuthProvider.js';
import type { OAuthTokenStore } from './tokenStore.js';

export interface OAuthOptions {
  store: OAuthTokenStore;
  opener: AuthorizationOpener;
  /**
   * Whether starting the servers may open a browser by itself: yes for a CLI a person just ran, no for the
   * extension's automatic start (there the person asks, through `McpClientManager.signIn`).
   */
  signInOnStart: boolean;
  /** What to do to sign in, a sentence ending the "needs sign-in" message, e.g. 'Run "Incident Analyzer: Sign In to MCP Server".' */
  signInHint: string;
  /** How long to wait for the browser to come back. */
  signInTimeoutMs?: number;
}

/** What the transports offer once the person has signed in. */
interface FinishesAuth {
  finishAuth(code: string): Promise<void>;
}

const DEFAULT_SIGN_IN_TIMEOUT_MS = 180_000;

export class RemoteAuth {
  readonly provider: ServerAuthProvider;

  constructor(
    private readonly server: { name: string; url: string; oauth?: OAuthSettings },
    private readonly options: OAuthOptions,
    clientName: string,
  ) {
    this.provider = new ServerAuthProvider(server.url, server.oauth ?? {}, options.store, clientName);
  }

  /** True when the SDK stopped at the point where a person must sign in in a browser. */
  get wantsBrowser(): boolean {
    return this.provider.pendingAuthorization !== undefined || this.provider.signInRequired;
  }

  /** Shows the pending authorization URL, waits for the code (bounded) and trades it for tokens (bounded). */
  async signIn(transport: FinishesAuth, exchangeTimeoutMs: number, signal: AbortSignal): Promise<void> {
    const url = this.provider.pendingAuthorization;
    if (!url) throw new SignInError('no sign-in is pending');
    let code: string;
    try {
      code = await this.options.opener.authorize(url, { serverName: this.server.name, timeoutMs: this.options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS, signal });
    } catch (err) {
      if (err instanceof SignInError && err.portInUse) await this.provider.invalidateCredentials('client'); // register again with a free port
      throw err;
    }
    await bounded(transport.finishAuth(code), exchangeTimeoutMs, 'the authorization server did not issue a token in time');
  }

  needsSignInMessage(): string {
    return `needs sign-in (OAuth). ${this.options.signInHint}`;
  }

  failureMessage(err: unknown): string {
    if (err instanceof TokenStoreError) return `cannot use the stored sign-ins: ${err.message}`;
    const message = (err as Error)?.message?.trim().replace(/\.$/, '');
    const why =
      err instanceof StreamableHTTPError && (err.code === 401 || err.code === 403)
        ? `the server still refuses access (HTTP ${err.code}) with the new token: check that your account may use it`
        : err instanceof UnauthorizedError && !message
          ? 'the server refused the credentials'
          : message || String(err);
    return `sign-in failed: ${why}. ${this.options.signInHint}`;
  }
}

/** Errors that mean "not authorized": restarting will not help, signing in (again) might. */
export function isAuthFailure(err: unknown): boolean {
  return (
    err instanceof UnauthorizedError ||
    err instanceof OAuthError ||
    err instanceof SignInError ||
    (err instanceof StreamableHTTPError && (err.code === 401 || err.code === 403))
  );
}

function bounded<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SignInError(`${message} (${Math.round(ms / 1000)} s)`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
