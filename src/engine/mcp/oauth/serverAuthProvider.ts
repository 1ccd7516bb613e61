// The SDK's OAuthClientProvider for one remote server: reads and writes its record in the token store, and
// never opens anything itself. When the SDK wants a person to sign in, the authorization URL is kept for the
// connection to hand to the opener, outside the time limit of a start.
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { OAuthSettings } from '../../config/serverDefinitions.js';
import { freeLoopbackPort, SignInError } from './loopbackReceiver.js';
import type { OAuthRecord, OAuthTokenStore } from './tokenStore.js';

/** The token store cannot be used; its message says how to fix it. */
export class TokenStoreError extends SignInError {}

export class ServerAuthProvider implements OAuthClientProvider {
  /** Set when the SDK asked for a browser sign-in; the connection takes it from here. */
  pendingAuthorization: URL | undefined;
  /** The SDK got as far as needing a person, in an attempt that may not ask one. */
  signInRequired = false;
  /** Whether this attempt may lead to a browser sign-in; if not, nothing is registered or started. */
  private interactive = false;
  private record: OAuthRecord = {};
  private redirect = '';

  constructor(
    readonly serverUrl: string,
    private readonly settings: OAuthSettings,
    private readonly store: OAuthTokenStore,
    private readonly clientName: string,
  ) {}

  /** Loads the stored record and settles the redirect URI; call before each connection attempt. */
  async prepare(interactive: boolean): Promise<void> {
    this.pendingAuthorization = undefined;
    this.signInRequired = false;
    this.interactive = interactive;
    try {
      this.record = (await this.store.get(this.serverUrl)) ?? {};
    } catch (err) {
      // e.g. a token file others can read: no sign-in until it is fixed, and no restarts that cannot help
      throw new TokenStoreError((err as Error).message);
    }
    if (this.isClientCredentials) return;
    // A dynamic registration names its redirect URI: keep using it, so one registration serves many sign-ins.
    const registered = redirectOf(this.record.client);
    const port = this.settings.redirectPort ?? (registered ? undefined : await freeLoopbackPort());
    this.redirect = port !== undefined ? `http://127.0.0.1:${port}/callback` : registered!;
  }

  get isClientCredentials(): boolean {
    return this.settings.grantType === 'client_credentials';
  }

  get redirectUrl(): string | undefined {
    // No redirect URL tells the SDK to use a grant without a browser.
    return this.isClientCredentials ? undefined : this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    const secret = this.settings.clientSecret !== undefined;
    return {
      client_name: this.clientName,
      redirect_uris: this.isClientCredentials ? [] : [this.redirect],
      grant_types: this.isClientCredentials ? ['client_credentials'] : ['authorization_code', 'refresh_token'],
      response_types: this.isClientCredentials ? [] : ['code'],
      // A dynamically registered desktop client cannot keep a secret: it relies on PKCE.
      token_endpoint_auth_method: secret ? 'client_secret_basic' : 'none',
      ...(this.settings.scopes?.length ? { scope: this.settings.scopes.join(' ') } : {}),
    };
  }

  state(): string {
    return randomBytes(24).toString('base64url');
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const { clientId, clientSecret } = this.settings;
    if (clientId) return { client_id: clientId, ...(clientSecret !== undefined ? { client_secret: clientSecret } : {}) };
    // Registering is the first step of a sign-in: not without a person to finish it.
    if (!this.record.client && !this.interactive) this.requireSignIn();
    return this.record.client;
  }

  async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
    if (this.settings.clientId) return; // pre-registered: the definition is the source
    await this.update({ client });
  }

  tokens(): OAuthTokens | undefined {
    return this.record.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.update({ tokens, codeVerifier: undefined });
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.pendingAuthorization = authorizationUrl;
  }

  async saveCodeVerifier(codeVerifier: string): Promise<void> {
    if (!this.interactive && !this.isClientCredentials) this.requireSignIn();
    await this.update({ codeVerifier });
  }

  codeVerifier(): string {
    if (!this.record.codeVerifier) throw new Error('no sign-in is under way (the PKCE verifier is missing)');
    return this.record.codeVerifier;
  }

  prepareTokenRequest(scope?: string): URLSearchParams | undefined {
    if (!this.isClientCredentials) return undefined; // the SDK's authorization-code exchange
    const params = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) params.set('scope', scope);
    return params;
  }

  /** The SDK calls this when the server says stored credentials are no longer valid. */
  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'discovery') return; // nothing cached
    const next: OAuthRecord = { ...this.record };
    if (scope === 'all' || scope === 'tokens') delete next.tokens;
    if (scope === 'all' || scope === 'client') delete next.client;
    if (scope === 'all' || scope === 'verifier') delete next.codeVerifier;
    this.record = next;
    await this.store.set(this.serverUrl, next);
  }

  /** Stops the SDK's flow where a browser would be needed: the connection reports "needs sign-in". */
  private requireSignIn(): never {
    this.signInRequired = true;
    throw new SignInError('a sign-in in the browser is needed');
  }

  private async update(change: Partial<OAuthRecord>): Promise<void> {
    const next: OAuthRecord = { ...this.record, ...change };
    for (const key of Object.keys(next) as Array<keyof OAuthRecord>) if (next[key] === undefined) delete next[key];
    this.record = next;
    await this.store.set(this.serverUrl, next);
  }
}

/** The loopback redirect URI a dynamic registration was made with, if any. */
function redirectOf(client: OAuthClientInformationMixed | undefined): string | undefined {
  const uris = client && 'redirect_uris' in client ? client.redirect_uris : undefined;
  const first = uris?.[0];
  return first && /^http:\/\/127\.0\.0\.1:\d+\//.test(String(first)) ? String(first) : undefined;
}
