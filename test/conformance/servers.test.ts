// The MCP conformance suite's server scenarios against each bundled server in service mode. Those that do not
// apply are listed with the reason in server-not-applicable.yml; the runner fails on any other failure.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startHttpServer, type HttpServerProcess } from '../support/httpServers';
import { fixturesDir, repoRoot } from '../support/servers';

const run = promisify(execFile);
const conformance = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const scenario = path.join(fixturesDir, 'checkout-500');

/** The scenarios that say something about these servers; each must pass on every server. */
const MUST_PASS = ['server-initialize', 'ping', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection'];

const SERVERS: Array<[name: 'logs' | 'git' | 'metrics', args: string[]]> = [
  ['logs', ['--logs', path.join(scenario, 'logs')]],
  ['git', ['--repo', path.join(scenario, 'repo')]],
  ['metrics', ['--metrics', path.join(scenario, 'metrics.json')]],
];

describe('MCP conformance: server scenarios', function () {
  this.timeout(120_000);
  for (const [name, args] of SERVERS) {
    it(`the ${name} server passes every scenario that applies`, async () => {
      let server: HttpServerProcess | undefined;
      const output = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
      try {
        server = await startHttpServer(name, args);
        // The DNS-rebinding scenario needs a localhost URL (it sends Host: localhost:PORT as the valid case).
        const url = `http://localhost:${server.port}/mcp`;
        const result = await run(
          process.execPath,
          [conformance, 'server', '--url', url, '--suite', 'all', '--expected-failures', path.join(__dirname, 'server-not-applicable.yml'), '-o', output],
          { maxBuffer: 16 * 1024 * 1024 },
        ).catch((err: { code?: number; stdout?: string; stderr?: string }) => err);
        const stdout = result.stdout ?? '';
        const summary = stdout.slice(stdout.indexOf('=== SUMMARY ==='));
        assert.ok(!('code' in result) || result.code === 0, `unexpected conformance results for ${name}:\n${summary}\n${result.stderr ?? ''}`);
        for (const scenarioName of MUST_PASS) {
          assert.match(summary, new RegExp(`✓ ${scenarioName}: \\d+ passed, 0 failed`), `${scenarioName} on ${name}`);
        }
      } finally {
        await server?.stop();
        fs.rmSync(output, { recursive: true, force: true });
      }
    });
  }
});
