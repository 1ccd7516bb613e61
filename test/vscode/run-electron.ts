// The same extension-host suite through @vscode/test-electron, for machines that can download VS Code (it fetches
// a VS Code build at run time). Here, with no internet, use test/vscode/run-extension-tests.ts (code-server).
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtensionTests } from './buildTests.js';
import { ROOT, makeFixtureWorkspace } from './codeServer.js';

async function main(): Promise<void> {
  const extensionTestsPath = await buildExtensionTests();
  const workspace = makeFixtureWorkspace('checkout-500', path.join(ROOT, '.vscode-test', 'runs', 'electron', 'workspace'));
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { INCIDENT_TEST_WORKSPACE: workspace },
  });
}

main().catch((err) => {
  console.error(`The extension-host suite failed or could not start: ${(err as Error).message ?? err}`);
  process.exit(1);
});
