// In an untrusted workspace a repository must not choose where the servers read, which programs run, or where
// secrets go: every setting that names a path, an address or a server is one VS Code takes from user settings only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/servers';

describe('extension manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const settings = Object.keys(manifest.contributes.configuration.properties as Record<string, unknown>);
  const restricted = new Set<string>(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations);

  it('restricts every setting that names a path, an address, a server or where a key may go', () => {
    const sensitive = settings.filter((key) => /logs$|repository|File$|Url$|Host$|servers$|McpJson$|ApiKey|Selector$|Tenant$/.test(key));
    assert.ok(sensitive.length >= 12, `found ${sensitive.join(', ')}`);
    for (const key of sensitive) assert.ok(restricted.has(key), `${key} is not a restricted setting`);
  });
});
