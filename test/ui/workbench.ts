// Driving VS Code's workbench from Playwright, as a person would: the command palette, input boxes and quick picks.
import type { FrameLocator, Page } from 'playwright-core';
import { installVsix, launchBrowser, startCodeServer } from '../vscode/codeServer.js';

export interface Workbench {
  page: Page;
  /** The report panel's content (the webview's inner frame). */
  panel: FrameLocator;
  close(): Promise<void>;
}

/**
 * code-server with the packaged extension installed (and `moreVsix`, e.g. the test chat model vendor), on `folder`,
 * open in Chromium with the workbench loaded.
 */
export async function openWorkbench(runDir: string, folder: string, vsix: string, moreVsix: string[] = []): Promise<Workbench> {
  for (const file of [vsix, ...moreVsix]) installVsix(runDir, file);
  const server = await startCodeServer({ runDir, folder });
  const browser = await launchBrowser();
  const close = async () => {
    await browser.close();
    await server.stop();
  };
  try {
    const page = browser.page;
    page.on('pageerror', (e) => console.log(`      [page error] ${e.message.slice(0, 200)}`));
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    return { page, panel: page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame'), close };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Waits for the input box or quick pick whose title is `title` (so one box's Enter never reaches the next). */
async function waitForTitle(page: Page, title: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Types into the input box titled `title` and presses Enter. */
export async function answerInput(page: Page, title: string, text: string): Promise<void> {
  await waitForTitle(page, title);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Presses Enter on the input box titled `title` as it is filled in, and returns what it held. */
export async function acceptInput(page: Page, title: string): Promise<string> {
  await waitForTitle(page, title);
  const value = await page.locator('.quick-input-widget .quick-input-box input').inputValue();
  await page.keyboard.press('Enter');
  return value;
}

/** Chooses the row holding `text` in the quick pick titled `title`. */
export async function pick(page: Page, title: string, text: string | RegExp): Promise<void> {
  await waitForTitle(page, title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click();
}
