// The extension-host suite's entry: what @vscode/test-electron's runTests (extensionTestsPath) and code-server's
// test payload both load. Runs every bundled *.ext.js suite in order with mocha and prints "N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';

export function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('mocha');
  const Mocha = loaded.default ?? loaded.Mocha ?? loaded;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.ext.js')).sort()) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      const summary = `${runner.stats?.passes ?? 0} passed, ${failures} failed`;
      console.log(summary);
      const resultFile = process.env.TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ passes: runner.stats?.passes ?? 0, failures }));
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed.`));
      else resolve();
    });
  });
}
