// The CLI's sign-ins: one JSON file under the user's config folder, readable only by its owner. A file or
// folder others can read or write is refused with how to fix it, never used: it holds refresh tokens.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OAuthRecord, OAuthTokenStore } from '../engine/mcp/oauth/tokenStore.js';

export class TokenFileError extends Error {}

/** `$XDG_CONFIG_HOME/incident-analyzer/oauth-tokens.json`, else `~/.config/incident-analyzer/oauth-tokens.json`. */
export function defaultTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(config, 'incident-analyzer', 'oauth-tokens.json');
}

export class FileTokenStore implements OAuthTokenStore {
  constructor(readonly file: string = defaultTokenFile()) {}

  async get(serverUrl: string): Promise<OAuthRecord | undefined> {
    return this.read()[serverUrl];
  }

  async set(serverUrl: string, record: OAuthRecord): Promise<void> {
    const all = this.read();
    all[serverUrl] = record;
    this.write(all);
  }

  async delete(serverUrl: string): Promise<void> {
    const all = this.read();
    if (!(serverUrl in all)) return;
    delete all[serverUrl];
    this.write(all);
  }

  private read(): Record<string, OAuthRecord> {
    let text: string;
    try {
      this.checkPrivate(this.file, 0o077, 'chmod 600');
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      const data: unknown = JSON.parse(text);
      if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, OAuthRecord>;
    } catch {
      // reported below
    }
    throw new TokenFileError(`${this.file} is not a JSON object of sign-ins; delete it to sign in again`);
  }

  /** Writes a new file next to the old one, owner-only from its creation, then renames it over: never half a file. */
  private write(all: Record<string, OAuthRecord>): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.checkPrivate(dir, 0o022, 'chmod 700');
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.rmSync(temp, { force: true }); // one left by a crash: 'wx' below creates the file afresh with mode 0600
    fs.writeFileSync(temp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, this.file);
  }

  /** Throws when `target` has any of the `forbidden` permission bits (POSIX only; Windows has ACLs instead). */
  private checkPrivate(target: string, forbidden: number, fix: string): void {
    if (process.platform === 'win32') return;
    const mode = fs.statSync(target).mode & 0o777;
    if (mode & forbidden) {
      throw new TokenFileError(
        `refusing to use ${target} for OAuth tokens: its mode ${mode.toString(8).padStart(4, '0')} lets other users in. Run \`${fix} ${target}\` (or delete it to sign in again).`,
      );
    }
  }
}
