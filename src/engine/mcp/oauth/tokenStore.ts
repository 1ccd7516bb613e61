// Where a server's sign-in is kept between runs: one record per server URL. The extension keeps records in
// VS Code's secret storage and the CLI in a file only its user can read; tests and one-off clients use memory.
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface OAuthRecord {
  /** Access and refresh tokens, exactly as the SDK handed them over (with the issuer that issued them). */
  tokens?: OAuthTokens;
  /** The client registered dynamically with the authorization server (pre-registered ids stay in the definition). */
  client?: OAuthClientInformationMixed;
  /** The PKCE verifier of the sign-in under way. */
  codeVerifier?: string;
}

export interface OAuthTokenStore {
  get(serverUrl: string): Promise<OAuthRecord | undefined>;
  set(serverUrl: string, record: OAuthRecord): Promise<void>;
  /** Signs out: forgets the tokens and the registration. */
  delete(serverUrl: string): Promise<void>;
}

export class MemoryTokenStore implements OAuthTokenStore {
  private readonly records = new Map<string, OAuthRecord>();

  async get(serverUrl: string): Promise<OAuthRecord | undefined> {
    const record = this.records.get(serverUrl);
    return record && structuredClone(record);
  }

  async set(serverUrl: string, record: OAuthRecord): Promise<void> {
    this.records.set(serverUrl, structuredClone(record));
  }

  async delete(serverUrl: string): Promise<void> {
    this.records.delete(serverUrl);
  }
}
