// Where a server in service mode listens: `--http [HOST:]PORT`, loopback unless a host is named.
export interface ListenAddress {
  host: string;
  port: number;
}

export class ListenAddressError extends Error {}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Parses `9003`, `127.0.0.1:9003`, `0.0.0.0:9003`, `[::1]:9003` or `[::]:9003`. Port 0 asks the OS for a free one. */
export function parseListenAddress(text: string): ListenAddress {
  const given = text.trim();
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(given);
  if (!m) throw new ListenAddressError(`--http "${text}" is not [HOST:]PORT, e.g. 9003 or 127.0.0.1:9003`);
  const port = Number(m[2]);
  if (port > 65535) throw new ListenAddressError(`--http "${text}": port ${port} is above 65535`);
  const host = (m[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return LOOPBACK_NAMES.has(bare) || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** The host part of a `Host` header (`name`, `name:port`, `[v6]:port`), lower-cased. */
export function hostnameOfHeader(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon >= 0 ? value.slice(0, colon) : value;
}

export function formatUrl(address: ListenAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `http://${host}:${address.port}`;
}
