// The vscode-lm analyst in a real VS Code. From 1.104 a test can register a chat model (the vendor is declared by
// test/vscode/lm-test-vendor, installed into the test run's VS Code only): a scripted model then
// investigates with multi-step tool calls against the real bundled servers on the fixture workspace. On every
// version: with no chat model, the vscode-lm analyst fails with the fix and auto uses the built-in analyst.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CULPRIT, api, setSetting, waitFor } from './helpers.js';

const VENDOR = 'incident-analyzer-test';
const SELECTOR = `${VENDOR}/scripted`;

/** VS Code 1.104 finalized registerLanguageModelChatProvider; @types/vscode 1.95 does not know it. */
const registerProvider = (vscode.lm as unknown as { registerLanguageModelChatProvider?: (vendor: string, provider: object) => vscode.Disposable })
  .registerLanguageModelChatProvider;
const minor = Number(/^1\.(\d+)\./.exec(vscode.version)?.[1] ?? 0);

type Analyze = { runId: string; outcome: string } | undefined;
const analyze = (incident: string) => vscode.commands.executeCommand<Analyze>('incidentAnalyzer.analyze', { incident, window: '' });

/** A message as the provider saw it: its role and its parts, flattened for asserting. */
interface SeenMessage {
  role: number;
  texts: string[];
  results: string[];
  calls: string[];
}
type Answer = (request: { messages: SeenMessage[]; tools: string[] }, progress: vscode.Progress<unknown>, token: vscode.CancellationToken) => Promise<void>;

function scriptedProvider(answer: Answer, requests: Array<{ messages: SeenMessage[]; tools: string[] }>) {
  return {
    provideLanguageModelChatInformation: async () => [
      { id: 'scripted', name: 'Scripted incident model', family: 'scripted', version: '1', maxInputTokens: 120_000, maxOutputTokens: 8_000, capabilities: { toolCalling: true } },
    ],
    provideLanguageModelChatResponse: async (
      _model: unknown,
      messages: readonly vscode.LanguageModelChatMessage[],
      options: { tools?: readonly vscode.LanguageModelChatTool[] },
      progress: vscode.Progress<unknown>,
      token: vscode.CancellationToken,
    ) => {
      const seen = messages.map((m) => {
        const parts = (Array.isArray(m.content) ? m.content : [m.content]) as unknown[];
        const texts: string[] = [];
        const results: string[] = [];
        const calls: string[] = [];
        for (const part of parts) {
          if (typeof part === 'string') texts.push(part);
          else if (part instanceof vscode.LanguageModelTextPart) texts.push(part.value);
          else if (part instanceof vscode.LanguageModelToolResultPart) results.push(part.callId);
          else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(`${part.callId}:${part.name}`);
        }
        return { role: m.role as number, texts, results, calls };
      });
      const request = { messages: seen, tools: (options.tools ?? []).map((t) => t.name) };
      requests.push(request);
      await answer(request, progress, token);
    },
    provideTokenCount: async (_model: unknown, text: unknown) => Math.ceil((typeof text === 'string' ? text : JSON.stringify(text)).length / 4),
  };
}

const REPORT = {
  rootCause: {
    summary: 'Commit 2b8306b cut the production DB pool to 5; under the afternoon load checkout requests time out acquiring a connection.',
    category: 'db-connection-pool-exhaustion',
    confidence: 'high',
    suspectCommit: CULPRIT,
    suspectDeployment: 'v2.14.0',
    onset: '2026-02-17T14:45:00Z',
  },
  timeline: [{ time: '2026-02-17T14:45:06Z', description: 'First pool timeout', evidence: ['E1', 'E3'] }],
  evidence: [
    { id: 'E1', kind: 'log', file: 'logs/api.log', line: 1446, text: 'timeout acquiring connection from pool after 1000ms' },
    { id: 'E2', kind: 'commit', hash: CULPRIT },
    // Invented: the run's verification must not show it as fact.
    { id: 'E3', kind: 'log', file: 'logs/api.log', line: 3, text: 'FATAL the database is on fire' },
  ],
  recommendations: ['Restore the pool size to 20 and the acquire timeout to 5000 ms.'],
};

/** The investigation: search the logs, read the suspect commit, conclude; then the report with a sentence before it. */
const investigate: Answer = async (request, progress) => {
  if (request.tools.length === 0) {
    progress.report(new vscode.LanguageModelTextPart('Here is the report:\n'));
    progress.report(new vscode.LanguageModelTextPart(JSON.stringify(REPORT)));
    return;
  }
  const results = request.messages.reduce((n, m) => n + m.results.length, 0);
  if (results === 0) {
    progress.report(new vscode.LanguageModelTextPart('Looking for pool errors. '));
    progress.report(new vscode.LanguageModelToolCallPart('call-1', 'search_logs', { pattern: 'timeout acquiring connection', max_results: 3 }));
  } else if (results === 1) {
    progress.report(new vscode.LanguageModelToolCallPart('call-2', 'get_commit', { hash: CULPRIT }));
  } else {
    progress.report(new vscode.LanguageModelTextPart('The pool was cut in 2b8306b.'));
  }
};

describe('the vscode-lm analyst', () => {
  afterEach(async () => {
    for (const key of ['analyst', 'vscodeLm.model', 'ollama.predigest', 'model']) await setSetting(key, undefined);
  });

  it('with no chat model: analyst vscode-lm fails with the reason and the fix; auto uses the built-in analyst', async () => {
    await setSetting('analyst', 'vscode-lm');
    await setSetting('vscodeLm.model', SELECTOR);
    const failed = await analyze('checkout 500s (no chat model)');
    assert.equal(failed?.outcome, 'error');
    const { controller } = await api();
    const error = controller.store.get(failed!.runId)!.error!;
    assert.match(error.message, /VS Code offers no chat model|No VS Code chat model matches "incident-analyzer-test\/scripted"/);
    assert.equal(error.remedy, 'choose-model');
    assert.match(error.fix ?? '', /Select Model/);

    await setSetting('analyst', 'auto');
    const fallback = await analyze('checkout 500s (auto, no chat model)');
    assert.equal(fallback?.outcome, 'report');
    assert.equal(controller.store.get(fallback!.runId)!.report?.analyst, 'built-in');
  });

  if (minor < 104) {
    it(`VS Code ${vscode.version} cannot register a chat model, so the scripted-model tests need 1.104+`, () => {
      assert.equal(typeof registerProvider, 'undefined');
    });
    return;
  }

  describe('with a scripted chat model registered by the test', () => {
    const requests: Array<{ messages: SeenMessage[]; tools: string[] }> = [];
    let answer: Answer = investigate;
    let registration: vscode.Disposable | undefined;

    before(async () => {
      assert.equal(typeof registerProvider, 'function', `VS Code ${vscode.version} should have vscode.lm.registerLanguageModelChatProvider`);
      registration = registerProvider!.call(vscode.lm, VENDOR, scriptedProvider((r, p, t) => answer(r, p, t), requests));
      await waitFor('the scripted model to be listed', async () => (await vscode.lm.selectChatModels({ vendor: VENDOR })).length > 0);
    });
    after(() => registration?.dispose());
    beforeEach(() => {
      requests.length = 0;
      answer = investigate;
    });

    it('investigates with multi-step tool calls on the real servers; the report is verified and the run streamed', async () => {
      await setSetting('vscodeLm.model', SELECTOR); // auto, no Ollama model: the VS Code chat model investigates
      const result = await analyze('checkout 500s (scripted chat model)');
      const { controller } = await api();
      const run = controller.store.get(result!.runId)!;
      assert.equal(result?.outcome, 'report', JSON.stringify(run.error));
      const report = run.report!;
      assert.equal(report.analyst, 'vscode-lm (Scripted incident model via incident-analyzer-test)');
      const byId = new Map(report.evidence.map((e) => [e.id, e]));
      assert.equal(byId.get('E1')?.verified, true, byId.get('E1')?.verification);
      assert.equal(byId.get('E2')?.verified, true, byId.get('E2')?.verification);
      assert.equal(byId.get('E3')?.verified, false, 'the invented log line is not shown as fact');
      assert.equal(report.rootCause.suspectCommit, CULPRIT);

      // Three investigating turns and the report; each tool result went back with its call's id, the report
      // request offered no tools.
      assert.equal(requests.length, 4);
      assert.ok(requests[0]!.tools.includes('search_logs') && requests[0]!.tools.includes('get_commit'));
      assert.deepEqual(requests[2]!.messages.flatMap((m) => m.calls), ['call-1:search_logs', 'call-2:get_commit']);
      assert.deepEqual(requests[2]!.messages.flatMap((m) => m.results), ['call-1', 'call-2']);
      assert.deepEqual(requests[3]!.tools, []);
      assert.ok(requests[0]!.messages.some((m) => m.texts.some((t) => /A deterministic first pass/.test(t))), 'the first pass was given to the model');

      // The run's events, as the panel and the timeline got them: the model's text, its calls, the report.
      const text = run.events.flatMap((e) => (e.type === 'llm_text' ? [e.text] : [])).join('');
      assert.equal(text, 'Looking for pool errors. The pool was cut in 2b8306b.');
      const investigating = run.events.findIndex((e) => e.type === 'step' && e.title.startsWith('Investigating with Scripted incident model'));
      const asking = run.events.findIndex((e) => e.type === 'step' && e.title.startsWith('Asking'));
      assert.ok(investigating > 0 && asking > investigating);
      const modelCalls = run.events.slice(investigating, asking).flatMap((e) => (e.type === 'tool_call_started' ? [e.tool] : []));
      assert.deepEqual(modelCalls, ['search_logs', 'get_commit']);
      assert.ok(run.events.some((e) => e.type === 'report'));
      assert.equal(controller.panel?.runId, run.runId, 'the report panel shows the run');
    });

    it('a quota refusal (LanguageModelError.Blocked): auto falls back to the built-in analyst, saying why', async () => {
      answer = async () => {
        throw vscode.LanguageModelError.Blocked('You have exceeded your request quota.');
      };
      await setSetting('vscodeLm.model', SELECTOR);
      await setSetting('ollama.predigest', false);
      const result = await analyze('checkout 500s (quota)');
      assert.equal(result?.outcome, 'report');
      const { controller } = await api();
      assert.equal(controller.store.get(result!.runId)!.report?.analyst, 'built-in');
      const failed = controller.store.liveRuns().find((r) => r.incident === 'checkout 500s (quota)' && r.status === 'error')!;
      assert.match(failed.error!.message, /refused the request: a quota or rate limit was reached/);
      assert.equal(failed.error!.remedy, 'choose-model');
    });

    it('Stop cancels the request the model is answering', async () => {
      let cancelled = false;
      answer = (_request, _progress, token) =>
        new Promise<void>((resolve) => {
          token.onCancellationRequested(() => {
            cancelled = true;
            resolve();
          });
        });
      await setSetting('analyst', 'vscode-lm');
      await setSetting('vscodeLm.model', SELECTOR);
      await setSetting('ollama.predigest', false);
      const pending = analyze('checkout 500s (stopped)');
      await waitFor('the model to be asked', () => requests.length > 0);
      await vscode.commands.executeCommand('incidentAnalyzer.stop');
      const result = await pending;
      assert.equal(result?.outcome, 'cancelled');
      await waitFor('the provider to see the cancellation', () => cancelled, 5_000);
    });
  });
});
