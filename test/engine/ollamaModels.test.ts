import assert from 'node:assert/strict';
import { AnalystError } from '../../src/engine/analysis/analyst.js';
import { listOllamaModels } from '../../src/engine/analysts/ollama/models.js';
import { FakeOllama } from '../support/fakeOllama.js';

describe('listOllamaModels (for "Select Model")', () => {
  let fake: FakeOllama | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("lists the host's models from /api/tags, sending the key as a bearer header", async () => {
    fake = await FakeOllama.start([]);
    const models = await listOllamaModels(fake.host, 'sekret');
    assert.deepEqual(models.map((m) => m.name), ['fake-model:latest']);
    const request = fake.requests.find((r) => r.path === '/api/tags');
    assert.equal(request?.headers.authorization, 'Bearer sekret');
  });

  it('explains an unreachable host, with the remedy to start Ollama', async () => {
    fake = await FakeOllama.start([]);
    const host = fake.host;
    await fake.close();
    fake = undefined;
    const err = await listOllamaModels(host, undefined).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AnalystError, String(err));
    assert.match(err.message, /not reachable/);
    assert.equal(err.remedy, 'start-ollama');
  });
});
