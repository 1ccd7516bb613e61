import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnalystError, type AnalystContext, type AnalystTools } from '../../src/engine/analysis/analyst';
import type { AnalysisEventBody } from '../../src/engine/analysis/events';
import { keyIsSafeTo } from '../../src/engine/analysts/ollama/client';
import { OllamaAnalyst, type OllamaAnalystOptions } from '../../src/engine/analysts/ollama';
import { functionNameFor, modelTools } from '../../src/engine/analysts/chatModel/modelTools';
import { runAnalysis } from '../../src/engine/analysis/run';
import type { CatalogTool, McpClientManager, ServerStatus, ToolCallOutcome } from '../../src/engine/mcp/clientManager';
import { draftReportJsonSchema, type DraftReport } from '../../src/engine/report/schema';
import { FakeOllama, jsonTurn, textTurn, toolTurn, type ChatRequestBody, type FakeScript } from '../support/fakeOllama';
import { freePort } from '../support/ports';

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
  {
    name: 'search_logs',
    server: 'logs',
    tool: 'search_logs',
    description: 'Search log lines by pattern.',
    inputSchema: { type: 'object', properties: { pattern: { type: 'string' }, page: { type: 'number' } }, required: ['pattern'] },
  },
  {
    // A clashing name, qualified by the catalog; not a valid function name for models.
    name: 'git.log',
    server: 'git',
    tool: 'log',
    description: 'Commits in a time range.',
    inputSchema: { type: 'object', properties: { since: { type: 'string' } } },
  },
  {
    name: 'query_metric',
    server: 'metrics',
    tool: 'query_metric',
    description: 'Points of one metric.',
    inputSchema: { type: 'object', properties: { metric: { type: 'string' } }, required: ['metric'] },
  },
];

type Responder = (args: Record<string, unknown>) => Partial<ToolCallOutcome>;

/** A catalog of tools answering from a script, recording each call. */
function fakeTools(responders: Record<string, Responder> = {}): AnalystTools & { calls: Array<{ name: string; args: Record<string, unknown> }> } {
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  return {
    calls,
    catalog: () => CATALOG,
    async call(name, args) {
      calls.push({ name, args });
      const entry = CATALOG.find((t) => t.name === name);
      const made = responders[name]?.(args) ?? { text: `${name} result for ${JSON.stringify(args)}` };
      return { server: entry?.server ?? '?', tool: entry?.tool ?? name, isError: false, text: '', durationMs: 1, ...made };
    },
  };
}

function context(tools: AnalystTools, controller = new AbortController()) {
  const events: AnalysisEventBody[] = [];
  const steps: string[] = [];
  const ctx: AnalystContext = {
    incident: 'Checkout returns 500 since 10:02',
    window: { since: '2024-05-01T09:00:00Z', until: '2024-05-01T11:00:00Z' },
    tools,
    emit: (event) => events.push(event),
    step: (title) => steps.push(title),
    signal: controller.signal,
  };
  return { ctx, events, steps, controller };
}

const toolMessages = (body: ChatRequestBody) => body.messages.filter((m) => m.role === 'tool');
const lastOf = <T>(items: T[]): T => items[items.length - 1]!;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected the analysis to fail');
}

describe('Ollama analyst', function () {
  this.timeout(20_000);
  let fake: FakeOllama | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  // These tests are about the model's tool loop over a scripted catalog, so the built-in analyst's first pass
  // (which needs the real servers; see "Ollama analyst with the pre-digest") is off here.
  const start = async (script: FakeScript, options: Partial<OllamaAnalystOptions> = {}) => {
    fake = await FakeOllama.start(script);
    return new OllamaAnalyst({ host: fake.host, model: 'qwen2.5:7b', predigest: false, ...options });
  };

  it('investigates over several tool turns, then asks for the report with the JSON schema and returns it parsed', async () => {
    const analyst = await start([
      toolTurn([{ name: 'search_logs', arguments: { pattern: 'ERROR' } }], 'Looking for errors. '),
      toolTurn([{ name: 'git__log', arguments: { since: '2024-05-01T09:00:00Z' } }]),
      textTurn('The pool size change in 3f2a caused it.'),
      jsonTurn(REPORT),
    ]);
    const tools = fakeTools();
    const { ctx, steps } = context(tools);
    const report = await analyst.investigate(ctx);

    assert.deepEqual(report, REPORT);
    assert.equal(analyst.label, 'ollama (qwen2.5:7b)');
    assert.deepEqual(steps, ['Investigating with qwen2.5:7b (up to 12 model turns)…', 'Asking qwen2.5:7b for the report…']);
    assert.equal(steps.length, analyst.plannedSteps);
    assert.deepEqual(tools.calls, [
      { name: 'search_logs', args: { pattern: 'ERROR' } },
      { name: 'git.log', args: { since: '2024-05-01T09:00:00Z' } },
    ]);
    const chats = fake!.chats();
    assert.equal(chats.length, 4);
    const first = chats[0]!;
    assert.equal(first.model, 'qwen2.5:7b');
    assert.equal(first.stream, true);
    assert.equal(first.options?.num_ctx, 16384);
    assert.equal(first.format, undefined);
    assert.deepEqual(first.tools?.map((t) => t.function.name), ['search_logs', 'git__log', 'query_metric']);
    assert.deepEqual(first.tools?.[0]?.function.parameters, CATALOG[0]!.inputSchema);
    assert.equal(first.tools?.[0]?.type, 'function');
    assert.equal(first.messages[0]!.role, 'system');
    assert.match(first.messages[0]!.content, /incident investigator/);
    assert.match(first.messages[0]!.content, /db-connection-pool-exhaustion/);
    assert.match(first.messages[0]!.content, /no commit is to blame/);
    assert.match(first.messages[1]!.content, /Checkout returns 500/);
    assert.match(first.messages[1]!.content, /2024-05-01T09:00:00Z/);

    const third = chats[2]!;
    assert.deepEqual(toolMessages(third).map((m) => [m.tool_name, m.content]), [
      ['search_logs', 'search_logs result for {"pattern":"ERROR"}'],
      ['git__log', 'git.log result for {"since":"2024-05-01T09:00:00Z"}'],
    ]);

    const last = lastOf(chats);
    assert.deepEqual(last.format, draftReportJsonSchema());
    assert.equal(last.tools, undefined);
    assert.match(lastOf(last.messages).content, /final report as JSON/);
  });

  it('a first pass that fails is said in a note, and the model investigates without it', async () => {
    const analyst = await start([textTurn('Looking myself.'), jsonTurn(REPORT)], { predigest: true });
    assert.equal(analyst.plannedSteps, 3);
    // The bundled servers' tools, each of them failing outright.
    const names = ['get_error_rates', 'get_anomalies', 'log_histogram', 'log_patterns', 'get_deployments', 'get_recent_commits', 'get_commit'];
    const catalog: CatalogTool[] = names.map((name) => ({ name, server: 's', tool: name, description: name, inputSchema: { type: 'object' } }));
    const broken: AnalystTools = { catalog: () => catalog, call: async () => Promise.reject(new Error('the servers went away')) };
    const { ctx, events, steps } = context(broken);
    assert.deepEqual(await analyst.investigate(ctx), REPORT);
    assert.ok(events.some((e) => e.type === 'note' && /first pass failed \(.*the servers went away.*\); the model investigates without it/.test(e.message)), JSON.stringify(events.filter((e) => e.type === 'note')));
    assert.equal(steps.length, 3);
    assert.deepEqual(fake!.chats()[0]!.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(analyst.lastUsage?.firstPass?.ok, false);
  });

  it('streams the model text as llm_text events, token by token', async () => {
    const text = 'The errors start at 10:02, right after deployment v2.4.1.';
    const analyst = await start([textTurn(text), jsonTurn(REPORT)]);
    const { ctx, events } = context(fakeTools());
    await analyst.investigate(ctx);
    const tokens = events.flatMap((e) => (e.type === 'llm_text' ? [e.text] : []));
    assert.ok(tokens.length > 5, 'several token events');
    assert.equal(tokens.join(''), text);
    assert.ok(!tokens.join('').includes('rootCause'), 'the report JSON is not shown as model text');
  });

  it('answers parallel tool calls in one message: one assistant message, then one tool message per call, in order', async () => {
    const analyst = await start([
      toolTurn([
        { name: 'search_logs', arguments: { pattern: 'timeout' } },
        { name: 'query_metric', arguments: { metric: 'db_pool_in_use' } },
      ]),
      textTurn('Done.'),
      jsonTurn(REPORT),
    ]);
    const tools = fakeTools();
    const { ctx } = context(tools);
    await analyst.investigate(ctx);

    assert.deepEqual(tools.calls.map((c) => c.name), ['search_logs', 'query_metric']);
    const second = fake!.chats()[1]!;
    assert.deepEqual(second.messages.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'tool']);
    assert.equal(second.messages[2]!.tool_calls?.length, 2);
    assert.deepEqual(toolMessages(second).map((m) => m.tool_name), ['search_logs', 'query_metric']);
  });

  it('gives a tool error back to the model as text beginning "ERROR:"', async () => {
    const analyst = await start([toolTurn([{ name: 'query_metric', arguments: { metric: 'nope' } }]), textTurn('Ok.'), jsonTurn(REPORT)]);
    const tools = fakeTools({ query_metric: () => ({ isError: true, text: 'unknown metric "nope"; metrics: latency_ms, db_pool_in_use' }) });
    await analyst.investigate(context(tools).ctx);
    const [message] = toolMessages(fake!.chats()[1]!);
    assert.equal(message!.content, 'ERROR: unknown metric "nope"; metrics: latency_ms, db_pool_in_use');
  });

  it('does not re-run an identical call (same arguments in another order); the model is told it has the result', async () => {
    const analyst = await start([
      toolTurn([{ name: 'search_logs', arguments: { pattern: 'ERROR', page: 2 } }]),
      toolTurn([{ name: 'search_logs', arguments: { page: 2, pattern: 'ERROR' } }]),
      textTurn('Ok.'),
      jsonTurn(REPORT),
    ]);
    const tools = fakeTools();
    const { ctx, events } = context(tools);
    await analyst.investigate(ctx);

    assert.equal(tools.calls.length, 1);
    const repeated = lastOf(toolMessages(fake!.chats()[2]!));
    assert.match(repeated.content, /already called search_logs with exactly these arguments/);
    assert.match(repeated.content, /try a different tool or different arguments/);
    assert.ok(events.some((e) => e.type === 'note' && /repeated call/.test(e.message)));
  });

  it('tells the model the real tools when it calls one that does not exist', async () => {
    const analyst = await start([toolTurn([{ name: 'grep_logs', arguments: {} }]), textTurn('Ok.'), jsonTurn(REPORT)]);
    const tools = fakeTools();
    await analyst.investigate(context(tools).ctx);
    assert.equal(tools.calls.length, 0);
    const [message] = toolMessages(fake!.chats()[1]!);
    assert.match(message!.content, /^ERROR: there is no tool named "grep_logs"\. The tools are: search_logs, git__log, query_metric\./);
  });

  it('ends a model that never stops calling tools at the turn budget, and still asks for the report', async () => {
    const analyst = await start(
      (body, index) => (body.format ? jsonTurn(REPORT) : toolTurn([{ name: 'search_logs', arguments: { pattern: 'ERROR', page: index + 1 } }])),
      { maxTurns: 3 },
    );
    const tools = fakeTools();
    const { ctx, events } = context(tools);
    const report = await analyst.investigate(ctx);

    assert.deepEqual(report, REPORT);
    assert.equal(tools.calls.length, 3);
    const chats = fake!.chats();
    assert.equal(chats.length, 4);
    const last = lastOf(chats);
    assert.deepEqual(last.format, draftReportJsonSchema());
    assert.ok(last.messages.some((m) => m.role === 'user' && /budget \(3 model turns\) is spent/.test(m.content)));
    assert.ok(events.some((e) => e.type === 'note' && /all 3 turns/.test(e.message)));
  });

  it('caps a huge tool result and says so in the text the model sees', async () => {
    const huge = Array.from({ length: 400 }, (_, i) => `app.log:${i + 1} ERROR pool timeout after 30000ms req=${i}`).join('\n');
    const analyst = await start([toolTurn([{ name: 'search_logs', arguments: { pattern: 'ERROR' } }]), textTurn('Ok.'), jsonTurn(REPORT)], {
      toolResultBudgetChars: 8000,
    });
    await analyst.investigate(context(fakeTools({ search_logs: () => ({ text: huge }) })).ctx);
    const [message] = toolMessages(fake!.chats()[1]!);
    const match = /\[result cut at (\d+) of (\d+) characters; ask for a narrower range\/page\]$/.exec(message!.content);
    assert.ok(match, `the cut is stated: ${message!.content.slice(-120)}`);
    assert.equal(Number(match[2]), huge.length);
    assert.ok(Number(match[1]) <= 8000);
    assert.ok(message!.content.length <= 8000 + 100);
    assert.ok(huge.startsWith(message!.content.slice(0, Number(match[1]))), 'the start is kept as it was');
  });

  it('keeps the conversation within the context: the oldest tool results are shortened, saying so', async () => {
    const analyst = await start(
      (body, index) => (body.format ? jsonTurn(REPORT) : index < 4 ? toolTurn([{ name: 'search_logs', arguments: { pattern: `p${index}` } }]) : textTurn('Ok.')),
      { numCtx: 2048, toolResultBudgetChars: 3000 },
    );
    const { ctx, events } = context(fakeTools({ search_logs: (args) => ({ text: `${String(args.pattern)} `.repeat(1000) }) }));
    await analyst.investigate(ctx);
    const last = lastOf(fake!.chats());
    const total = last.messages.reduce((sum, m) => sum + m.content.length, 0);
    assert.ok(total <= 2048 * 3.5, `conversation of ${total} characters`);
    const [oldest] = toolMessages(last);
    assert.match(oldest!.content, /older result shortened to keep the conversation within the model's context/);
    assert.ok(events.some((e) => e.type === 'note' && /Shortened \d+ older tool result/.test(e.message)));
  });

  it('asks again once when the report is not valid JSON, giving the problem, and accepts the corrected one', async () => {
    const analyst = await start([textTurn('Found it.'), jsonTurn('{"rootCause": {"summary": "pool'), jsonTurn(REPORT)]);
    const report = await analyst.investigate(context(fakeTools()).ctx);
    assert.deepEqual(report, REPORT);
    const chats = fake!.chats();
    assert.equal(chats.length, 3);
    assert.deepEqual(chats[2]!.format, draftReportJsonSchema());
    assert.match(lastOf(chats[2]!.messages).content, /could not be used: it is not valid JSON/);
  });

  it('fails with an AnalystError when the report is still unusable after the retry', async () => {
    const wrong = { ...REPORT, rootCause: { ...REPORT.rootCause, category: 'gremlins' } };
    const analyst = await start([textTurn('Found it.'), jsonTurn(wrong), jsonTurn(wrong)]);
    const err = await rejection(analyst.investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /report was unusable: it does not match the schema: rootCause\.category/);
    assert.equal(fake!.chats().length, 3);
  });

  it('an unreachable host: AnalystError saying so, with the fix and the built-in fallback', async () => {
    const closedPort = await freePort();
    const analyst = new OllamaAnalyst({ host: `http://127.0.0.1:${closedPort}`, model: 'qwen2.5:7b' });
    const err = await rejection(analyst.investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.equal(err.message, `Ollama is not reachable at http://127.0.0.1:${closedPort}.`);
    assert.match(err.fix!, /ollama serve/);
    assert.equal(err.builtinFallback, true);
  });

  it('an unknown model (404): AnalystError with `ollama pull <model>`', async () => {
    const analyst = await start([{ status: 404, error: 'model "qwen9:1b" not found, try pulling it first' }], { model: 'qwen9:1b' });
    const err = await rejection(analyst.investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /model "qwen9:1b" was not found/);
    assert.match(err.fix!, /`ollama pull qwen9:1b`/);
    assert.equal(err.builtinFallback, true);
  });

  it('a model without tool support (400): AnalystError suggesting models that have it', async () => {
    const analyst = await start([{ status: 400, error: 'registry.ollama.ai/library/gemma:2b does not support tools' }], { model: 'gemma:2b' });
    const err = await rejection(analyst.investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /"gemma:2b" does not support tool calling/);
    assert.match(err.fix!, /qwen2\.5 or llama3\.1/);
  });

  it('no model configured: AnalystError telling how to set one', async () => {
    const err = await rejection(new OllamaAnalyst({ model: '  ' }).investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /No Ollama model is configured/);
    assert.match(err.fix!, /Select Model/);
    assert.equal(err.remedy, 'choose-model');
  });

  it('sends the API key as a bearer header (and only when set), never showing it in events', async () => {
    const analyst = await start([textTurn('Ok.'), jsonTurn(REPORT)], { apiKey: 'sk-secret-123' });
    const { ctx, events } = context(fakeTools());
    await analyst.investigate(ctx);
    assert.ok(fake!.requests.length > 0);
    for (const request of fake!.requests) assert.equal(request.headers.authorization, 'Bearer sk-secret-123');
    assert.ok(!JSON.stringify(events).includes('sk-secret'));
    await fake!.close();

    const withoutKey = await start([textTurn('Ok.'), jsonTurn(REPORT)]);
    await withoutKey.investigate(context(fakeTools()).ctx);
    assert.equal(fake!.requests[0]!.headers.authorization, undefined);
  });

  it('never sends the API key unencrypted off this machine unless allowed', async () => {
    for (const safe of ['https://ollama.com', 'http://127.0.0.1:11434', 'http://localhost:11434', 'http://[::1]:11434', '127.0.0.2:11434']) {
      assert.equal(keyIsSafeTo(safe), true, safe);
    }
    for (const unsafe of ['http://ollama.internal:11434', 'http://10.0.0.5:11434', 'gpu-box:11434', 'http://127.0.0.1.evil.example']) {
      assert.equal(keyIsSafeTo(unsafe), false, unsafe);
    }
    const remote = new OllamaAnalyst({ host: 'http://gpu-box.internal:11434', model: 'qwen2.5:7b', apiKey: 'sk-secret-123' });
    const err = await rejection(remote.investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /would be sent unencrypted to http:\/\/gpu-box\.internal:11434/);
    assert.match(err.fix!, /https|allowApiKeyOverHttp/);
    assert.ok(!err.message.includes('sk-secret'));
  });

  it('a 401 from a hosted host: AnalystError telling to set the API key', async () => {
    const analyst = await start([{ status: 401, error: 'unauthorized' }]);
    const err = await rejection(analyst.investigate(context(fakeTools()).ctx));
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /401 unauthorized/);
    assert.match(err.fix!, /Set the API key/);
  });

  it('cancelling mid-stream aborts the stream and rejects promptly, not as an AnalystError', async () => {
    const slow = { delayMs: 300, chunks: Array.from({ length: 30 }, (_, i) => ({ content: `token${i} ` })) };
    const analyst = await start([slow, jsonTurn(REPORT)]);
    const tools = fakeTools();
    const { ctx, events, controller } = context(tools);
    const started = Date.now();
    const running = analyst.investigate(ctx);
    // Cancel once the first tokens have arrived, i.e. mid-stream (the server has ~9 s left to stream).
    while (!events.some((e) => e.type === 'llm_text')) await new Promise((r) => setTimeout(r, 10));
    const cancelledAt = Date.now();
    controller.abort();
    const err = await rejection(running);
    assert.ok(!(err instanceof AnalystError), `a cancellation, not a failure: ${String(err)}`);
    assert.equal((err as Error).name, 'AbortError');
    assert.ok(Date.now() - cancelledAt < 500, `rejected ${Date.now() - cancelledAt} ms after the cancel`);
    assert.ok(Date.now() - started < 3000);
    assert.equal(fake!.chats().length, 1, 'no report request after cancelling');
    // The server notices the closed connection when it next writes.
    await waitFor(() => fake!.clientDisconnects === 1, 1000);
  });

  it('cancelling before the server answers at all also stops at once', async () => {
    // A server that accepts the request and never answers.
    const hung = http.createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const analyst = new OllamaAnalyst({ host: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`, model: 'qwen2.5:7b' });
      const { ctx, controller } = context(fakeTools());
      const running = analyst.investigate(ctx);
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const err = await rejection(running);
      assert.equal((err as Error).name, 'AbortError');
      assert.ok(Date.now() - started < 1000);
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});

describe('Ollama analyst in a run', function () {
  this.timeout(20_000);
  // Just what runAnalysis uses of the manager; the tools answer from the fake catalog.
  const fakeManager = (): McpClientManager => {
    const tools = fakeTools();
    return {
      serverCount: 1,
      ready: async () => [{ name: 'logs', state: 'ready' } as ServerStatus],
      catalog: () => tools.catalog(),
      callTool: (name: string, args: Record<string, unknown>) => tools.call(name, args),
    } as unknown as McpClientManager;
  };

  it('a cancel mid-stream ends the run as cancelled', async () => {
    const fake = await FakeOllama.start([{ delayMs: 200, chunks: Array.from({ length: 30 }, (_, i) => ({ content: `t${i} ` })) }]);
    try {
      const controller = new AbortController();
      const types: string[] = [];
      const result = await runAnalysis({
        incident: 'Checkout returns 500',
        analyst: new OllamaAnalyst({ host: fake.host, model: 'qwen2.5:7b' }),
        manager: fakeManager(),
        signal: controller.signal,
        onEvent: (event) => {
          types.push(event.type);
          if (event.type === 'llm_text') controller.abort();
        },
      });
      assert.equal(result.outcome, 'cancelled');
      assert.equal(lastOf(types), 'cancelled');
    } finally {
      await fake.close();
    }
  });

  it('an unreachable host ends the run with the error, its fix and the built-in fallback', async () => {
    const result = await runAnalysis({
      incident: 'Checkout returns 500',
      analyst: new OllamaAnalyst({ host: `http://127.0.0.1:${await freePort()}`, model: 'qwen2.5:7b' }),
      manager: fakeManager(),
    });
    assert.equal(result.outcome, 'error');
    assert.match(result.error!.message, /not reachable/);
    assert.match(result.error!.fix!, /ollama serve/);
    assert.equal(result.error!.builtinFallback, true);
  });
});

describe('Ollama tool names', () => {
  it('keeps valid names and maps qualified ones reversibly', () => {
    assert.equal(functionNameFor('search_logs'), 'search_logs');
    assert.equal(functionNameFor('git.log'), 'git__log');
    const tools = modelTools(CATALOG);
    assert.equal(tools.resolve('git__log')?.name, 'git.log');
    assert.equal(tools.resolve('git.log')?.name, 'git.log', 'the catalog name is accepted too');
    assert.equal(tools.resolve('nope'), undefined);
  });

  it('keeps mapped names unique', () => {
    const clash = (name: string): CatalogTool => ({ name, server: 's', tool: name, description: '', inputSchema: { type: 'object' } });
    const tools = modelTools([clash('a.b'), clash('a__b')]);
    assert.deepEqual(tools.names(), ['a__b', 'a__b_2']);
    assert.equal(tools.resolve('a__b')?.name, 'a.b');
    assert.equal(tools.resolve('a__b_2')?.name, 'a__b');
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
