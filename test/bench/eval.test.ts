// The eval harness (bench/eval.ts) run as a process, as a person runs it, against the scripted Ollama server
// speaking /api/chat over HTTP: real bundled servers, real tool calls, a report with one real and one made-up
// citation. Checks the JSON it writes and the table it prints. Needs `npm run build` (the servers in dist/).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeOllama, jsonTurn, textTurn, toolTurn, type ChatRequestBody, type FakeTurn } from '../support/fakeOllama';
import { scenarios } from '../support/fixtureRun';
import { repoRoot } from '../support/servers';

const scenario = scenarios().find((s) => s.name === 'checkout-500')!;
const MADE_UP_LINE = 999_999;

/** Runs `tsx bench/eval.ts …` without blocking this process (the fake Ollama answers from it). */
function runEval(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'bench', 'eval.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, OLLAMA_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * A model that calls a few real tools, then reports: the culprit taken from the pre-digest's candidates, an onset
 * a minute after the expected one, a log line it found with search_logs, and a line that does not exist.
 */
function script(body: ChatRequestBody): FakeTurn {
  const turn = body.messages.filter((m) => m.role === 'assistant').length;
  if (body.format) {
    const said = body.messages.map((m) => m.content).join('\n');
    const culprit = new RegExp(`([0-9a-f]{40}) "${scenario.expected.culpritCommitSubject}"`).exec(said)?.[1] ?? null;
    const found = /^(logs\/\S+):(\d+): (.*)$/m.exec(body.messages.filter((m) => m.role === 'tool').map((m) => m.content).join('\n'));
    const onset = new Date(Date.parse(scenario.expected.onset) + 60_000).toISOString();
    return jsonTurn({
      rootCause: { summary: 'The pool was cut to 5.', category: scenario.expected.category, confidence: 'high', suspectCommit: culprit, suspectDeployment: 'v2.14.0', onset },
      timeline: [{ time: onset, description: 'pool timeouts begin', evidence: ['E1', 'E2'] }],
      evidence: [
        ...(found ? [{ id: 'E1', kind: 'log', file: found[1], line: Number(found[2]), text: found[3] }] : []),
        { id: 'E2', kind: 'log', file: 'logs/api.log', line: MADE_UP_LINE, text: 'ERROR this line was never logged' },
      ],
      recommendations: ['Restore the pool size.'],
    });
  }
  if (turn === 0) return toolTurn([{ name: 'log_histogram', arguments: { level: 'error', bucket_minutes: 5 } }, { name: 'get_deployments', arguments: {} }]);
  if (turn === 1) return toolTurn([{ name: 'search_logs', arguments: { pattern: 'timeout acquiring connection', max_results: 5 } }]);
  return textTurn('The first pass holds up: the pool cut in v2.14.0.');
}

describe('eval harness (bench/eval.ts) against the scripted Ollama server', function () {
  this.timeout(180_000);
  let fake: FakeOllama;
  let out: string;
  let run: { status: number | null; stdout: string; stderr: string };

  before(async () => {
    fake = await FakeOllama.start((body) => script(body));
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-eval-test-'));
    run = await runEval(['--ollama-host', fake.host, '--model', 'fake', '--fixtures', 'checkout-500', '--out', out]);
  });
  after(async () => {
    await fake.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('exits 0 and writes eval-<model>.json and eval-builtin.json', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['eval-builtin.json', 'eval-fake.json']);
  });

  it("scores the model's run: culprit, category, onset within 2 minutes, one false citation, turns, tokens, time", () => {
    const result = JSON.parse(fs.readFileSync(path.join(out, 'eval-fake.json'), 'utf8'));
    assert.equal(result.analyst, 'ollama');
    assert.equal(result.model, 'fake');
    assert.equal(result.host, fake.host);
    assert.equal(result.predigest, true);
    assert.equal(result.fixtures.length, 1);
    const f = result.fixtures[0];
    assert.equal(f.fixture, 'checkout-500');
    assert.equal(f.outcome, 'report');
    assert.deepEqual(f.expected, scenario.expected);
    assert.equal(f.got.culprit, scenario.expected.culpritCommitSubject);
    assert.match(f.got.suspectCommit, /^[0-9a-f]{40}$/);
    assert.equal(f.culpritRight, true);
    assert.equal(f.categoryRight, true);
    assert.equal(f.onsetRight, true);
    assert.equal(f.onsetOffsetSeconds, 60);
    assert.equal(f.evidence, 2);
    assert.equal(f.falseCitations, 1, JSON.stringify(f.falseCitationDetails));
    assert.equal(f.falseCitationDetails[0].id, 'E2');
    assert.equal(f.falseCitationDetails[0].cited, `logs/api.log:${MADE_UP_LINE}`);
    assert.match(f.falseCitationDetails[0].why, /999999/);
    // Three tool-loop turns (two with tool calls, one text), then the report: 4 requests, 10 + 5 tokens each.
    assert.equal(f.turns, 3);
    assert.equal(f.requests, 4);
    assert.equal(f.promptTokens, 40);
    assert.equal(f.evalTokens, 20);
    assert.ok(f.firstPassToolCalls >= 3, `first pass: ${f.firstPassToolCalls} calls`);
    // The model's 3 calls, the first pass's, and the verifier's re-reads.
    assert.ok(f.toolCalls >= f.firstPassToolCalls + 3 + 2, `${f.toolCalls} calls`);
    assert.ok(f.timeMs > 0);

    assert.deepEqual(
      { fixtures: result.totals.fixtures, culpritRight: result.totals.culpritRight, categoryRight: result.totals.categoryRight, onsetRight: result.totals.onsetRight, falseCitations: result.totals.falseCitations, turns: result.totals.turns, promptTokens: result.totals.promptTokens, evalTokens: result.totals.evalTokens },
      { fixtures: 1, culpritRight: 1, categoryRight: 1, onsetRight: 1, falseCitations: 1, turns: 3, promptTokens: 40, evalTokens: 20 },
    );
    assert.equal(result.totals.timeMs, f.timeMs);
  });

  it('the model was really asked: the pre-digest in its first messages, real tool results in its later ones', () => {
    const chats = fake.chats();
    assert.equal(chats.length, 4);
    assert.match(chats[0]!.messages[2]!.content, /^A deterministic first pass/);
    assert.ok(chats[0]!.messages[2]!.content.includes(`"${scenario.expected.culpritCommitSubject}"`));
    assert.match(chats[2]!.messages.filter((m) => m.role === 'tool').pop()!.content, /timeout acquiring connection/);
  });

  it('the same table for the built-in analyst, without model columns', () => {
    const result = JSON.parse(fs.readFileSync(path.join(out, 'eval-builtin.json'), 'utf8'));
    assert.equal(result.analyst, 'builtin');
    const f = result.fixtures[0];
    assert.equal(f.outcome, 'report');
    for (const key of ['culpritRight', 'categoryRight', 'onsetRight', 'falseCitations', 'toolCalls', 'timeMs']) assert.ok(key in f, key);
    assert.equal(f.turns, null);
    assert.equal(f.promptTokens, null);
    assert.equal(result.totals.turns, null);
  });

  it('prints both tables with a total row and says what the miss was', () => {
    assert.match(run.stdout, /^built-in analyst$/m);
    assert.match(run.stdout, /^ollama fake at http:\/\/127\.0\.0\.1:\d+, with the pre-digest$/m);
    assert.match(run.stdout, /fixture\s+culprit\s+category\s+onset\s+false cit\.\s+turns\s+tokens p\/e\s+calls\s+time/);
    assert.match(run.stdout, /^checkout-500\s+✓\s+✓\s+✓\s+1\/2\s+3\s+40\/20\s+\d+\s+[\d.]+ s$/m);
    assert.match(run.stdout, /^total \(1\)\s+1\/1\s+1\/1\s+1\/1\s+1\/2\s+3\s+40\/20/m);
    assert.match(run.stdout, /checkout-500: false citation E2 \(log logs\/api\.log:999999\)/);
  });
});

describe('eval harness options', function () {
  this.timeout(120_000);
  let out: string;
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-eval-test-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('--analyst ollama --no-predigest: only the model, starting from the incident alone, in its own file', async () => {
    const fake = await FakeOllama.start((body) => script(body));
    try {
      const run = await runEval(['--ollama-host', fake.host, '--model', 'qwen2.5:7b', '--analyst', 'ollama', '--no-predigest', '--fixtures', 'checkout-500', '--out', out]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(fs.readdirSync(out), ['eval-qwen2.5_7b-no-predigest.json']);
      const result = JSON.parse(fs.readFileSync(path.join(out, 'eval-qwen2.5_7b-no-predigest.json'), 'utf8'));
      assert.equal(result.predigest, false);
      const f = result.fixtures[0];
      assert.equal(f.firstPassToolCalls, null);
      assert.equal(f.culpritRight, false, 'without the digest this script has no culprit to name');
      assert.equal(f.falseCitations, 1);
      assert.deepEqual(fake.chats()[0]!.messages.map((m) => m.role), ['system', 'user']);
    } finally {
      await fake.close();
    }
  });

  it('an unreachable Ollama stops the evaluation with the fix, writing nothing for the model', async () => {
    const run = await runEval(['--ollama-host', 'http://127.0.0.1:9', '--model', 'fake', '--analyst', 'ollama', '--fixtures', 'checkout-500', '--out', out]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Ollama is not reachable at http:\/\/127\.0\.0\.1:9\.\n {2}fix: .*ollama serve/);
    assert.deepEqual(fs.readdirSync(out), []);
  });

  it('bad usage exits 2 with the usage', async () => {
    for (const args of [['--analyst', 'ollama'], ['--model', 'x', '--fixtures', 'no-such-fixture'], ['--model', 'x', '--frobnicate']]) {
      const run = await runEval([...args, '--out', out]);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /usage: npm run eval/);
    }
  });
});
