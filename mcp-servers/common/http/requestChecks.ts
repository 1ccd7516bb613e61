// The checks every request passes before it reaches MCP: the Host and Origin it names (so a web page cannot reach a
// local server through DNS rebinding) and the bearer token (compared in constant time, never logged).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { hostnameOfHeader, isLoopbackHost } from './listenAddress.js';
import type { ServiceOptions } from './serviceOptions.js';

export type Rejection = { status: 401 | 403; reason: 'unauthorized' | 'forbidden_host' | 'forbidden_origin' };

export class RequestChecks {
  private readonly tokenDigest: Buffer | undefined;
  private readonly loopbackBind: boolean;

  constructor(private readonly options: ServiceOptions) {
    this.tokenDigest = options.token === undefined ? undefined : digest(options.token);
    this.loopbackBind = isLoopbackHost(options.address.host);
  }

  get requiresToken(): boolean {
    return this.tokenDigest !== undefined;
  }

  /** Host and Origin; applies to every path, /health included. */
  checkOrigin(headers: IncomingHttpHeaders): Rejection | undefined {
    const host = headers.host;
    if (!host || !this.hostAllowed(hostnameOfHeader(host))) return { status: 403, reason: 'forbidden_host' };
    const origin = headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) return { status: 403, reason: 'forbidden_origin' };
    return undefined;
  }

  /** True when no token is configured or the request carries it. */
  authorized(headers: IncomingHttpHeaders): boolean {
    if (!this.tokenDigest) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    // Hashing first makes both sides the same length, so the comparison time says nothing about the token.
    return match !== null && timingSafeEqual(digest(match[1]!), this.tokenDigest);
  }

  private hostAllowed(hostname: string): boolean {
    if (isLoopbackHost(hostname)) return true;
    if (this.options.allowedHosts.includes(hostname)) return true;
    if (this.loopbackBind) return false; // a loopback server is reached only by loopback names
    // Bound beyond loopback with no list: the token guards it; with a list, only the named hosts and the bind address.
    return this.options.allowedHosts.length === 0 || hostname === this.options.address.host.toLowerCase();
  }

  private originAllowed(origin: string): boolean {
    const normalized = origin.replace(/\/+$/, '').toLowerCase();
    if (this.options.allowedOrigins.includes(normalized)) return true;
    try {
      const url = new URL(normalized);
      return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname) && this.loopbackBind;
    } catch {
      return false;
    }
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
