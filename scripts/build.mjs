// Bundles each process of the product into one file under dist/ (type checking is `npm run typecheck`).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  // Prefer ES modules: some packages (jsonc-parser) ship a UMD main that bundlers cannot follow.
  mainFields: ['module', 'main'],
};

const bundles = {
  logs: { entryPoints: ['mcp-servers/logs/index.ts'], outfile: 'dist/servers/logs.js' },
  git: { entryPoints: ['mcp-servers/git/index.ts'], outfile: 'dist/servers/git.js' },
  metrics: { entryPoints: ['mcp-servers/metrics/index.ts'], outfile: 'dist/servers/metrics.js' },
  // pg can use an optional native binding; the pure JavaScript client is the one bundled.
  incidents: { entryPoints: ['mcp-servers/incidents/index.ts'], outfile: 'dist/servers/incidents.js', external: ['pg-native'] },
  cli: { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The extension runs in VS Code's extension host, which provides the `vscode` module.
  // The banner marks when VS Code started evaluating the bundle, so activation can report its load time too.
  // Activation loads only the command forwarders (dist/extension.js); the controller (views, panel, incidents)
  // is its own bundle, required just after, and the engine (MCP SDK, zod, Ollama client) another, after that.
  extension: {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', './controller.js'],
    banner: { js: 'globalThis.__incidentAnalyzerLoadStart=performance.now();' },
  },
  controller: { entryPoints: ['src/extension/controller.ts'], outfile: 'dist/controller.js', external: ['vscode', './engine.js'] },
  engine: { entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js', external: ['vscode'] },
  // The report panel's script runs in the webview: a browser, no Node.
  webview: { entryPoints: ['media/panel.ts'], outfile: 'dist/webview/panel.js', platform: 'browser', format: 'iife', target: 'es2022', mainFields: ['browser', 'module', 'main'] },
};

// `node scripts/build.mjs git metrics` builds only those; no names builds everything.
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in bundles)) {
    console.error(`unknown bundle "${name}"; known: ${Object.keys(bundles).join(', ')}`);
    process.exit(2);
  }
}
const names = wanted.length ? wanted : Object.keys(bundles);
await Promise.all(names.map((name) => build({ ...common, ...bundles[name] })));
