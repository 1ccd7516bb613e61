// The CLI against a remote MCP server behind OAuth: the browser is a stand-in `xdg-open` on PATH that follows
// the authorization page back to the CLI's loopback receiver, as a person's browser would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOAuthServer, type OAuthTestServer } from '../support/oauthServer';
import { fixturesDir, repoRoot } from '../support/servers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const checkout = path.join(fixturesDir, 'checkout-500');

const FAKE_BROWSER = `#!/usr/bin/env node
require('node:fs').appendFileSync(process.env.OPENED_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');
fetch(process.argv[2], { redirect: 'manual' })
  .then((page) => fetch(page.headers.get('location')))
  .then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
`;

describe('incident-analyzer CLI with a remote server behind OAuth', function () {
  this.timeout(90_000);
  let tmp: string;
  let server: OAuthTestServer;
  let env: NodeJS.ProcessEnv;
  let tokenFile: string;
  let config: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-cli-oauth-'));
    server = await startOAuthServer();
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'xdg-open'), FAKE_BROWSER, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'open'), FAKE_BROWSER, { mode: 0o755 });
    config = path.join(tmp, 'mcp.json');
    fs.writeFileSync(config, JSON.stringify({ servers: { tickets: { type: 'http', url: server.url } } }));
    env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, XDG_CONFIG_HOME: path.join(tmp, 'config'), OPENED_LOG: path.join(tmp, 'opened.jsonl') };
    tokenFile = path.join(tmp, 'config', 'incident-analyzer', 'oauth-tokens.json');
  });
  after(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // Asynchronous: the authorization server runs in this process and must keep answering.
  const analyze = () =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, 'analyze', '500 errors on checkout API', '--workspace', checkout, '--repo', path.join(checkout, 'repo'), '--config', config], { cwd: repoRoot, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      child.on('close', (code) => resolve({ code, stderr }));
    });

  it('signs in through the browser, printing the URL too, and keeps the tokens in an owner-only file', async function () {
    if (process.platform === 'win32') this.skip();
    const { code, stderr } = await analyze();
    assert.equal(code, 0, stderr);
    assert.match(stderr, /MCP server "tickets" needs you to sign in\. Opening your browser; if none opens, visit:\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
    const opened = fs.readFileSync(env.OPENED_LOG!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.length, 1, 'the URL is one argument, not shell text');
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(tokenFile)).mode & 0o777, 0o700);
    const record = JSON.parse(fs.readFileSync(tokenFile, 'utf8'))[server.url];
    assert.match(record.tokens.access_token, /^at-/);
    assert.doesNotMatch(stderr, new RegExp(record.tokens.access_token), 'tokens are never printed');
  });

  it('the next run uses the stored tokens; a token file others can read is refused, with the fix', async function () {
    if (process.platform === 'win32') this.skip();
    const again = await analyze();
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /needs you to sign in/);

    fs.chmodSync(tokenFile, 0o644);
    const refused = await analyze();
    assert.equal(refused.code, 0, 'the analysis goes on without that server');
    assert.match(refused.stderr, /tickets: error \(cannot use the stored sign-ins: refusing to use .*oauth-tokens\.json for OAuth tokens: its mode 0644 lets other users in\. Run `chmod 600 \S+` \(or delete it to sign in again\)\.\)/);
    assert.equal(fs.readFileSync(env.OPENED_LOG!, 'utf8').trim().split('\n').length, 1, 'no browser for a refused file');
  });
});
