// Opens the sign-in page of a remote MCP server. The URL always goes to stderr too, so it can be pasted
// when no browser opens (SSH, containers); the browser gets it as an argument, never through a shell.
import { execFile } from 'node:child_process';

export function openBrowser(url: string, serverName: string, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  write(`MCP server "${serverName}" needs you to sign in. Opening your browser; if none opens, visit:\n  ${url}\n`);
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : 'xdg-open';
  if (!opener) return;
  execFile(opener, [url], { timeout: 10_000 }, (err) => {
    if (err) write(`(could not start ${opener}: ${err.message.split('\n')[0]}; open the URL above by hand)\n`);
  });
}
