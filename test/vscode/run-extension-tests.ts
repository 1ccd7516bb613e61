// Runs the extension-host suite (test/extension) inside code-server's Node extension host: the same entry
// @vscode/test-electron's runTests takes, loaded through the workbench URL's payload. Exits with mocha's result.
// VSCODE_VERSION picks the VS Code: old (1.100, the default) or current (1.139); test/vscode/run-all.ts runs both.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { TARGET, installVsix, makeFixtureWorkspace, packageTestVendor, prepareRunDir, runDirFor, runInExtensionHost, startCodeServer } from './codeServer.js';
import { buildExtensionTests } from './buildTests.js';

const TIMEOUT_MS = 10 * 60_000;
const runDir = runDirFor('extension-tests');
const t0 = Date.now();
const lap = (m: string) => console.log(`[ext-tests ${TARGET.vscode} ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

async function main(): Promise<number> {
  const testsEntry = await buildExtensionTests();
  prepareRunDir(runDir);
  installTestVendor();
  const workspace = makeFixtureWorkspace('checkout-500', path.join(runDir, 'workspace'));
  const resultFile = path.join(runDir, 'result.json');
  const server = await startCodeServer({ runDir, folder: workspace, env: { INCIDENT_TEST_WORKSPACE: workspace, TEST_RESULT_FILE: resultFile } });
  lap(`code-server ${TARGET.codeServer} (VS Code ${TARGET.vscode}) up at ${server.origin}`);

  let code: unknown = 1;
  try {
    const result = await runInExtensionHost(server, {
      folder: workspace,
      testsEntry,
      timeoutMs: TIMEOUT_MS,
      onLog: (type, args) => console.log((type === 'info' || type === 'log' ? '' : `[${type}] `) + util.format(...args)),
    });
    if (result === 'timeout') console.log(`the extension-host suite did not finish within ${TIMEOUT_MS / 60_000} minutes`);
    else code = result;
    if (fs.existsSync(resultFile)) lap(`result file: ${fs.readFileSync(resultFile, 'utf8')}`);
  } finally {
    await server.stop();
  }
  lap(`exit code ${code}`);
  return code === 0 ? 0 : 1;
}

/**
 * The chat model vendor the vscode-lm suite registers its scripted model for, installed into this run's VS Code.
 * (A second extensionDevelopmentPath in the payload is dropped: only the last one loads.)
 */
function installTestVendor(): void {
  installVsix(runDir, packageTestVendor(runDir));
  lap('installed the test chat model vendor (test/vscode/lm-test-vendor)');
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
