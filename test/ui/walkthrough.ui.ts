/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What a new user does, in a real VS Code with the packaged extension: open a folder with logs and a git repo,
// run Analyze Incident from the palette, watch the calls stream in and the report appear, open the evidence.
// Then the same through the Ollama path (a fake /api/chat server) with HTML and script in the log lines and
// the model's output, to show they come out as text. Screenshots of each step go to test-artifacts/ui/<VS Code version>/.
// VSCODE_VERSION picks the VS Code: old (1.100, the default) or current (1.139); test/vscode/run-all.ts runs both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { FakeOllama, jsonTurn, textTurn, toolTurn } from '../support/fakeOllama.js';
import { ROOT, TARGET, makeFixtureWorkspace, prepareRunDir, runDirFor } from '../vscode/codeServer.js';
import { answerInput as answerWorkbenchInput, openWorkbench, runCommand as runWorkbenchCommand, type Workbench } from './workbench.js';

const CULPRIT = '2b8306bc963cc8d5f65bdf8897bbb85136907c80';
const SHOTS = path.join(ROOT, 'test-artifacts', 'ui', TARGET.vscode);
const RUN_DIR = runDirFor('ui');
const VSIX = path.join(ROOT, 'dist', 'incident-analyzer.vsix');
const EVIL_LINE = `2026-02-17 14:46:00 ERROR [checkout] token rejected <img src=x onerror="document.title='PWNED-LOG'"> <script>document.title='PWNED-LOG2'</script>`;
const EVIL_TEXT = `Looking at <img src=x onerror="document.title='PWNED-MODEL'"> and <script>document.title='PWNED-MODEL2'</script> now.`;

describe(`UI walk-through in code-server ${TARGET.codeServer} (VS Code ${TARGET.vscode}) with the packaged .vsix`, function () {
  let workbench: Workbench | undefined;
  let page: Page;
  let panel: FrameLocator;
  let workspace: string;
  let step = 0;
  const shot = async (name: string) => {
    await page.waitForTimeout(300); // let animations and toasts settle
    await page.screenshot({ path: path.join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`) });
  };

  before(async function () {
    this.timeout(180_000);
    assert.ok(fs.existsSync(VSIX), `no ${VSIX}: run "npm run package" first`);
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const old of fs.readdirSync(SHOTS).filter((f) => f.endsWith('.png'))) fs.rmSync(path.join(SHOTS, old)); // its own, not the other suites' folders
    prepareRunDir(RUN_DIR);
    workspace = makeFixtureWorkspace('checkout-500', path.join(RUN_DIR, 'workspace'));
    workbench = await openWorkbench(RUN_DIR, workspace, VSIX);
    ({ page, panel } = workbench);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(SHOTS, `FAILED-${step + 1}.png`) }).catch(() => {});
  });

  after(async () => {
    await workbench?.close();
  });

  const runCommand = (title: string) => runWorkbenchCommand(page, title);
  const answerInput = (title: string, text: string) => answerWorkbenchInput(page, title, text);

  it('shows the extension in the activity bar, and the servers come up (status bar 3/3)', async () => {
    await page.locator('.activitybar a.action-label[aria-label^="Incident Analyzer"]').click({ timeout: 60_000 });
    await page.locator('.pane-header', { hasText: 'Tool-Call Timeline' }).waitFor();
    await page.locator('.statusbar-item', { hasText: '3/3' }).waitFor({ timeout: 30_000 });
    await shot('activity-bar-and-servers');
  });

  it('runs "Analyze Incident" from the palette: the tool-call cards, then the report', async () => {
    await runCommand('Incident Analyzer: Analyze Incident');
    await answerInput('Analyze Incident (1/2)', '500 errors on checkout API');
    await answerInput('Analyze Incident (2/2)', ''); // no time window: all the data
    await panel.locator('.call').first().waitFor({ state: 'attached', timeout: 60_000 });
    await panel.locator('.report h2', { hasText: 'Timeline' }).waitFor({ timeout: 60_000 });
    assert.equal(await panel.locator('header h1').textContent(), '500 errors on checkout API');
    const cards = await panel.locator('.call').count();
    assert.ok(cards >= 8, `${cards} tool-call cards`);
    assert.equal(await panel.locator('.call[data-status="running"]').count(), 0);
    const body = (await panel.locator('.report').textContent()) ?? '';
    assert.match(body, /db-connection-pool-exhaustion/);
    assert.match(body, /confidence high/);
    // The signals under the root cause: a chart per cited metric, and the new log templates as before/after bars.
    await panel.locator('.signals .signal-chart canvas').first().waitFor({ timeout: 30_000 });
    const chart = panel.locator('.signal-chart[data-metric="error_rate"]');
    assert.equal(await chart.locator('canvas').count(), 1, 'error_rate, cited, has its chart');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /onset 2026-02-17 14:45Z; deployment v2\.14\.0 at 2026-02-17 14:25Z; cited E\d+: 10\.72/);
    await chart.focus();
    await page.keyboard.press('End'); // the keyboard walks the points; the legend reads the last one out
    assert.match((await chart.locator('.u-legend').textContent()) ?? '', /2026-02-17 \d\d:\d\dZ/);
    const bars = panel.locator('.template-bars li.new');
    assert.ok((await bars.count()) >= 1);
    assert.match((await bars.first().getAttribute('aria-label')) ?? '', /^new: .*\[db\] timeout acquiring connection.*: 0 lines before, 671 after$/);
    await shot('report');
  });

  it('fills the Tool-Call Timeline; selecting a call reveals its card in the panel', async () => {
    const runRow = page.locator('.pane-body .monaco-list-row', { hasText: '500 errors on checkout API' }).first();
    await runRow.waitFor();
    if ((await runRow.getAttribute('aria-expanded')) !== 'true') await runRow.locator('.monaco-tl-twistie').click();
    // The first call of the run (the list shows only the rows in view, so not one far down it).
    const callRow = page.locator('.pane-body .monaco-list-row', { hasText: /\b(logs|git|metrics) · [a-z_]+/ }).first();
    await callRow.waitFor();
    const name = /\b((?:logs|git|metrics) · [a-z_]+)/.exec((await callRow.textContent()) ?? '')?.[1];
    assert.ok(name, 'a call row names its server and tool');
    await callRow.click();
    await panel.locator('.call.revealed[open]').waitFor({ timeout: 15_000 });
    const revealed = (await panel.locator('.call.revealed summary').textContent()) ?? '';
    assert.ok(revealed.includes(name), `${revealed} reveals ${name}`);
    await shot('timeline-reveals-call');
  });

  it('clicking a log citation opens the log at that line', async () => {
    const link = panel.locator('.report a.evidence-link', { hasText: /\.log:\d+/ }).first();
    const label = (await link.textContent()) ?? '';
    const [, file, line] = /([^/\s]+\.log):(\d+)/.exec(label) ?? [];
    assert.ok(file && line, label);
    await link.click();
    await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('.monaco-editor .line-numbers.active-line-number')].some((e) => e.textContent?.trim() === n),
      line,
      { timeout: 15_000 },
    );
    assert.equal(await panel.locator('.report h2', { hasText: 'Timeline' }).count(), 1, 'the report stays open beside the log');
    // The cited line carries the gutter mark: a glyph-margin decoration drawn with our icon, level with the line.
    await page.waitForFunction(
      (n) => {
        const active = [...document.querySelectorAll('.monaco-editor .line-numbers.active-line-number')].find((e) => e.textContent?.trim() === n);
        const top = active?.getBoundingClientRect().top;
        return (
          top !== undefined &&
          [...document.querySelectorAll('.monaco-editor .cgmr')].some((g) => getComputedStyle(g).backgroundImage.includes('cited-line-') && Math.abs(g.getBoundingClientRect().top - top) < 3)
        );
      },
      line,
      { timeout: 15_000 },
    );
    await shot('log-evidence-opened');
  });

  it('clicking the suspect commit opens it: message, author and diff', async () => {
    await panel.locator('.report a.evidence-link', { hasText: CULPRIT.slice(0, 7) }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: CULPRIT.slice(0, 10) }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: `commit ${CULPRIT}` }).first().waitFor({ timeout: 15_000 });
    await shot('commit-evidence-opened');
  });

  it('shows HTML and script from log lines and model output as text; nothing executes', async () => {
    fs.writeFileSync(path.join(workspace, 'logs', 'evil.log'), `${EVIL_LINE}\n`);
    const fake = await FakeOllama.start((body, index) => {
      if (body.format) {
        return jsonTurn({
          rootCause: { summary: `Checkout broke <img src=x onerror="document.title='PWNED-SUMMARY'">`, category: 'code-exception', confidence: 'low', suspectCommit: null, suspectDeployment: null, onset: '2026-02-17T14:46:00Z' },
          timeline: [{ time: '2026-02-17T14:46:00Z', description: 'token rejected <script>document.title="PWNED-TL"</script>', evidence: ['E1'] }],
          evidence: [{ id: 'E1', kind: 'log', file: 'logs/evil.log', line: 1, text: EVIL_LINE }],
          recommendations: ['Escape <b>everything</b>'],
        });
      }
      // the model's text streams slowly, so the panel can be seen mid-run
      return index === 0 ? toolTurn([{ name: 'search_logs', arguments: { pattern: '<img src=x' } }]) : { ...textTurn(EVIL_TEXT), delayMs: 1000 };
    });
    try {
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'incidentAnalyzer.ollamaHost': fake.host, 'incidentAnalyzer.analyst': 'ollama' }));
      // VS Code reads the changed settings file a little later; Select Model lists the new host's models once it has
      const picker = page.locator('.quick-input-widget .quick-input-title', { hasText: `Models at ${fake.host}` });
      for (let attempt = 1; ; attempt++) {
        await runCommand('Incident Analyzer: Select Model');
        if (await picker.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
        if (attempt === 10) throw new Error('the new Ollama host was never read from the settings file');
        await page.keyboard.press('Escape');
      }
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'fake-model:latest' }).first().click();
      // Select Model writes the user settings; start the analysis once the choice is on disk, not before
      const userSettings = path.join(RUN_DIR, 'ud', 'User', 'settings.json');
      for (let i = 0; i < 100 && !fs.readFileSync(userSettings, 'utf8').includes('fake-model:latest'); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500)); // and VS Code has told the extension
      await runCommand('Incident Analyzer: Analyze Incident');
      await answerInput('Analyze Incident (1/2)', 'checkout <b>HTML</b> test');
      await answerInput('Analyze Incident (2/2)', '');
      // mid-run: the tool call's card is in, the model's words are arriving, no report yet
      await panel.locator('.call[data-status="ok"]', { hasText: 'search_logs' }).waitFor({ timeout: 60_000 });
      await panel.locator('.model-text').waitFor({ timeout: 30_000 });
      assert.equal(await panel.locator('.report:not([hidden])').count(), 0, 'no report yet while the model is talking');
      assert.match((await panel.locator('.feed-title').textContent()) ?? '', /^Investigating…/);
      await shot('streaming-model-text-and-calls');
      await panel.locator('.report h2', { hasText: 'Evidence' }).waitFor({ timeout: 60_000 });
      assert.equal(await panel.locator('header h1').textContent(), 'checkout <b>HTML</b> test');
      await panel.locator('.feed-title').click(); // the investigation folds away once the report is in
      await panel.locator('.call summary', { hasText: 'search_logs' }).first().click();
      const text = (await panel.locator('main').textContent()) ?? '';
      assert.ok(text.includes(`<img src=x onerror="document.title='PWNED-MODEL'">`), 'model text shown literally');
      assert.ok(text.includes(`onerror="document.title='PWNED-SUMMARY'"`), 'report summary shown literally');
      assert.ok(text.includes(`<script>document.title='PWNED-LOG2'</script>`), 'log line shown literally');
      const inside = await panel.locator('body').evaluate(() => ({
        images: document.querySelectorAll('main img').length,
        scripts: document.querySelectorAll('main script').length,
        handlers: [...document.querySelectorAll('main *')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
        bold: document.querySelectorAll('main b').length,
        title: document.title,
      }));
      assert.deepEqual(inside, { images: 0, scripts: 0, handlers: 0, bold: 0, title: 'Incident Analyzer' });
      assert.ok(!(await page.title()).includes('PWNED'));
      assert.ok(fake.chats().length >= 3, 'the model was asked for turns and the report');
      await shot('html-shown-as-text');
    } finally {
      await fake.close();
    }
  });

  it('reads well in light and high-contrast themes', async () => {
    await page.locator('.pane-body .monaco-list-row', { hasText: '500 errors on checkout API' }).first().click();
    await panel.locator('header h1', { hasText: '500 errors on checkout API' }).waitFor({ timeout: 15_000 });
    const settings = path.join(workspace, '.vscode', 'settings.json');
    const themes: Array<[string, string, string]> = [
      ['Default Light Modern', 'vs', 'light'],
      ['Default High Contrast', 'hc-black', 'high-contrast'],
      ['Default Dark Modern', 'vs-dark', 'dark'],
    ];
    for (const [theme, themeClass, name] of themes) {
      fs.writeFileSync(settings, JSON.stringify({ 'workbench.colorTheme': theme })); // the workspace settings file is watched
      await page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), themeClass, { timeout: 15_000 });
      await shot(`theme-${name}`);
      // the whole Signals section (charts and template bars), which runs past the window's height
      await panel.locator('.signals').screenshot({ path: path.join(SHOTS, `${String(step).padStart(2, '0')}-signals-${name}.png`) });
    }
  });
});
