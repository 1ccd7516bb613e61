// `npm run test:vscode`: the extension-host suite and the UI suite on each VS Code in turn, the oldest first
// (code-server 4.100.3 = VS Code 1.100, then 4.139.1 = VS Code 1.139). Every suite runs even when an earlier one
// failed; the exit code is 1 if any failed. Each suite is its own process with VSCODE_VERSION set, starts one
// code-server and writes under .vscode-test/runs/<vscode>/; the UI screenshots go to test-artifacts/ui/<vscode>/.
// Usage: tsx test/vscode/run-all.ts [old|current ...]   (default: old current)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, vscodeTarget, type VsCodeTarget } from './codeServer.js';

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const SUITES: Array<{ name: string; command: string[] }> = [
  { name: 'extension host', command: [bin('tsx'), 'test/vscode/run-extension-tests.ts'] },
  { name: 'UI', command: [bin('mocha'), '--config', 'test/ui/mocharc.cjs'] },
];

interface Outcome {
  target: VsCodeTarget;
  suite: string;
  ok: boolean;
  seconds: number;
}

function runSuite(target: VsCodeTarget, suite: (typeof SUITES)[number]): Outcome {
  console.log(`\n=== ${suite.name} suite on code-server ${target.codeServer} (VS Code ${target.vscode})`);
  const t0 = Date.now();
  const [command, ...args] = suite.command;
  const result = spawnSync(command!, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, VSCODE_VERSION: target.name } });
  const seconds = (Date.now() - t0) / 1000;
  if (result.error) console.error(`could not run ${suite.command.join(' ')}: ${result.error.message}`);
  return { target, suite: suite.name, ok: result.status === 0, seconds };
}

const targets = (process.argv.length > 2 ? process.argv.slice(2) : ['old', 'current']).map(vscodeTarget);
const outcomes = targets.flatMap((target) => SUITES.map((suite) => runSuite(target, suite)));

console.log('\n=== VS Code suites');
for (const o of outcomes) {
  console.log(`${o.ok ? 'pass' : 'FAIL'}  VS Code ${o.target.vscode} (code-server ${o.target.codeServer})  ${o.suite.padEnd(14)} ${o.seconds.toFixed(1)} s`);
}
const failed = outcomes.filter((o) => !o.ok).length;
console.log(`${outcomes.length - failed} suites passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
