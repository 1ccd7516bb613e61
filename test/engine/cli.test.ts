import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTranscript, TranscriptWriter } from '../../src/engine/analysis/transcript';
import { fixturesDir, repoRoot } from '../support/servers';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const checkout = path.join(fixturesDir, 'checkout-500');

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 60_000 });
}

describe('incident-analyzer CLI', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('analyses a fixture: progress on stderr, the cited report on stdout, JSON, Markdown and transcript files, exit 0', () => {
    const json = path.join(tmp, 'report.json');
    const markdown = path.join(tmp, 'report.md');
    const transcript = path.join(tmp, 'run.jsonl');
    const result = run(['analyze', '500 errors on checkout API', '--workspace', checkout, '--repo', path.join(checkout, 'repo'), '--json', json, '--markdown', markdown, '--transcript', transcript]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^\[1\/6\] Starting 3 MCP servers…$/m);
    assert.match(result.stderr, /^ {6}→ metrics\.get_error_rates \(\d+ ms\)$/m);
    assert.match(result.stderr, /^\[6\/6\] Verifying \d+ citations through the servers…$/m);
    assert.match(result.stderr, /^Tool calls: logs \d+ calls.*git \d+ calls.*metrics \d+ calls/m);
    assert.match(result.stdout, /^# Incident: 500 errors on checkout API$/m);
    assert.match(result.stdout, /Suspect commit: `2b8306b` Align production DB pool with pgbouncer limits/);
    assert.doesNotMatch(result.stdout, /unverified/);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.equal(report.rootCause.suspectCommit, '2b8306bc963cc8d5f65bdf8897bbb85136907c80');
    assert.equal(fs.readFileSync(markdown, 'utf8'), result.stdout.trimStart());
    const events = readTranscript(transcript);
    assert.equal(events[0]!.type, 'run_started');
    assert.equal(events.at(-1)!.type, 'report');
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} mid-run ends the run cleanly: the transcript closes with a cancelled event`, async () => {
      const transcript = path.join(tmp, `${signal}.jsonl`);
      fs.writeFileSync(transcript, '{"type":"note","message":"an earlier run killed mid-wri'); // a torn last line
      const child = spawn(process.execPath, [cli, 'analyze', 'checkout 500s', '--workspace', checkout, '--repo', path.join(checkout, 'repo'), '--transcript', transcript], { cwd: repoRoot, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      for (let i = 0; i < 500 && !fs.readFileSync(transcript, 'utf8').includes('"tool_call_started"'); i++) await new Promise((r) => setTimeout(r, 10));
      child.kill(signal);
      assert.equal(await exited, 1);
      const events = readTranscript(transcript);
      assert.equal(events[0]!.type, 'run_started', "the torn line does not swallow this run's first event");
      const last = events.at(-1)!;
      assert.equal(last.type, 'cancelled');
      assert.match((last as { reason: string }).reason, new RegExp(signal));
    });
  }

  it('a transcript appended after a torn line keeps every new event', () => {
    const file = path.join(tmp, 'torn.jsonl');
    fs.writeFileSync(file, '{"type":"note","seq":1}\n{"type":"no');
    const writer = new TranscriptWriter(file);
    writer.append({ type: 'note', message: 'next run', seq: 1, at: '2026-01-01T00:00:00Z' });
    writer.close();
    assert.deepEqual(readTranscript(file).map((e) => (e as { message?: string }).message), [undefined, 'next run']);
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ['no incident text', ['analyze'], /say what the incident is/],
    ['an unknown option', ['analyze', 'x', '--frobnicate'], /unknown option '--frobnicate'/],
    ['a missing workspace', ['analyze', 'x', '--workspace', '/no/such/dir'], /is not a folder/],
    ['a missing metrics file', ['analyze', 'x', '--workspace', checkout, '--metrics', 'nope.json'], /--metrics .*nope\.json does not exist/],
    ['an unknown analyst', ['analyze', 'x', '--analyst', 'oracle'], /--analyst must be/],
    ['ollama without a model', ['analyze', 'x', '--analyst', 'ollama'], /needs --model/],
    ['a bad number', ['analyze', 'x', '--max-turns', 'lots'], /positive whole number/],
    ['an unknown command', ['explain', 'x'], /unknown command 'explain'/],
    ['no command at all', [], /Usage: incident-analyzer \[options\] \[command\]/],
    ['an incident subcommand without its arguments', ['incident', 'show'], /missing required argument 'id'/],
    ['an unknown severity', ['incident', 'create', '--title', 't', '--severity', 'SEV9', '--service', 's', '--summary', 's'], /Allowed choices are SEV1, SEV2, SEV3, SEV4/],
    ['a parameter that is not NAME=VALUE', ['incident', 'run', 'INC-1', 'step', '--param', 'oops'], /--param "oops" is not NAME=VALUE/],
    ['a Prometheus address that is not a URL', ['analyze', 'x', '--prometheus', 'prom:9090'], /--prometheus "prom:9090" (is not a URL|must be an http)/],
    ['credentials in a Loki URL', ['analyze', 'x', '--loki', 'http://me:secret@loki:3100'], /must not carry credentials in the URL/],
    ['both a metrics file and Prometheus', ['analyze', 'x', '--metrics', 'm.json', '--prometheus', 'http://127.0.0.1:9090'], /not both/],
    ['both log files and Loki', ['analyze', 'x', '--logs', 'logs', '--loki', 'http://127.0.0.1:3100'], /not both/],
    ['a Loki selector without Loki', ['analyze', 'x', '--loki-selector', '{app="a"}'], /--loki-selector needs --loki/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with a message on ${what}`, () => {
      const result = run(args);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Usage: incident-analyzer/, 'the usage follows the error');
    });
  }

  it('--help on every command, and --version, exit 0', () => {
    const version = run(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
    for (const command of [[], ['analyze'], ['incident'], ['incident', 'list'], ['incident', 'run'], ['incident', 'postmortem']]) {
      const help = run([...command, '--help']);
      assert.equal(help.status, 0, `${command.join(' ')} --help: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`Usage: incident-analyzer ${command.join(' ')}`));
    }
  });

  it('exits 2 on a broken --config, naming the file and the problem', () => {
    const config = path.join(tmp, 'mcp.json');
    fs.writeFileSync(config, '{ "servers": { "extra": { "type": "stdio" } } }');
    const result = run(['analyze', 'x', '--workspace', checkout, '--config', config]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /server "extra" is not a valid definition/);
  });

  it('falls back to the built-in analyst when Ollama is unreachable (auto), and fails with the fix when insisted on', () => {
    const common = ['analyze', 'pool errors', '--workspace', checkout, '--repo', path.join(checkout, 'repo'), '--model', 'qwen2.5', '--ollama-host', 'http://127.0.0.1:9'];
    const auto = run(common);
    assert.equal(auto.status, 0, auto.stderr);
    assert.match(auto.stderr, /not reachable/);
    assert.match(auto.stderr, /Running the built-in analyst instead/);
    assert.match(auto.stdout, /Analyst: built-in/);
    const insisted = run([...common, '--analyst', 'ollama']);
    assert.equal(insisted.status, 1);
    assert.match(insisted.stderr, /fix: /);
  });
});
