import assert from 'node:assert/strict';
import { ConfigError, parseMcpJson, resolveServers } from '../../src/engine/config/serverDefinitions';

describe('http server definitions with "oauth"', () => {
  it('takes a pre-registered client, with its secret from the environment, and keeps unknown fields', () => {
    const defs = parseMcpJson(
      JSON.stringify({ servers: { tickets: { type: 'http', url: 'https://t.example/mcp', oauth: { clientId: 'ia', clientSecret: '${env:T_SECRET}', scopes: ['read'], extra: 1 } } } }),
      'mcp.json',
    );
    const [server] = resolveServers(defs, { env: { T_SECRET: 's3cret' } });
    assert.deepEqual(server, { name: 'tickets', type: 'http', url: 'https://t.example/mcp', headers: {}, oauth: { clientId: 'ia', clientSecret: 's3cret', scopes: ['read'], extra: 1 } });
  });

  it('leaves "oauth" out when not given, and rejects a secret without a client id', () => {
    const [plain] = resolveServers(parseMcpJson('{"servers": {"r": {"type": "http", "url": "https://r.example/mcp"}}}', 'mcp.json'), { env: {} });
    assert.equal('oauth' in plain!, false);
    assert.throws(() => parseMcpJson('{"servers": {"r": {"type": "http", "url": "https://r.example/mcp", "oauth": {"clientSecret": "x"}}}}', 'mcp.json'), (err: Error) => err instanceof ConfigError && /oauth.*clientSecret needs clientId/.test(err.message));
    assert.throws(() => parseMcpJson('{"servers": {"r": {"type": "http", "url": "https://r.example/mcp", "oauth": {"grantType": "client_credentials", "clientId": "x"}}}}', 'mcp.json'), /needs clientId and clientSecret/);
  });
});
