// Shared by the VS Code suites: a fixture workspace, code-server (a real VS Code workbench with a Node extension
// host) started in its own process group with all state under one run folder, and Debian's Chromium.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const CS_VERSION = '4.100.3';
export const CS_BIN = path.join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server');
export const EXTENSION_ID = 'incident-analyzer.incident-analyzer';

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

/** Starts code-server on a free port; resolves once /healthz answers. */
export interface CodeServer {
  origin: string;
  port: number;
  stop(): Promise<void>;
}

export async function startCodeServer({ runDir, folder, env = {} }: { runDir: string; folder: string; env?: Record<string, string> }): Promise<CodeServer> {
  if (!fs.existsSync(CS_BIN)) throw new Error(`code-server is not installed: run "bash test/vscode/setup.sh"`);
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
    await browser.page.goto(`${server.origin}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    return await Promise.race([finished, new Promise((resolve) => setTimeout(() => resolve('timeout'), options.timeoutMs))]);
  } finally {
    await browser.close();
  }
}
