// Shared by the VS Code suites: a fixture workspace, code-server (a real VS Code workbench with a Node extension
// host) started in its own process group with all state under one run folder, and Debian's Chromium.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const EXTENSION_ID = 'incident-analyzer.incident-analyzer';

/** A VS Code the suites run on: a code-server release installed by setup.sh into .vscode-test/code-server-VERSION. */
export interface VsCodeTarget {
  name: 'old' | 'current';
  codeServer: string;
  /** VS Code's major.minor, used to name the run and screenshot folders. */
  vscode: string;
  bin: string;
  /**
   * A built VS Code 1.139 ignores the extension-test payload unless `developmentOptions.enableSmokeTestDriver` is set,
   * and code-server's CLI rejects that flag: the page's workbench configuration gets it through an init script.
   */
  needsSmokeTestDriver: boolean;
}

const csDir = (version: string) => path.join(ROOT, '.vscode-test', `code-server-${version}`);
export const VSCODE_TARGETS: Record<VsCodeTarget['name'], VsCodeTarget> = {
  // The oldest we test, the newest code-server on Node 20: its own .bin entry runs on the system Node.
  old: { name: 'old', codeServer: '4.100.3', vscode: '1.100', bin: path.join(csDir('4.100.3'), 'node_modules', '.bin', 'code-server'), needsSmokeTestDriver: false },
  // The current VS Code, on Node 24: setup.sh writes a wrapper that runs it with that Node.
  current: { name: 'current', codeServer: '4.139.1', vscode: '1.139', bin: path.join(csDir('4.139.1'), 'bin', 'code-server'), needsSmokeTestDriver: true },
};

/** `old` | `current`, or either one's VS Code (1.100, 1.139) or code-server (4.100.3, 4.139.1) version. */
export function vscodeTarget(spec: string): VsCodeTarget {
  const found = Object.values(VSCODE_TARGETS).find((t) => [t.name, t.vscode, t.codeServer].includes(spec));
  if (!found) throw new Error(`unknown VS Code version "${spec}": use old (1.100, 4.100.3) or current (1.139, 4.139.1)`);
  return found;
}

/** The version this process tests: VSCODE_VERSION, default old. */
export const TARGET = vscodeTarget(process.env.VSCODE_VERSION || 'old');
export const CS_VERSION = TARGET.codeServer;
export const CS_BIN = TARGET.bin;

/** Where a suite keeps its run state for this version: .vscode-test/runs/<vscode>/<suite>. */
export function runDirFor(suite: string): string {
  return path.join(ROOT, '.vscode-test', 'runs', TARGET.vscode, suite);
}

/**
 * A folder like a user's: the fixture's git repository as the workspace, with its logs, metrics.json and
 * deployments.json beside the code (untracked), so the defaults find everything with no settings.
 */
export function makeFixtureWorkspace(scenario: string, dest: string): string {
  const fixture = path.join(ROOT, 'fixtures', scenario);
  if (!fs.existsSync(path.join(fixture, 'repo'))) throw new Error(`no ${scenario}/repo: run "npm run fixtures" first`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  execFileSync('git', ['clone', '--quiet', path.join(fixture, 'repo'), dest]);
  fs.cpSync(path.join(fixture, 'logs'), path.join(dest, 'logs'), { recursive: true });
  for (const file of ['metrics.json', 'deployments.json']) {
    if (fs.existsSync(path.join(fixture, file))) fs.copyFileSync(path.join(fixture, file), path.join(dest, file));
  }
  return dest;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function runEnv(runDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TMPDIR: path.join(runDir, 'tmp'),
    XDG_CONFIG_HOME: path.join(runDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(runDir, 'xdg', 'state'),
    ...extra,
  };
}

export function prepareRunDir(runDir: string, userSettings: Record<string, unknown> = {}): void {
  fs.rmSync(runDir, { recursive: true, force: true });
  for (const d of ['ud/User', 'exts', 'tmp', 'xdg']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(
    path.join(runDir, 'ud', 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      // VS Code 1.139 opens an (empty, with AI features off) secondary side bar for Chat by default: keep it closed.
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'security.workspace.trust.enabled': false,
      ...userSettings,
    }),
  );
}

export function installVsix(runDir: string, vsix: string): void {
  execFileSync(CS_BIN, ['--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts'), '--install-extension', vsix], {
    env: runEnv(runDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Packages test/vscode/lm-test-vendor into the run folder and returns the .vsix: the tests-only extension that
 * declares the chat model vendors the suites register scripted models for (VS Code accepts a provider only for a
 * vendor some extension declares), so the shipped package.json declares none.
 */
export function packageTestVendor(runDir: string): string {
  const vsix = path.join(runDir, 'lm-test-vendor.vsix');
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], {
    cwd: path.join(ROOT, 'test', 'vscode', 'lm-test-vendor'),
    stdio: 'ignore',
  });
  return vsix;
}

/** Starts code-server on a free port; resolves once /healthz answers. */
export interface CodeServer {
  origin: string;
  port: number;
  stop(): Promise<void>;
}

export async function startCodeServer({ runDir, folder, env = {} }: { runDir: string; folder: string; env?: Record<string, string> }): Promise<CodeServer> {
  if (!fs.existsSync(CS_BIN)) throw new Error(`code-server ${CS_VERSION} is not installed: run "bash test/vscode/setup.sh ${TARGET.name}"`);
  const port = await freePort();
  const log = fs.openSync(path.join(runDir, 'code-server.log'), 'a');
  const child = spawn(
    CS_BIN,
    [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override',
      '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts'), folder,
    ],
    { detached: true, stdio: ['ignore', log, log], env: runEnv(runDir, env) },
  );
  const origin = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  const stop = () =>
    new Promise<void>((resolve) => {
      try {
        process.kill(-pid, 'SIGTERM'); // the whole group: a file watcher child outlives the wrapper otherwise
      } catch {
        return resolve();
      }
      const deadline = Date.now() + 5000;
      const poll = setInterval(() => {
        try {
          process.kill(-pid, 0);
          if (Date.now() > deadline) process.kill(-pid, 'SIGKILL');
        } catch {
          clearInterval(poll);
          resolve();
        }
      }, 100);
    });
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return { origin, port, stop };
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`code-server did not come up; see ${path.join(runDir, 'code-server.log')}`);
}

export async function launchBrowser(viewport = { width: 1500, height: 950 }): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ia-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/**
 * Runs in the page before the workbench starts (a Playwright init script): sets developmentOptions.enableSmokeTestDriver
 * in the workbench configuration <meta> that code-server serves, which a built VS Code 1.139 requires before it
 * honours extensionDevelopmentPath/extensionTestsPath in the payload. (Rewriting the HTML with page.route instead
 * breaks the workbench's WebSockets.) A string, so that no transpiler helper ends up in code that runs in the page.
 */
const enableSmokeTestDriver = `(() => {
  if (window !== window.top) return;
  const patch = () => {
    const el = document.getElementById('vscode-workbench-web-configuration');
    const settings = el && el.getAttribute('data-settings');
    if (!settings) return false;
    const config = JSON.parse(settings);
    config.developmentOptions = Object.assign({}, config.developmentOptions, { enableSmokeTestDriver: true });
    el.setAttribute('data-settings', JSON.stringify(config));
    window.__iaSmokeTestDriver = true;
    return true;
  };
  if (patch()) return;
  new MutationObserver((_, observer) => { if (patch()) observer.disconnect(); }).observe(document, { childList: true, subtree: true });
})();`;

/**
 * Loads the workbench with our extension in development mode and runs `testsEntry` (a module exporting run())
 * in its extension host; resolves with the host's exit code, or 'timeout'. Log lines go to `onLog`.
 */
export async function runInExtensionHost(
  server: CodeServer,
  options: { folder: string; testsEntry: string; timeoutMs: number; onLog: (type: string, args: unknown[]) => void },
): Promise<unknown> {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(options.testsEntry)],
  ];
  const browser = await launchBrowser();
  try {
    let done: (exitCode: unknown) => void = () => {};
    const finished = new Promise((resolve) => (done = resolve));
    await browser.page.exposeFunction('codeAutomationLog', options.onLog);
    await browser.page.exposeFunction('codeAutomationExit', (exitCode: unknown) => done(exitCode));
    if (TARGET.needsSmokeTestDriver) await browser.page.addInitScript({ content: enableSmokeTestDriver });
    await browser.page.goto(`${server.origin}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    if (TARGET.needsSmokeTestDriver) {
      // Without the flag the workbench opens normally and the tests never start: say so now, not at the timeout.
      const patched = await browser.page
        .waitForFunction(() => (window as unknown as { __iaSmokeTestDriver?: boolean }).__iaSmokeTestDriver === true, undefined, { timeout: 30_000 })
        .then(() => true, () => false);
      if (!patched) throw new Error(`could not set developmentOptions.enableSmokeTestDriver in VS Code ${TARGET.vscode}'s workbench configuration: the test payload would be ignored`);
    }
    return await Promise.race([finished, new Promise((resolve) => setTimeout(() => resolve('timeout'), options.timeoutMs))]);
  } finally {
    await browser.close();
  }
}
