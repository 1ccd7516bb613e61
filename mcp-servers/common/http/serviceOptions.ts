// The service-mode flags every bundled server accepts, and the checks that make its defaults safe: loopback
// unless told otherwise, and never reachable from elsewhere without a bearer token.
import fs from 'node:fs';
import type { FlagSpec, Flags } from '../args.js';
import { isLoopbackHost, ListenAddressError, parseListenAddress, type ListenAddress } from './listenAddress.js';

export const SERVICE_FLAGS = {
  http: { env: 'INCIDENT_MCP_HTTP', description: 'serve MCP over Streamable HTTP on [HOST:]PORT (default host 127.0.0.1) instead of stdio' },
  'token-file': {
    env: 'INCIDENT_MCP_TOKEN_FILE',
    description: 'file holding the bearer token clients must send (or set INCIDENT_MCP_TOKEN); required to listen beyond loopback',
  },
  'allowed-host': { env: 'INCIDENT_MCP_ALLOWED_HOSTS', description: 'comma-separated host names clients use to reach this server (checked against Host)' },
  'allowed-origin': { env: 'INCIDENT_MCP_ALLOWED_ORIGINS', description: 'comma-separated browser origins allowed to call this server, e.g. https://tools.example.com' },
  'max-body-bytes': { env: 'INCIDENT_MCP_MAX_BODY_BYTES', description: 'largest request body accepted (default 1048576)' },
} satisfies Record<string, FlagSpec>;

export type ServiceFlagName = keyof typeof SERVICE_FLAGS;

export interface ServiceOptions {
  address: ListenAddress;
  /** The bearer token; undefined: no authentication (loopback only). */
  token: string | undefined;
  /** Host names accepted in the Host header besides loopback ones; empty with a non-loopback bind: any. */
  allowedHosts: string[];
  allowedOrigins: string[];
  maxBodyBytes: number;
}

export class ServiceOptionsError extends Error {}

const MIN_TOKEN_LENGTH = 16;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The service options, or undefined when the server should speak stdio. */
export function serviceOptionsFrom(flags: Flags<ServiceFlagName>, env: NodeJS.ProcessEnv = process.env): ServiceOptions | undefined {
  const listen = flags.http[0];
  if (!listen) return undefined;
  let address: ListenAddress;
  try {
    address = parseListenAddress(listen);
  } catch (err) {
    if (err instanceof ListenAddressError) throw new ServiceOptionsError(err.message);
    throw err;
  }
  const token = readToken(flags['token-file'][0], env);
  if (!token && !isLoopbackHost(address.host)) {
    throw new ServiceOptionsError(
      `listening on ${address.host} would let other machines call this server without authentication. Give a bearer ` +
        'token with --token-file FILE or INCIDENT_MCP_TOKEN (e.g. from `openssl rand -hex 32`), or listen on 127.0.0.1.',
    );
  }
  const maxBody = flags['max-body-bytes'][0];
  const maxBodyBytes = maxBody === undefined ? DEFAULT_MAX_BODY_BYTES : Number(maxBody);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) {
    throw new ServiceOptionsError(`--max-body-bytes "${maxBody}" must be a whole number of bytes, at least 1024`);
  }
  return {
    address,
    token,
    allowedHosts: splitList(flags['allowed-host']).map((h) => h.toLowerCase()),
    allowedOrigins: splitList(flags['allowed-origin']).map((o) => o.replace(/\/+$/, '').toLowerCase()),
    maxBodyBytes,
  };
}

function readToken(file: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  let token: string | undefined;
  let from: string;
  if (file) {
    from = `the token file ${file}`;
    try {
      token = fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ServiceOptionsError(`cannot read ${from}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    from = 'INCIDENT_MCP_TOKEN';
    token = env.INCIDENT_MCP_TOKEN?.trim() || undefined;
    if (token === undefined) return undefined;
  }
  // Never echo the token itself: only its length.
  if (!token) throw new ServiceOptionsError(`${from} is empty`);
  if (/\s/.test(token)) throw new ServiceOptionsError(`${from} holds whitespace inside the token; it must be one word`);
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ServiceOptionsError(`the token in ${from} has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. \`openssl rand -hex 32\`)`);
  }
  return token;
}

/** Lists are comma- or space-separated (origins hold colons, so the path delimiter cannot split them). */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}
