// The extension's figures: bundle sizes and the .vsix; activation time inside a real VS Code (code-server's
// extension host), against activating a minimal extension in the same host, and the engine's load just after; and the report panel streaming a
// run of 500 tool calls in Chromium, frame by frame, against the same page idle.
// Usage: bash test/vscode/setup.sh && npm run package && npx tsx bench/extension.ts
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { median, writeResult } from './support.js';

const ACTIVATION_RUNS = 5;
import { ROOT, installVsix, launchBrowser, makeFixtureWorkspace, prepareRunDir, runInExtensionHost, startCodeServer } from '../test/vscode/codeServer.js';

const kb = (file: string) => Math.round(fs.statSync(path.join(ROOT, file)).size / 1024);

function sizes(): Record<string, number> {
  return {
    extensionKB: kb('dist/extension.js'),
    controllerKB: kb('dist/controller.js'),
    engineKB: kb('dist/engine.js'),
    webviewKB: kb('dist/webview/panel.js'),
    logsServerKB: kb('dist/servers/logs.js'),
    gitServerKB: kb('dist/servers/git.js'),
    metricsServerKB: kb('dist/servers/metrics.js'),
    vsixKB: kb('dist/incident-analyzer.vsix'),
  };
}

/**
 * Activation in code-server: a test entry activates a minimal extension, then ours, and writes the times. The
 * host is busy with its own start-up, which makes single figures noisy: each is the median of RUNS fresh hosts.
 */
async function activation(): Promise<Record<string, number | number[]>> {
  const runs: Array<Record<string, number>> = [];
  for (let i = 0; i < ACTIVATION_RUNS; i++) runs.push(await activationOnce());
  const mid = (key: string) => median(runs.map((r) => r[key]!));
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    hosts: ACTIVATION_RUNS,
    activatePromiseMs: r(mid('ourMs')),
    minimalExtensionActivatePromiseMs: r(mid('minimalMs')),
    ownBundleLoadMs: r(mid('loadMs')),
    ownActivateMs: r(mid('insideActivateMs')),
    ownTotalMs: r(mid('ownMs')),
    controllerLoadAfterActivationMs: r(mid('controllerMs')),
    engineLoadAfterActivationMs: r(mid('engineMs')),
    ownTotalMsEachHost: runs.map((x) => r(x.ownMs!)),
  };
}

async function activationOnce(): Promise<Record<string, number>> {
  const runDir = path.join(ROOT, '.vscode-test', 'runs', 'bench-activation');
  prepareRunDir(runDir);
  for (const name of ['warmup', 'minimal']) {
    const dir = path.join(runDir, `${name}-extension`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, publisher: 'bench', version: '0.0.0', engines: { vscode: '^1.95.0' }, main: './extension.js', activationEvents: [] }));
    fs.writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = () => ({});\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'A do-nothing extension: the activation baseline.\n');
    fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
    const vsix = path.join(runDir, `${name}.vsix`);
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--out', vsix], { cwd: dir, stdio: 'ignore' });
    installVsix(runDir, vsix);
  }
  const entry = path.join(runDir, 'measure.js');
  const resultFile = path.join(runDir, 'activation.json');
  await build({
    stdin: {
      contents: `
        const vscode = require('vscode');
        const fs = require('fs');
        exports.run = async () => {
          const time = async (id) => { const t = performance.now(); await vscode.extensions.getExtension(id).activate(); return performance.now() - t; };
          await time('bench.warmup'); // the host's first activation pays one-off costs
          const minimalMs = await time('bench.minimal');
          const ourMs = await time('incident-analyzer.incident-analyzer');
          const api = vscode.extensions.getExtension('incident-analyzer.incident-analyzer').exports;
          await new Promise((resolve) => setTimeout(resolve, 0)); // the controller loads in the task after activation
          await api.controller.configured; // then the engine loads and the servers start
          fs.writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ minimalMs, ourMs, loadMs: api.bundleLoadMs, insideActivateMs: api.activationMs, controllerMs: api.controllerLoadMs, engineMs: api.controller.engineLoadMs }));
        };`,
      resolveDir: runDir,
    },
    outfile: entry,
    platform: 'node',
    format: 'cjs',
    bundle: true,
    external: ['vscode'],
    logLevel: 'warning',
  });
  const workspace = makeFixtureWorkspace('checkout-500', path.join(runDir, 'workspace'));
  const server = await startCodeServer({ runDir, folder: workspace });
  try {
    await runInExtensionHost(server, {
      folder: workspace,
      testsEntry: entry,
      timeoutMs: 120_000,
      onLog: (type, args) => {
        if (type === 'error') console.log('[extension host]', ...args);
      },
    });
  } finally {
    await server.stop();
  }
  const times = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Record<string, number>;
  return { ...times, ownMs: times.loadMs! + times.insideActivateMs! };
}

/** The panel script in Chromium with a stand-in for VS Code's webview API, fed a 500-call run as the extension sends it. */
async function webviewStreaming(): Promise<Record<string, number>> {
  const page = (await launchBrowser({ width: 900, height: 900 })).page;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-webview-'));
  fs.copyFileSync(path.join(ROOT, 'dist', 'webview', 'panel.js'), path.join(dir, 'panel.js'));
  fs.copyFileSync(path.join(ROOT, 'media', 'panel.css'), path.join(dir, 'panel.css'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><link rel="stylesheet" href="panel.css"></head><body><main id="app"></main>
     <script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script>
     <script src="panel.js"></script></body></html>`,
  );
  await page.goto(`file://${dir}/index.html`);
  // Given as source text: the test runner's transpiler would add helpers the page does not have.
  const measure = (streamCalls: number) =>
    page.evaluate(`(async (calls) => {
      const frames = [];
      let last = performance.now();
      let running = true;
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const at = () => new Date().toISOString();
      const post = (data) => window.postMessage(data, '*');
      post({ type: 'load', run: { runId: \`r\${calls}\`, incident: 'bench', startedAt: at() }, events: [{ type: 'run_started', runId: \`r\${calls}\`, incident: 'bench', analyst: 'ollama', model: 'm', seq: 1, at: at() }] });
      let seq = 1;
      // as the extension does: a message per 16 ms with what happened in between (here: 4 calls each)
      for (let i = 0; i < calls; i += 4) {
        const events = [];
        for (let k = i; k < Math.min(calls, i + 4); k++) {
          events.push({ type: 'tool_call_started', callId: \`c\${k}\`, server: 'logs', tool: 'search_logs', arguments: { pattern: \`needle \${k}\`, max_results: 50 }, seq: ++seq, at: at() });
          events.push({ type: 'tool_call_finished', callId: \`c\${k}\`, server: 'logs', tool: 'search_logs', durationMs: 12, isError: false, summary: \`\${k}: 3 matches\\napi.log:\${k}: ERROR timeout\\napi.log:\${k + 1}: ERROR timeout\`, seq: ++seq, at: at() });
          events.push({ type: 'llm_text', text: 'checking the next window… ', seq: ++seq, at: at() });
        }
        post({ type: 'events', runId: \`r\${calls}\`, events });
        await new Promise((r) => setTimeout(r, 16));
      }
      await new Promise((r) => setTimeout(r, 500)); // let the last frames drain
      running = false;
      const cards = document.querySelectorAll('.call').length;
      return { frames: frames.slice(1), cards };
    })(${streamCalls})`) as Promise<{ frames: number[]; cards: number }>;
  const idle = await measure(0);
  const busy = await measure(500);
  await page.context().close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (busy.cards !== 500) throw new Error(`the panel shows ${busy.cards} cards, not 500`);
  const max = (xs: number[]) => Math.round(Math.max(...xs) * 10) / 10;
  const p99 = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]! * 10) / 10;
  return {
    cards: busy.cards,
    framesWhileStreaming: busy.frames.length,
    maxFrameMs: max(busy.frames),
    p99FrameMs: p99(busy.frames),
    framesOver50Ms: busy.frames.filter((f) => f > 50).length,
    idleMaxFrameMs: max(idle.frames),
  };
}

async function main(): Promise<void> {
  writeResult('extension', {
    sizes: sizes(),
    activation: await activation(),
    webview500Calls: await webviewStreaming(),
  });
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
