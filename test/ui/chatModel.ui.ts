/// <reference lib="dom" />
// A VS Code chat model investigating, in a real VS Code with the packaged .vsix. From VS Code 1.104 an extension can
// provide a chat model: the tests-only vendor (test/vscode/lm-test-vendor) registers a scripted investigator when the
// workspace asks for it. Select Model lists it beside Ollama's section; Analyze Incident then streams its words and
// tool calls into the panel, and its report is verified like any other. Before 1.104 no extension can provide one,
// so the same request ends in the error that says why and what to do. Screenshots go to
// test-artifacts/ui/<VS Code version>/chat-model/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { ROOT, TARGET, freePort, makeFixtureWorkspace, packageTestVendor, prepareRunDir, runDirFor } from '../vscode/codeServer.js';
import { answerInput, openWorkbench, runCommand, type Workbench } from './workbench.js';

const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';
const SHOTS = path.join(ROOT, 'test-artifacts', 'ui', TARGET.vscode, 'chat-model');
const RUN_DIR = runDirFor('ui-chat-model');
const VSIX = path.join(ROOT, 'dist', 'incident-analyzer.vsix');
/** The scripted model holds its half-written conclusion until this file exists: the mid-run screenshot is taken first. */
const RELEASE_FILE = path.join(RUN_DIR, 'release-scripted-model');
/** The model the vendor registers: its name, and the selector Select Model stores for it. */
const MODEL = { name: 'Scripted investigator', vendor: 'incident-analyzer-ui-test', selector: 'incident-analyzer-ui-test/scripted' };
/** vscode.lm.registerLanguageModelChatProvider was finalized in VS Code 1.104. */
const CAN_PROVIDE_MODELS = Number(TARGET.vscode.split('.')[1]) >= 104;

describe(`A VS Code chat model (vscode-lm) in code-server ${TARGET.codeServer} (VS Code ${TARGET.vscode}) with the packaged .vsix`, function () {
  let workbench: Workbench | undefined;
  let page: Page;
  let panel: FrameLocator;
  let ollamaHost: string;
  let step = 0;
  const shot = async (name: string) => {
    await page.waitForTimeout(300); // let animations and toasts settle
    await page.screenshot({ path: path.join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`) });
  };
  const quickPick = () => page.locator('.quick-input-widget');

  before(async function () {
    this.timeout(180_000);
    assert.ok(fs.existsSync(VSIX), `no ${VSIX}: run "npm run package" first`);
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    prepareRunDir(RUN_DIR);
    const workspace = makeFixtureWorkspace('checkout-500', path.join(RUN_DIR, 'workspace'));
    // A closed port: Ollama's section of Select Model says it cannot be listed, whatever runs on this machine.
    ollamaHost = `http://127.0.0.1:${await freePort()}`;
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'incidentAnalyzerTest.scriptedModel': true, 'incidentAnalyzerTest.releaseFile': RELEASE_FILE, 'incidentAnalyzer.analyst': 'vscode-lm', 'incidentAnalyzer.ollamaHost': ollamaHost }, null, 2),
    );
    workbench = await openWorkbench(RUN_DIR, workspace, VSIX, [packageTestVendor(RUN_DIR)]);
    ({ page, panel } = workbench);
    await page.locator('.activitybar a.action-label[aria-label^="Incident Analyzer"]').click({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: '3/3' }).waitFor({ timeout: 60_000 });
    await page.mouse.move(750, 600); // off the activity bar, whose tooltip would cover the Servers view
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(SHOTS, `FAILED-${step + 1}.png`) }).catch(() => {});
  });

  after(async () => {
    await workbench?.close();
  });

  const analyze = async (incident: string) => {
    await runCommand(page, 'Incident Analyzer: Analyze Incident');
    await answerInput(page, 'Analyze Incident (1/2)', incident);
    await answerInput(page, 'Analyze Incident (2/2)', ''); // no time window: all the data
  };

  if (!CAN_PROVIDE_MODELS) {
    it(`Select Model lists no VS Code chat model: VS Code ${TARGET.vscode} lets no extension provide one`, async () => {
      await runCommand(page, 'Incident Analyzer: Select Model');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: `Models at ${ollamaHost}` }).waitFor({ timeout: 30_000 });
      await quickPick().locator('.quick-input-list .monaco-list-row', { hasText: 'Ollama cannot be listed' }).waitFor();
      const list = (await quickPick().locator('.quick-input-list').textContent()) ?? '';
      assert.doesNotMatch(list, /VS Code chat models|Scripted investigator/);
      assert.doesNotMatch((await quickPick().locator('.quick-input-title').textContent()) ?? '', /and in VS Code/);
      await shot('select-model-no-chat-model');
      await page.keyboard.press('Escape');
    });

    it('Analyze Incident with the vscode-lm analyst says there is no chat model, why, and how to fix it', async () => {
      await analyze('500 errors on checkout API');
      const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Analysis failed' });
      await toast.waitFor({ timeout: 60_000 });
      const message = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
      assert.match(message, /^Analysis failed: VS Code offers no chat model\. Install and sign in to a chat model provider .*"Incident Analyzer: Select Model"; or use Ollama or the built-in analyst\.$/);
      const buttons = await toast.locator('.monaco-button').allTextContents();
      assert.deepEqual(buttons.map((b) => b.trim()), ['Select Model', 'Use Built-in Analyst']);
      // The panel says the same where the report would be.
      await panel.locator('.error-box .error-message', { hasText: 'VS Code offers no chat model.' }).waitFor({ timeout: 15_000 });
      assert.equal(await panel.locator('.report:not([hidden])').count(), 0);
      await shot('no-chat-model-error');
    });
    return;
  }

  it('Select Model lists the scripted VS Code chat model beside Ollama\'s section; choosing it sets incidentAnalyzer.vscodeLm.model', async () => {
    // The vendor registers its model once VS Code has started up: list again until VS Code offers it.
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: `Models at ${ollamaHost} and in VS Code` });
    for (let attempt = 1; ; attempt++) {
      await runCommand(page, 'Incident Analyzer: Select Model');
      if (await title.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
      if (attempt === 10) throw new Error('VS Code never offered the scripted chat model');
      await page.keyboard.press('Escape');
    }
    const row = quickPick().locator('.quick-input-list .monaco-list-row', { hasText: MODEL.name });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /incident-analyzer-ui-test\/scripted/);
    const list = (await quickPick().locator('.quick-input-list').textContent()) ?? '';
    assert.match(list, /VS Code chat models/);
    assert.match(list, new RegExp(`Ollama at ${ollamaHost.replace(/[.:/]/g, '\\$&')}`));
    assert.match(list, /Ollama cannot be listed/);
    await shot('select-model');
    await row.click();
    // Select Model writes the user settings (the workspace sets only the analyst).
    const userSettings = path.join(RUN_DIR, 'ud', 'User', 'settings.json');
    for (let i = 0; i < 100 && !fs.readFileSync(userSettings, 'utf8').includes(MODEL.selector); i++) await page.waitForTimeout(100);
    assert.equal(JSON.parse(fs.readFileSync(userSettings, 'utf8'))['incidentAnalyzer.vscodeLm.model'], MODEL.selector);
    await page.waitForTimeout(500); // and VS Code has told the extension
  });

  it('Analyze Incident: the model\'s words and tool calls stream into the panel', async () => {
    await analyze('500 errors on checkout API');
    await panel.locator('.call').first().waitFor({ state: 'attached', timeout: 60_000 });
    // VS Code may ask whether Incident Analyzer may use another extension's model (for providers that require
    // authorization); allow it as a user would. The model's first words, or that dialog, whichever comes first.
    const dialog = page.locator('.monaco-dialog-box');
    const modelText = panel.locator('.model-text');
    const first = await Promise.race(
      [dialog.waitFor({ timeout: 60_000 }).then(() => 'dialog'), modelText.first().waitFor({ state: 'attached', timeout: 60_000 }).then(() => 'model')].map((p) =>
        p.catch(() => 'nothing'),
      ),
    );
    assert.notEqual(first, 'nothing', 'neither the model\'s words nor a dialog within 60 s');
    if (first === 'dialog') {
      console.log(`      consent dialog: ${(await dialog.textContent())?.trim()}`);
      await shot('language-model-access');
      await dialog.locator('.monaco-button', { hasText: /^Allow/ }).first().click();
    } else {
      console.log('      no consent dialog: VS Code asked nothing before the model answered');
    }
    // Mid-run: the model's own calls are in (after its "Investigating with" step) and its conclusion is half
    // written, held there until the release file exists: photograph it, check there is no report yet, release it.
    const afterModelStep = 'h2.step:has-text("Investigating with") ~';
    const conclusion = panel.locator(`${afterModelStep} .call:has-text("get_commit") ~ .model-text`, { hasText: 'cut the production DB pool' });
    await conclusion.waitFor({ timeout: 60_000 });
    await conclusion.scrollIntoViewIfNeeded(); // the model's part of the feed, not the first pass above it
    const feedTitle = (await panel.locator('.feed-title').textContent()) ?? '';
    await shot('streaming-model-text-and-calls');
    assert.equal(await panel.locator('.report:not([hidden])').count(), 0, 'no report while the model is still writing');
    fs.writeFileSync(RELEASE_FILE, '');
    assert.match(feedTitle, /^Investigating… \d+ tool calls · Step 3\/5: Investigating with Scripted investigator/);

    const stepTitle = (await panel.locator('h2.step', { hasText: 'Investigating with' }).textContent()) ?? '';
    assert.match(stepTitle, new RegExp(`Investigating with ${MODEL.name} via ${MODEL.vendor}`));
    const names = (await panel.locator(`${afterModelStep} .call .call-name`).allTextContents()).map((n) => n.trim());
    assert.deepEqual(names, ['logs · search_logs', 'git · get_recent_commits', 'git · get_commit'], 'the model\'s calls, in its order');
    const words = (await panel.locator(`${afterModelStep} .model-text`).allTextContents()).join(' ');
    assert.match(words, /I will look for database pool errors/);
    assert.match(words, /The first pool timeout is \S+\.log:\d+ at 2026-02-17T/, 'it read the search result');
    assert.match(words, /2b8306b "Align production DB pool with pgbouncer limits" shipped in v2\.14\.0/, 'it read the commit list');
  });

  it('the finished report names the model, its log evidence is verified and its suspect is the culprit', async () => {
    await panel.locator('.report h2', { hasText: 'Evidence' }).waitFor({ timeout: 60_000 });
    const report = (await panel.locator('.report').textContent()) ?? '';
    assert.match(report, new RegExp(`Analyst: vscode-lm \\(${MODEL.name} via ${MODEL.vendor}\\)`));
    assert.match(report, /db-connection-pool-exhaustion/);
    assert.match(report, /cut the production DB pool from 20 to 5/);
    const evidence = await panel.locator('.report h2:has-text("Evidence") + ul > li').allTextContents();
    const log = evidence.find((e) => /^E1 /.test(e)) ?? '';
    assert.match(log, /^E1 ✓ \S+\.log:\d+ .*timeout acquiring connection from pool/, `the cited log line is verified: ${log}`);
    assert.ok(evidence.length >= 2 && evidence.every((e) => e.includes('✓') && !e.includes('unverified')), evidence.join('\n'));
    assert.match((await panel.locator('.run-status').textContent()) ?? '', new RegExp(`${MODEL.name} via ${MODEL.vendor}.*report ready`));
    await runCommand(page, 'Notifications: Clear All Notifications'); // the root-cause toast would cover the evidence
    await shot('report');
    // The suspect commit, opened from the report, is the fixture's culprit (the report shows only 7 digits).
    await panel.locator('.report li', { hasText: 'Suspect commit:' }).locator('a.evidence-link').click();
    await page.locator('.monaco-editor .view-lines', { hasText: `commit ${CULPRIT}` }).first().waitFor({ timeout: 15_000 });
  });
});
