// The shared model loop behind the chat-model port (what the vscode-lm analyst runs), with a scripted model:
// over scripted tools for the loop's rules, and over the real bundled servers for a verified report.
import assert from 'node:assert/strict';
import { AnalystError, type AnalystContext, type AnalystTools } from '../../src/engine/analysis/analyst';
import type { AnalysisEventBody } from '../../src/engine/analysis/events';
import { ChatModelAnalyst } from '../../src/engine/analysts/chatModel/chatModelAnalyst';
import type { CatalogTool, ToolCallOutcome } from '../../src/engine/mcp/clientManager';
import type { DraftReport } from '../../src/engine/report/schema';
import { analyseFixture, scenarios } from '../support/fixtureRun';
import { ScriptedChatModel, type ScriptedTurn } from '../support/scriptedChatModel';

const REPORT: DraftReport = {
  rootCause: {
    summary: 'The connection pool was cut from 50 to 5 in commit 3f2a, exhausting it under normal load.',
    category: 'db-connection-pool-exhaustion',
    confidence: 'high',
    suspectCommit: '3f2a9c1d5e7b8a6f4c2d0e9b7a5c3e1f2d4b6a8c',
    suspectDeployment: 'v2.4.1',
    onset: '2024-05-01T10:02:00Z',
  },
  timeline: [{ time: '2024-05-01T10:02:00Z', description: 'First pool timeout', evidence: ['E1'] }],
  evidence: [{ id: 'E1', kind: 'log', file: 'app.log', line: 42, text: 'ERROR pool timeout after 30000ms' }],
  recommendations: ['Restore the pool size to 50.'],
};

const CATALOG: CatalogTool[] = [
  { name: 'search_logs', server: 'logs', tool: 'search_logs', description: 'Search log lines.', inputSchema: { type: 'object', properties: { pattern: { type: 'string' } } } },
  { name: 'get_commit', server: 'git', tool: 'get_commit', description: 'One commit.', inputSchema: { type: 'object', properties: { hash: { type: 'string' } } } },
  { name: 'get_metrics', server: 'metrics', tool: 'get_metrics', description: 'Metric points.', inputSchema: { type: 'object', properties: { metric: { type: 'string' } } } },
];

function fakeTools(): AnalystTools & { calls: Array<{ name: string; args: Record<string, unknown> }> } {
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  return {
    calls,
    catalog: () => CATALOG,
    async call(name, args): Promise<ToolCallOutcome> {
      calls.push({ name, args });
      return { server: 'x', tool: name, isError: false, text: `${name} result for ${JSON.stringify(args)}`, durationMs: 1 };
    },
  };
}

function context(tools: AnalystTools, controller = new AbortController()) {
  const events: AnalysisEventBody[] = [];
  const steps: string[] = [];
  const ctx: AnalystContext = { incident: 'Checkout returns 500 since 10:02', tools, emit: (e) => events.push(e), step: (t) => steps.push(t), signal: controller.signal };
  return { ctx, events, steps, controller };
}

const json = (value: unknown): ScriptedTurn => ({ text: typeof value === 'string' ? value : JSON.stringify(value) });
const lastUser = (messages: Array<{ role: string; content: string }>) => messages.filter((m) => m.role === 'user').at(-1)!.content;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the investigation to fail');
}

describe('chat-model analyst (the shared loop, scripted model)', function () {
  this.timeout(20_000);
  const analystFor = (model: ScriptedChatModel, maxTurns = 12) => new ChatModelAnalyst('vscode-lm', model, { predigest: false, maxTurns });

  it('makes multi-step tool calls (two at once included), streams its text, then reads a report given with prose around it', async () => {
    const model = new ScriptedChatModel([
      { text: 'Looking at the errors first. ', calls: [{ name: 'search_logs', arguments: { pattern: 'ERROR' } }] },
      { calls: [{ name: 'get_commit', arguments: { hash: '3f2a' } }, { name: 'get_metrics', arguments: '{"metric":"db_pool"}' }] },
      { text: 'The pool change did it.' },
      json(`Here is the report:\n${JSON.stringify(REPORT)}\nI hope it helps.`),
    ]);
    const tools = fakeTools();
    const { ctx, events, steps } = context(tools);
    const analyst = analystFor(model);
    const report = await analyst.investigate(ctx);

    assert.deepEqual(report, REPORT);
    assert.equal(analyst.label, 'vscode-lm (Scripted (test/scripted))');
    assert.deepEqual(steps, ['Investigating with Scripted (test/scripted) (up to 12 model turns)…', 'Asking Scripted (test/scripted) for the report…']);
    assert.equal(steps.length, analyst.plannedSteps);
    assert.deepEqual(tools.calls, [
      { name: 'search_logs', args: { pattern: 'ERROR' } },
      { name: 'get_commit', args: { hash: '3f2a' } },
      { name: 'get_metrics', args: { metric: 'db_pool' } },
    ]);
    // Each result answers its call by id, in order, after the one assistant message that asked for both.
    const third = model.requests[2]!.messages;
    assert.deepEqual(third.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'tool']);
    assert.deepEqual(third.filter((m) => m.role === 'tool').map((m) => m.toolCallId), ['call-1', 'call-2', 'call-3']);
    assert.deepEqual(model.requests[0]!.tools, ['search_logs', 'get_commit', 'get_metrics']);
    // The report request offers no tools, and gives the schema in the prompt: this model cannot be held to one.
    const last = model.requests.at(-1)!;
    assert.equal(last.tools, undefined);
    assert.equal(last.jsonSchema, undefined);
    assert.match(lastUser(last.messages), /matching this JSON schema:\n\{.*"rootCause"/s);
    const text = events.flatMap((e) => (e.type === 'llm_text' ? [e.text] : []));
    assert.ok(text.length > 3, 'streamed in pieces');
    assert.equal(text.join(''), 'Looking at the errors first. The pool change did it.');
    assert.ok(events.some((e) => e.type === 'note' && /Model usage: 4 request\(s\), 3 tool turn\(s\), no token counts reported/.test(e.message)));
  });

  it('does not run an identical call twice; the model is told it already has the result', async () => {
    const model = new ScriptedChatModel([
      { calls: [{ name: 'search_logs', arguments: { pattern: 'ERROR' } }] },
      { calls: [{ name: 'search_logs', arguments: { pattern: 'ERROR' } }] },
      { text: 'Ok.' },
      json(REPORT),
    ]);
    const tools = fakeTools();
    await analystFor(model).investigate(context(tools).ctx);
    assert.equal(tools.calls.length, 1);
    assert.match(model.requests[2]!.messages.at(-1)!.content, /already called search_logs with exactly these arguments/);
  });

  it('stops a model that never stops calling tools at the turn budget, and still gets the report', async () => {
    const model = new ScriptedChatModel((request, index) =>
      request.tools ? { calls: [{ name: 'search_logs', arguments: { pattern: `p${index}` } }] } : json(REPORT),
    );
    const tools = fakeTools();
    const { ctx, events } = context(tools);
    const report = await analystFor(model, 3).investigate(ctx);
    assert.deepEqual(report, REPORT);
    assert.equal(tools.calls.length, 3);
    assert.equal(model.requests.length, 4);
    assert.ok(model.requests[3]!.messages.some((m) => m.role === 'user' && /budget \(3 model turns\) is spent/.test(m.content)));
    assert.ok(events.some((e) => e.type === 'note' && /all 3 turns/.test(e.message)));
  });

  it('a cancel mid-turn rejects promptly with the abort, not as an AnalystError, and no tool runs after it', async () => {
    const model = new ScriptedChatModel([{ calls: [{ name: 'search_logs', arguments: { pattern: 'ERROR' } }] }, { hang: true }]);
    const tools = fakeTools();
    const { ctx, controller } = context(tools);
    const pending = analystFor(model).investigate(ctx);
    setTimeout(() => controller.abort(new Error('stopped by the user')), 50);
    const started = Date.now();
    const err = await rejection(pending);
    assert.ok(Date.now() - started < 2000);
    assert.ok(!(err instanceof AnalystError));
    assert.equal((err as Error).message, 'stopped by the user');
    assert.equal(tools.calls.length, 1);
  });

  it('a report that does not match the schema is asked for once more with the validation error; the corrected one is used', async () => {
    const wrong = { ...REPORT, rootCause: { ...REPORT.rootCause, category: 'gremlins' } };
    const model = new ScriptedChatModel([{ text: 'Found it.' }, json('```json\n' + JSON.stringify(wrong) + '\n```'), json(REPORT)]);
    const { ctx, events } = context(fakeTools());
    const report = await analystFor(model).investigate(ctx);
    assert.deepEqual(report, REPORT);
    assert.equal(model.requests.length, 3);
    assert.match(lastUser(model.requests[2]!.messages), /could not be used: it does not match the schema: rootCause\.category/);
    assert.ok(events.some((e) => e.type === 'note' && /report was not usable .*asking once more/.test(e.message)));
  });

  it('a report still unusable after the retry: AnalystError, with the built-in fallback', async () => {
    const model = new ScriptedChatModel([{ text: 'Found it.' }, json('not JSON at all'), json('{"rootCause": ')]);
    const err = await rejection(analystFor(model).investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /report was unusable: it is not valid JSON/);
    assert.equal(err.builtinFallback, true);
    assert.match(err.fix ?? '', /Select Model/);
  });

  it("the model's own failure is explained by its adapter", async () => {
    const model = new ScriptedChatModel([{ error: new Error('quota exceeded') }]);
    const err = await rejection(analystFor(model).investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.equal(err.message, 'The scripted model failed: quota exceeded');
  });

  it('with no model, the run starts and says why there is none', async () => {
    const none = new AnalystError('VS Code offers no chat model.', 'Install one.', true, 'choose-model');
    const analyst = new ChatModelAnalyst('vscode-lm', none);
    assert.equal(analyst.label, 'vscode-lm');
    assert.equal(await rejection(analyst.investigate(context(fakeTools()).ctx)), none);
  });
});

describe('chat-model analyst over the real servers', function () {
  this.timeout(60_000);
  const scenario = scenarios().find((s) => s.name === 'checkout-500')!;
  const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';

  it('after the first pass, its tool calls are the run\'s; the report is verified: real citations hold, an invented log line is marked unverified', async () => {
    const report: DraftReport = {
      rootCause: {
        summary: 'Commit 2b8306b cut the DB pool to 5; checkout requests time out acquiring a connection.',
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
        { id: 'E3', kind: 'log', file: 'logs/api.log', line: 3, text: 'FATAL the database is on fire' },
      ],
      recommendations: ['Restore the pool size.'],
    };
    const model = new ScriptedChatModel([
      { text: 'Searching for the pool errors. ', calls: [{ name: 'search_logs', arguments: { pattern: 'timeout acquiring connection', max_results: 3 } }] },
      { calls: [{ name: 'get_commit', arguments: { hash: CULPRIT } }] },
      { text: 'The pool was cut in 2b8306b.' },
      json(report),
    ]);
    const analyst = new ChatModelAnalyst('vscode-lm', model);
    const { result, events } = await analyseFixture(scenario, analyst);

    assert.equal(result.outcome, 'report', JSON.stringify(result.error));
    const byId = new Map(result.report!.evidence.map((e) => [e.id, e]));
    assert.equal(byId.get('E1')?.verified, true, byId.get('E1')?.verification);
    assert.equal(byId.get('E2')?.verified, true);
    assert.equal(byId.get('E3')?.verified, false, 'the invented line is not shown as fact');
    assert.equal(result.report!.rootCause.suspectCommit, CULPRIT);
    assert.equal(result.report!.analyst, 'vscode-lm (Scripted (test/scripted))');
    // The first pass ran through the run's tools before the model; the model's own two calls came between its steps.
    const investigating = events.findIndex((e) => e.type === 'step' && e.title.startsWith('Investigating with'));
    const asking = events.findIndex((e) => e.type === 'step' && e.title.startsWith('Asking'));
    const toolOf = (e: (typeof events)[number]) => (e.type === 'tool_call_started' ? [e.tool] : []);
    assert.ok(events.slice(0, investigating).flatMap(toolOf).length > 0, 'the first pass called tools');
    assert.deepEqual(events.slice(investigating, asking).flatMap(toolOf), ['search_logs', 'get_commit']);
    assert.match(model.requests[0]!.messages[2]!.content, /A deterministic first pass/);
    assert.ok(events.some((e) => e.type === 'llm_text'));
    const steps = events.flatMap((e) => (e.type === 'step' ? [e.title] : []));
    assert.equal(steps.length, 2 + analyst.plannedSteps);
  });
});
