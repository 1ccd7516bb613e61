// Bundles the extension-host suite: test/extension/index.ts (mocha's entry) and each *.ext.ts on its own, so
// mocha sets its globals before each suite file runs. `vscode` and `mocha` come from the host and node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './codeServer.js';

export async function buildExtensionTests(): Promise<string> {
  const outdir = path.join(ROOT, 'out', 'test', 'extension');
  fs.rmSync(outdir, { recursive: true, force: true });
  const suites = fs.readdirSync(path.join(ROOT, 'test', 'extension')).filter((f) => f.endsWith('.ext.ts'));
  await build({
    entryPoints: ['test/extension/index.ts', ...suites.map((f) => `test/extension/${f}`)].map((e) => path.join(ROOT, e)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return path.join(outdir, 'index.js');
}
