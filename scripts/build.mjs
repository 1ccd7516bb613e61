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
};

const servers = ['logs', 'git', 'metrics'];

await Promise.all([
  ...servers.map((name) =>
    build({ ...common, entryPoints: [`mcp-servers/${name}/index.ts`], outfile: `dist/servers/${name}.js` }),
  ),
  // Regex searches run in a worker so that a catastrophic pattern can be stopped (see logs/search).
  build({ ...common, entryPoints: ['mcp-servers/logs/regexWorker.ts'], outfile: 'dist/servers/logs-regex-worker.js' }),
]);
