// The seam between the sign-in flow and whoever shows it to a person: the extension opens the browser through
// VS Code, the CLI through xdg-open/open, the conformance client fetches the URL itself.
import { receiveAuthorizationCode } from './loopbackReceiver.js';

export interface AuthorizeOptions {
  /** The MCP server being signed in to, for messages. */
  serverName: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AuthorizationOpener {
  /** Shows the authorization URL and resolves with the code the authorization server sends back. */
  authorize(authorizationUrl: URL, options: AuthorizeOptions): Promise<string>;
}

/** Opens a browser at the authorization URL once the loopback receiver listens, and waits for its answer. */
export function loopbackOpener(openBrowser: (url: string, serverName: string) => void | Promise<void>): AuthorizationOpener {
  return {
    authorize: (authorizationUrl, { serverName, timeoutMs, signal }) =>
      receiveAuthorizationCode(authorizationUrl, { timeoutMs, signal, onListening: () => openBrowser(authorizationUrl.href, serverName) }),
  };
}
