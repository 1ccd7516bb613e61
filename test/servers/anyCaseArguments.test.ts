// Models write enum arguments in any case ("ERROR", "Message"). Every tool of every bundled server that takes an
// enum is called with its values upper-cased and must answer as it does for the lower-case values; the schema still
// lists the values. New enum arguments are found from the schemas, so they cannot be missed here.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixturesDir, startServer, structuredOf, textOf, type RunningServer } from '../support/servers';

const fixture = path.join(fixturesDir, 'checkout-500');

/** The arguments each enum-taking tool needs besides the enum. A tool missing here fails the test, on purpose. */
const BASE_ARGS: Record<string, Record<string, unknown>> = {
  search_logs: { pattern: 'pool', max_results: 5 },
  log_histogram: {},
  log_patterns: {},
  search_commits: { query: 'pool' },
};

interface JsonSchemaProperty {
  enum?: string[];
  default?: unknown;
}

describe('enum arguments in any case', function () {
  this.timeout(60_000);
  const servers: Record<string, RunningServer> = {};

  before(async () => {
    servers.logs = await startServer('logs', ['--logs', path.join(fixture, 'logs')]);
    servers.git = await startServer('git', ['--repo', path.join(fixture, 'repo'), '--deployments', path.join(fixture, 'deployments.json')]);
    servers.metrics = await startServer('metrics', ['--metrics', path.join(fixture, 'metrics.json')]);
  });
  after(async () => Promise.all(Object.values(servers).map((s) => s.close())));

  it('every enum argument accepts its values upper-cased, with the same answer, and the schema lists the values', async () => {
    const checked: string[] = [];
    for (const [name, server] of Object.entries(servers)) {
      const { tools } = await server.client.listTools();
      for (const tool of tools) {
        const properties = (tool.inputSchema.properties ?? {}) as Record<string, JsonSchemaProperty>;
        for (const [arg, schema] of Object.entries(properties)) {
          if (!schema.enum) continue;
          const base = BASE_ARGS[tool.name];
          assert.ok(base, `${name}/${tool.name} takes the enum ${arg}: add its other arguments to BASE_ARGS`);
          assert.ok(schema.enum.length >= 2, `${tool.name}.${arg} lists its values`);
          for (const value of schema.enum) {
            const lower = await server.call(tool.name, { ...base, [arg]: value });
            const upper = await server.call(tool.name, { ...base, [arg]: value.toUpperCase() });
            const label = `${tool.name} ${arg}=${value.toUpperCase()}`;
            if (lower.isError) {
              // e.g. no fatal lines at all: the same answer, not a complaint about the argument
              assert.equal(textOf(upper), textOf(lower), label);
              assert.doesNotMatch(textOf(upper), /invalid|expected/i, label);
            } else {
              assert.ok(!upper.isError, `${label}: ${textOf(upper)}`);
              assert.deepEqual(withoutTimings(structuredOf(upper)), withoutTimings(structuredOf(lower)), label);
            }
            checked.push(`${tool.name}.${arg}=${value.toUpperCase()}`);
          }
        }
      }
    }
    for (const expected of ['search_logs.level=ERROR', 'log_histogram.level=WARN', 'log_patterns.level=ERROR', 'search_commits.mode=MESSAGE']) {
      assert.ok(checked.includes(expected), `${expected} was checked (checked: ${checked.join(', ')})`);
    }
  });

  it('levels also go by the names logs use for them, and a wrong value names the choices', async () => {
    const warning = structuredOf(await servers.logs!.call('search_logs', { pattern: 'pool', level: 'Warning', max_results: 5 }));
    const warn = structuredOf(await servers.logs!.call('search_logs', { pattern: 'pool', level: 'warn', max_results: 5 }));
    assert.deepEqual(withoutTimings(warning), withoutTimings(warn));
    const wrong = await servers.logs!.call('search_logs', { pattern: 'pool', level: 'loud' });
    assert.equal(wrong.isError, true);
    assert.match(textOf(wrong), /trace.*debug.*info.*warn.*error.*fatal/s);
  });
});

/** Answers carry how long they took; the rest must match. */
function withoutTimings(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (/_ms$|Ms$|elapsed/i.test(key) ? undefined : v)));
}
