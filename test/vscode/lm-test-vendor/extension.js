// A scripted chat model for the UI suite (test/ui/chatModel.ui.ts): on VS Code 1.104+ it registers itself under
// the vendor incident-analyzer-ui-test, but only while the workspace turns incidentAnalyzerTest.scriptedModel on,
// so the extension-host suite (which installs this extension too and registers its own provider) never sees it.
// It investigates like a model: a sentence, then search_logs, get_recent_commits and get_commit, reading each
// result it gets back; then a conclusion streamed slowly enough to be photographed; then, asked with no tools,
// the JSON report, citing only what the tools returned. Plain JS: VS Code loads it as it is, no build step.
'use strict';
const fs = require('fs');
const vscode = require('vscode');

const VENDOR = 'incident-analyzer-ui-test';
const SETTING = 'incidentAnalyzerTest.scriptedModel';
/** A file whose appearance lets the conclusion finish: the UI suite photographs the panel mid-run, then writes it. */
const RELEASE_SETTING = 'incidentAnalyzerTest.releaseFile';
/** The pause between the conclusion's pieces, as a slow model writes. */
const CONCLUSION_PAUSE_MS = 1000;
/** How long the conclusion waits for the release file at most, so a test that never writes it cannot hang the run. */
const RELEASE_WAIT_MS = 60_000;

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  // Finalized in VS Code 1.104; on older versions there is nothing to register.
  const register = /** @type {any} */ (vscode.lm).registerLanguageModelChatProvider;
  if (typeof register !== 'function') return;
  /** @type {vscode.Disposable | undefined} */
  let registration;
  const update = () => {
    const on = vscode.workspace.getConfiguration().get(SETTING) === true;
    if (on && !registration) registration = register.call(vscode.lm, VENDOR, provider);
    if (!on && registration) {
      registration.dispose();
      registration = undefined;
    }
  };
  update();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTING) && update()),
    { dispose: () => registration?.dispose() },
  );
}

const provider = {
  provideLanguageModelChatInformation: async () => [
    { id: 'scripted-investigator', name: 'Scripted investigator', family: 'scripted', version: '1', maxInputTokens: 120000, maxOutputTokens: 8000, capabilities: { toolCalling: true } },
  ],
  /**
   * @param {unknown} _model
   * @param {readonly any[]} messages
   * @param {{ tools?: readonly { name: string }[] }} options
   * @param {vscode.Progress<unknown>} progress
   * @param {vscode.CancellationToken} token
   */
  provideLanguageModelChatResponse: async (_model, messages, options, progress, token) => {
    const text = (value) => progress.report(new vscode.LanguageModelTextPart(value));
    const call = (name, input) => progress.report(new vscode.LanguageModelToolCallPart(`${name}-${messages.length}`, name, input));
    const seen = toolResults(messages);
    if (!options.tools || options.tools.length === 0) {
      text(JSON.stringify(report(seen)));
      return;
    }
    await pause(300, token);
    if (!seen.search_logs) {
      text('Checkout returns 500s. I will look for database pool errors in the logs first. ');
      call('search_logs', { pattern: 'timeout acquiring connection', max_results: 5 });
      return;
    }
    const first = firstMatch(seen.search_logs);
    if (!seen.get_recent_commits) {
      text(first ? `The first pool timeout is ${first.file}:${first.line} at ${first.time}. What changed before it? ` : 'No pool errors; what changed recently? ');
      call('get_recent_commits', first ? { until: first.time, limit: 10 } : { limit: 10 });
      return;
    }
    const suspect = poolCommit(seen.get_recent_commits);
    if (suspect && !seen.get_commit) {
      text(`${suspect.hash.slice(0, 7)} "${suspect.subject}" shipped in ${suspect.version ?? 'a release'} before the onset and touches the pool. Reading its diff. `);
      call('get_commit', { hash: suspect.hash });
      return;
    }
    // The conclusion, in pieces with pauses, as a slow model writes it.
    const pool = poolChange(seen.get_commit ?? '');
    const pieces = [
      `${suspect ? suspect.hash.slice(0, 7) : 'A recent commit'} `,
      pool ? `cut the production DB pool from ${pool.from} to ${pool.to} connections, ` : 'changed the production DB pool, ',
      `and from ${first ? first.time : 'the onset'} `,
      'checkout requests time out waiting for a connection under load.',
    ];
    for (const [i, piece] of pieces.entries()) {
      text(piece);
      await pause(CONCLUSION_PAUSE_MS, token);
      if (i === 1) await released(token); // half written: held until the test has its screenshot
    }
  },
  provideTokenCount: async (_model, value) => Math.ceil((typeof value === 'string' ? value : JSON.stringify(value)).length / 4),
};

/** The latest result of each tool, as text, found by matching each result's call id to the call that asked. */
function toolResults(messages) {
  /** @type {Map<string, string>} */
  const names = new Map();
  /** @type {Record<string, string>} */
  const results = {};
  for (const message of messages) {
    for (const part of Array.isArray(message.content) ? message.content : []) {
      if (typeof part?.callId !== 'string') continue;
      if (typeof part.name === 'string') names.set(part.callId, part.name);
      else if (Array.isArray(part.content)) results[names.get(part.callId) ?? '?'] = part.content.map((p) => (typeof p?.value === 'string' ? p.value : '')).join('');
    }
  }
  return results;
}

/** search_logs lists matches as "file:line: text"; the fixture's lines start with "YYYY-MM-DD HH:MM:SS". */
function firstMatch(result) {
  const m = /^(\S+?):(\d+): ((\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d).*)$/m.exec(result);
  return m ? { file: m[1], line: Number(m[2]), text: m[3], time: `${m[4]}T${m[5]}Z` } : undefined;
}

/** get_recent_commits lists "- HASH DATE AUTHOR <email>" then '  "subject" — shipped in V at T (status)', newest first. */
function poolCommit(result) {
  const re = /^- ([0-9a-f]{40}) .*\n\s+"(.*)" — (shipped in (\S+) at (\S+)|not deployed yet|deployment unknown)/gm;
  for (let m = re.exec(result); m; m = re.exec(result)) {
    // The newest commit about the pool that was running when it broke (one not deployed yet cannot be the cause).
    if (/pool/i.test(m[2]) && m[4]) return { hash: m[1], subject: m[2], version: m[4], deployedAt: m[5] };
  }
  return undefined;
}

/** The pool size before and after, from the diff get_commit returned ("-    max: 20" / "+    max: 5"). */
function poolChange(result) {
  const from = /^-\s*max:\s*(\d+)/m.exec(result)?.[1];
  const to = /^\+\s*max:\s*(\d+)/m.exec(result)?.[1];
  return from && to ? { from, to } : undefined;
}

/** The report, built only from what the tool results said. */
function report(seen) {
  const first = firstMatch(seen.search_logs ?? '');
  const suspect = poolCommit(seen.get_recent_commits ?? '');
  const pool = poolChange(seen.get_commit ?? '');
  const evidence = [];
  if (first) evidence.push({ id: 'E1', kind: 'log', file: first.file, line: first.line, text: first.text });
  if (suspect) evidence.push({ id: 'E2', kind: 'commit', hash: suspect.hash }, { id: 'E3', kind: 'deployment', version: suspect.version });
  const timeline = [];
  if (suspect) timeline.push({ time: suspect.deployedAt, description: `${suspect.version} deployed, with ${suspect.hash.slice(0, 7)}`, evidence: ['E3', 'E2'] });
  if (first) timeline.push({ time: first.time, description: 'First timeout acquiring a DB connection', evidence: ['E1'] });
  const cut = pool ? ` from ${pool.from} to ${pool.to}` : '';
  return {
    rootCause: {
      summary: suspect
        ? `Commit ${suspect.hash.slice(0, 7)} ("${suspect.subject}"), shipped in ${suspect.version}, cut the production DB pool${cut}; under load checkout requests time out acquiring a connection.`
        : 'Checkout requests time out acquiring a DB connection; no commit could be tied to it.',
      category: 'db-connection-pool-exhaustion',
      confidence: suspect && first ? 'high' : 'low',
      suspectCommit: suspect?.hash ?? null,
      suspectDeployment: suspect?.version ?? null,
      onset: first?.time ?? null,
    },
    timeline,
    evidence,
    recommendations: suspect ? [`Revert ${suspect.hash.slice(0, 7)} or raise the production pool size back${pool ? ` to ${pool.from}` : ''}.`] : [],
  };
}

/** Resolves once the release file named by the setting exists (at once when none is named), or on cancellation. */
async function released(token) {
  const file = vscode.workspace.getConfiguration().get(RELEASE_SETTING);
  if (typeof file !== 'string' || !file) return;
  const deadline = Date.now() + RELEASE_WAIT_MS;
  while (!fs.existsSync(file) && Date.now() < deadline && !token.isCancellationRequested) await pause(100, token);
}

/** Waits, or stops waiting when the request is cancelled. */
function pause(ms, token) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    token.onCancellationRequested(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

module.exports = { activate };
