import assert from 'node:assert/strict';
import { SecretTokenStore } from '../../../src/extension/secretTokenStore';

describe('extension OAuth tokens in secret storage', () => {
  it('keeps one secret per server URL, and signing out deletes it', async () => {
    const secrets = new Map<string, string>();
    const store = new SecretTokenStore({
      get: async (key) => secrets.get(key),
      store: async (key, value) => void secrets.set(key, value),
      delete: async (key) => void secrets.delete(key),
    });
    await store.set('https://a.example/mcp', { tokens: { access_token: 'A', token_type: 'Bearer' } });
    assert.deepEqual([...secrets.keys()], ['incidentAnalyzer.oauth:https://a.example/mcp']);
    assert.equal((await store.get('https://a.example/mcp'))?.tokens?.access_token, 'A');
    secrets.set('incidentAnalyzer.oauth:https://b.example/mcp', 'not json');
    assert.equal(await store.get('https://b.example/mcp'), undefined, 'an unreadable entry counts as signed out');
    await store.delete('https://a.example/mcp');
    assert.equal(secrets.size, 1);
  });
});
