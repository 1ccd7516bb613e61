// The extension's session (servers + runs) in plain Node, with the real bundled servers on a fixture.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisSession } from '../../src/extension/analysisSession.js';
import { RunStore } from '../../src/extension/runStore.js';
import { serverSetup } from '../../src/extension/serverSetup.js';
import { readSettings, type ExtensionSettings } from '../../src/extension/settings.js';
import { AnalystError } from '../../src/engine/analysis/analyst.js';
import type { ChatModel, ChatModelSource } from '../../src/engine/analysts/chatModel/chatModel.js';
import { ScriptedChatModel } from '../support/scriptedChatModel.js';
import { fixturesDir, repoRoot } from '../support/servers.js';

const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';

describe('AnalysisSession (what the extension drives)', function () {
  this.timeout(60_000);
  const workspace = path.join(fixturesDir, 'checkout-500');
  let storage: string;
  let session: AnalysisSession;
  const lines: string[] = [];
  const settings = (over: Partial<ExtensionSettings> = {}): ExtensionSettings => ({ ...readSettings((_k, f) => f), repository: 'repo', ...over });
  const setupFor = (s: ExtensionSettings) =>
    serverSetup({ settings: s, workspace, serversDir: path.join(repoRoot, 'dist', 'servers'), nodePath: process.execPath, env: process.env, trusted: true });

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'session-'));
    session = new AnalysisSession(new RunStore(storage), { log: (l) => lines.push(l) });
  });
  afterEach(async () => {
    await session.dispose();
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('runs the built-in analyst on the workspace servers and keeps the transcript', async () => {
    const s = settings();
    // The incidents server (which can run remediation steps) is never among the analyst's servers.
    assert.deepEqual(setupFor(s).servers.map((server) => server.name).sort(), ['git', 'logs', 'metrics']);
    await session.configure(setupFor(s), s);
    const { run, result, fellBack } = await session.analyze({ incident: '500 errors on checkout API' });
    assert.equal(result.outcome, 'report');
    assert.equal(fellBack, undefined);
    assert.equal(run.report?.rootCause.suspectCommit, CULPRIT);
    assert.ok(run.transcriptPath && fs.existsSync(run.transcriptPath));
    assert.equal(session.store.past()[0]?.runId, run.runId);
    assert.ok(session.statuses().every((st) => st.state === 'ready' && st.calls > 0));
  });

  it('in auto mode, falls back to the built-in analyst when Ollama is unreachable, and says why', async () => {
    const s = settings({ model: 'qwen2.5:7b', ollamaHost: 'http://127.0.0.1:9' });
    await session.configure(setupFor(s), s);
    const { result, fellBack } = await session.analyze({ incident: 'checkout 500s' });
    assert.equal(result.outcome, 'report');
    assert.match(fellBack?.message ?? '', /not reachable/);
    assert.equal(fellBack?.remedy, 'start-ollama');
    assert.equal(session.store.liveRuns().length, 2);
  });

  describe('with VS Code chat models (the vscode-lm analyst)', () => {
    const report = {
      rootCause: { summary: 'The pool was cut.', category: 'db-connection-pool-exhaustion', confidence: 'medium', suspectCommit: CULPRIT, suspectDeployment: null, onset: null },
      timeline: [],
      evidence: [{ id: 'E1', kind: 'commit', hash: CULPRIT }],
      recommendations: [],
    };
    /** A source with one scripted model, remembering the selectors asked for. */
    const sourceOf = (model: ChatModel | Error) => {
      const asked: string[] = [];
      const source: ChatModelSource = { find: async (selector) => (asked.push(selector), model) };
      return { source, asked };
    };
    // Replaces the session of beforeEach (which never started servers); afterEach disposes this one.
    const withSource = (source: ChatModelSource) => new AnalysisSession(new RunStore(storage), { log: (l) => lines.push(l) }, undefined, undefined, source);

    it('auto with no Ollama model: the VS Code chat model investigates, and its report is verified', async () => {
      const { source, asked } = sourceOf(new ScriptedChatModel([{ text: 'It is the pool.' }, { text: JSON.stringify(report) }]));
      session = withSource(source);
      const s = settings({ vscodeLmModel: 'test/scripted', predigest: false });
      await session.configure(setupFor(s), s);
      const { run, result, fellBack } = await session.analyze({ incident: 'checkout 500s' });
      assert.equal(result.outcome, 'report', JSON.stringify(result.error));
      assert.equal(fellBack, undefined);
      assert.deepEqual(asked, ['test/scripted']);
      assert.equal(run.report?.analyst, 'vscode-lm (Scripted (test/scripted))');
      assert.equal(run.report?.evidence[0]?.verified, true);
    });

    it('auto prefers Ollama while incidentAnalyzer.model is set, and uses the built-in analyst when VS Code offers no model', async () => {
      const { source, asked } = sourceOf(new AnalystError('VS Code offers no chat model.', 'Install one.', true, 'choose-model'));
      session = withSource(source);
      const s = settings();
      await session.configure(setupFor(s), s);
      const { run } = await session.analyze({ incident: 'checkout 500s' });
      assert.equal(run.report?.analyst, 'built-in');
      assert.ok(lines.some((l) => /no VS Code chat model \(VS Code offers no chat model\.\); the built-in analyst investigates/.test(l)));
      const ollama = settings({ model: 'qwen2.5:7b', ollamaHost: 'http://127.0.0.1:9' });
      await session.configure(setupFor(ollama), ollama);
      const { fellBack } = await session.analyze({ incident: 'checkout 500s' });
      assert.match(fellBack?.message ?? '', /Ollama is not reachable/);
      assert.equal(asked.length, 1, 'not asked for a chat model while an Ollama model is set');
    });

    it('analyst vscode-lm with no model: the run fails with the reason and the fix, no fallback', async () => {
      const { source } = sourceOf(new AnalystError('VS Code offers no chat model.', 'Install one.', true, 'choose-model'));
      session = withSource(source);
      const s = settings({ analyst: 'vscode-lm' });
      await session.configure(setupFor(s), s);
      const { result, fellBack } = await session.analyze({ incident: 'checkout 500s' });
      assert.equal(result.outcome, 'error');
      assert.equal(fellBack, undefined);
      assert.equal(result.error?.message, 'VS Code offers no chat model.');
      assert.equal(result.error?.remedy, 'choose-model');
    });
  });

  it('does not restart servers for a change that leaves them alike; defers a real change until the run ends', async () => {
    const s = settings();
    assert.equal(await session.configure(setupFor(s), s), true);
    assert.equal(await session.configure(setupFor(s), { ...s, maxTurns: 3 }), false);
    const running = session.analyze({ incident: 'x' });
    const narrower = settings({ logs: ['logs/api.log'] });
    assert.equal(await session.configure(setupFor(narrower), narrower), false, 'not under a running analysis');
    assert.equal((await running).result.outcome, 'report');
    await session.startup;
    const files = await session.callTool('list_log_files', {});
    assert.deepEqual((files.structured?.files as Array<{ file: string }>).map((f) => f.file), ['api.log']);
    assert.ok(lines.some((l) => /servers restart when it ends/.test(l)));
  });

  it('stop() cancels the running analysis', async () => {
    const s = settings();
    await session.configure(setupFor(s), s);
    const running = session.analyze({ incident: 'x' });
    setTimeout(() => session.stop(), 50);
    assert.equal((await running).result.outcome, 'cancelled');
    assert.equal(session.isRunning, false);
  });
});
