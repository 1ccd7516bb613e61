/// <reference lib="dom" />
// From diagnosis to resolution in a real VS Code with the packaged .vsix: a report, then Create Incident under it,
// a runbook step approved in the modal dialog (which lists each argument) with its output in the journal, Write
// Postmortem opened beside the report, and Notify Team received by a local webhook receiver. Screenshots go to
// test-artifacts/ui/<VS Code version>/incidents/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { ROOT, TARGET, makeFixtureWorkspace, prepareRunDir, runDirFor } from '../vscode/codeServer.js';
import { acceptInput, answerInput, openWorkbench, pick, runCommand, type Workbench } from './workbench.js';

const SHOTS = path.join(ROOT, 'test-artifacts', 'ui', TARGET.vscode, 'incidents');
const RUN_DIR = runDirFor('ui-incidents');
const VSIX = path.join(ROOT, 'dist', 'incident-analyzer.vsix');
const INCIDENT = '500 errors on checkout API';
/** A parameter with a quote, a space and shell characters: the dialog must show it as one argument, as data. */
const REASON = `pool "exhausted"; $(whoami)`;

describe(`Incidents in code-server ${TARGET.codeServer} (VS Code ${TARGET.vscode}) with the packaged .vsix`, function () {
  let workbench: Workbench | undefined;
  let page: Page;
  let panel: FrameLocator;
  let workspace: string;
  let receiver: http.Server;
  const received: Array<{ path: string; body: Record<string, unknown> }> = [];
  let step = 0;
  const shot = async (name: string) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`) });
  };
  const editorTab = (text: string) => page.locator('.tabs-container .tab', { hasText: text });

  before(async function () {
    this.timeout(180_000);
    assert.ok(fs.existsSync(VSIX), `no ${VSIX}: run "npm run package" first`);
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    prepareRunDir(RUN_DIR);
    workspace = makeFixtureWorkspace('checkout-500', path.join(RUN_DIR, 'workspace'));
    fs.mkdirSync(path.join(workspace, '.incident-analyzer'));
    // The step stands in for "kubectl rollout restart": it prints what it was given and writes it to a file.
    fs.writeFileSync(
      path.join(workspace, '.incident-analyzer', 'runbooks.yaml'),
      `steps:
  restart-service:
    description: Restart a service's pods
    program: ${JSON.stringify(process.execPath)}
    args: ["-e", "require('fs').writeFileSync('restarted.txt', process.argv.slice(1).join('|')); console.log('restarted', process.argv[1], 'because', process.argv[2])", "{service}", "{reason}"]
    parameters:
      service: { type: enum, values: [checkout, payments] }
      reason: { type: string, max_length: 200, description: "Why, for the journal" }
    timeout_seconds: 30
    changes: true
`,
    );
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    workbench = await openWorkbench(RUN_DIR, workspace, VSIX);
    ({ page, panel } = workbench);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(SHOTS, `FAILED-${step + 1}.png`) }).catch(() => {});
  });

  after(async () => {
    await workbench?.close();
    receiver?.close();
  });

  it('a report, then Create Incident under it: the journal opens and the Incidents view lists it', async () => {
    await page.locator('.activitybar a.action-label[aria-label^="Incident Analyzer"]').click({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: '3/3' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Incident Analyzer: Analyze Incident');
    await answerInput(page, 'Analyze Incident (1/2)', INCIDENT);
    await answerInput(page, 'Analyze Incident (2/2)', '');
    await panel.locator('.report h2', { hasText: 'Timeline' }).waitFor({ timeout: 90_000 });

    await panel.locator('.actions button', { hasText: 'Create Incident' }).click();
    assert.equal(await acceptInput(page, 'Create Incident (1/3)'), INCIDENT, 'the title starts as the question asked');
    await pick(page, 'Create Incident (2/3)', 'SEV2');
    await answerInput(page, 'Create Incident (3/3)', 'checkout');
    await editorTab('INC-1.txt').waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'INC-1 · 500 errors on checkout API' }).first().waitFor({ timeout: 15_000 });
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'INC-1 · 500 errors on checkout API' });
    await row.waitFor({ timeout: 15_000 });
    assert.match((await row.textContent()) ?? '', /SEV2 · investigating · \d+ min/);
    const journal = fs.readFileSync(path.join(workspace, '.incident-analyzer', 'incidents', 'INC-1.jsonl'), 'utf8');
    assert.match(journal, /"kind":"created"/);
    assert.match(journal, /db-connection-pool-exhaustion/, 'the report is kept with the incident');
    await shot('incident-created');
  });

  it('Run Remediation Step asks for approval in a modal dialog with each argument; approved, its output is in the journal', async () => {
    await runCommand(page, 'Incident Analyzer: Run Remediation Step');
    await pick(page, 'Run Remediation Step', 'INC-1');
    await pick(page, 'Run Remediation Step for INC-1', 'restart-service');
    await pick(page, 'restart-service: service (1/2)', 'checkout');
    await answerInput(page, 'restart-service: reason (2/2)', REASON);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Run remediation step "restart-service" for INC-1\?/);
    assert.ok(text.includes('Argument 3: "checkout"'), text);
    assert.ok(text.includes(`Argument 4: ${JSON.stringify(REASON)}`), text);
    assert.match(text, /This step CHANGES things\./);
    assert.equal(fs.existsSync(path.join(workspace, 'restarted.txt')), false, 'nothing runs before the approval');
    await shot('approval-dialog');

    await dialog.locator('.monaco-button', { hasText: /^Run$/ }).click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'step "restart-service" exited 0' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: `restarted checkout because ${REASON}` }).first().waitFor({ timeout: 15_000 });
    assert.equal(fs.readFileSync(path.join(workspace, 'restarted.txt'), 'utf8'), `checkout|${REASON}`, 'each argument arrived whole, as data');
    assert.equal(await editorTab('INC-1.txt').count(), 1, 'the journal is refreshed where it is open, not opened again');
    await page.locator('.notifications-toasts', { hasText: 'INC-1: step "restart-service" exited 0' }).waitFor({ timeout: 15_000 });
    await shot('step-output-in-journal');
  });

  it('Write Postmortem under the report opens the postmortem beside it', async () => {
    await page.locator('.tabs-container .tab', { hasText: /^Incident: / }).first().click(); // back to the report
    await panel.locator('.actions button', { hasText: 'Write Postmortem' }).click();
    await answerInput(page, 'Write Postmortem for INC-1', 'Checkout failed for about 12 minutes for most customers');
    await editorTab('INC-1-postmortem.md').waitFor({ timeout: 30_000 });
    const file = path.join(workspace, 'incident-reports', 'INC-1-postmortem.md');
    const markdown = fs.readFileSync(file, 'utf8');
    assert.match(markdown, /Checkout failed for about 12 minutes/);
    assert.match(markdown, /restart-service/, 'the journal, step included, is its timeline');
    assert.match(markdown, /db-connection-pool-exhaustion/, 'the root cause of the report');
    assert.equal(await panel.locator('.report h2', { hasText: 'Timeline' }).count(), 1, 'the report stays open beside it');
    await shot('postmortem-beside-report');
  });

  it('Notify Team posts to the webhook set in secret storage, and the journal records the delivery', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/team-secret`;
    await runCommand(page, 'Incident Analyzer: Set Team Webhook');
    await answerInput(page, 'Set Team Webhook', url);
    await page.locator('.notifications-toasts', { hasText: 'Team webhook set (127.0.0.1:' }).waitFor({ timeout: 15_000 });
    await page.locator('.tabs-container .tab', { hasText: /^Incident: / }).first().click();
    await panel.locator('.actions button', { hasText: 'Notify Team' }).click();
    const message = await acceptInput(page, 'Notify Team about INC-1');
    assert.match(message, /^INC-1 \[SEV2, investigating\] 500 errors on checkout API — likely cause: /);
    await page.locator('.notifications-toasts', { hasText: 'Notified the team' }).waitFor({ timeout: 30_000 });
    assert.equal(received.length, 1);
    assert.equal(received[0]!.path, '/hooks/team-secret');
    assert.equal(received[0]!.body.message, message);
    const settings = fs.readFileSync(path.join(RUN_DIR, 'ud', 'User', 'settings.json'), 'utf8');
    assert.doesNotMatch(settings, /team-secret/, 'the URL is a secret, not a setting');
    const journal = fs.readFileSync(path.join(workspace, '.incident-analyzer', 'incidents', 'INC-1.jsonl'), 'utf8');
    assert.match(journal, /"kind":"notification".*"delivered":true/);
    assert.doesNotMatch(journal, /team-secret/);
    await shot('team-notified');
  });
});
