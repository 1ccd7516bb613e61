import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultTokenFile, FileTokenStore } from '../../src/cli/oauthFileStore';

const posix = process.platform !== 'win32';

describe('CLI OAuth token file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-tokens-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives under $XDG_CONFIG_HOME, else ~/.config', () => {
    assert.equal(defaultTokenFile({ XDG_CONFIG_HOME: '/x/config' }), path.join('/x/config', 'incident-analyzer', 'oauth-tokens.json'));
    assert.equal(defaultTokenFile({}), path.join(os.homedir(), '.config', 'incident-analyzer', 'oauth-tokens.json'));
  });

  it('is created owner-only (0600 in a 0700 folder) and keeps one record per server', async function () {
    if (!posix) this.skip();
    const file = path.join(dir, 'incident-analyzer', 'oauth-tokens.json');
    const store = new FileTokenStore(file);
    await store.set('https://a.example/mcp', { tokens: { access_token: 'A', token_type: 'Bearer' } });
    await store.set('https://b.example/mcp', { codeVerifier: 'v' });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.equal((await store.get('https://a.example/mcp'))?.tokens?.access_token, 'A');
    await store.delete('https://a.example/mcp');
    assert.equal(await store.get('https://a.example/mcp'), undefined);
    assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))), ['https://b.example/mcp']);
  });

  it('refuses a file others can read, and says how to fix it', async function () {
    if (!posix) this.skip();
    const file = path.join(dir, 'oauth-tokens.json');
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const store = new FileTokenStore(file);
    await assert.rejects(store.get('https://a.example/mcp'), /refusing to use .*oauth-tokens\.json for OAuth tokens: its mode 0644 lets other users in\. Run `chmod 600 /);
    await assert.rejects(store.set('https://a.example/mcp', {}), /refusing/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{}', 'left as it was');
  });

  it('refuses a folder others can write to', async function () {
    if (!posix) this.skip();
    const folder = path.join(dir, 'shared');
    fs.mkdirSync(folder, { mode: 0o777 });
    fs.chmodSync(folder, 0o777);
    await assert.rejects(new FileTokenStore(path.join(folder, 'oauth-tokens.json')).set('u', {}), /its mode 0777 lets other users in\. Run `chmod 700 /);
  });
});
