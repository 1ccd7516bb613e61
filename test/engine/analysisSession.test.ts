// The extension's session (servers + runs) in plain Node, with the real bundled servers on a fixture.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisSession } from '../../src/extension/analysisSession.js';
import { RunStore } from '../../src/extension/runStore.js';
import { serverSetup } from '../../src/extension/serverSetup.js';
import { readSettings, type ExtensionSettings } from '../../src/extension/settings.js';
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
