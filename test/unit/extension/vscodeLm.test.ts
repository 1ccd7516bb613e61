// The vscode-lm analyst's pure parts: which model the setting names, and LanguageModelErrors explained.
import assert from 'node:assert/strict';
import { AnalystError } from '../../../src/engine/analysis/analyst';
import { explainLanguageModelError, noChatModelError } from '../../../src/extension/lm/lmErrors';
import { describeModel, matchingModels, selectorFor, type ChatModelInfo } from '../../../src/extension/lm/modelSelector';

const MODELS: ChatModelInfo[] = [
  { vendor: 'copilot', family: 'gpt-4o', id: 'gpt-4o', name: 'GPT-4o' },
  { vendor: 'copilot', family: 'claude-sonnet', id: 'claude-sonnet-4', name: 'Claude Sonnet 4' },
  { vendor: 'copilot', family: 'claude-sonnet', id: 'claude-sonnet-4.5', name: 'Claude Sonnet 4.5' },
  { vendor: 'acme', family: 'gpt-4o', id: 'acme-4o', name: 'Acme 4o' },
];
const ids = (selector: string) => matchingModels(selector, MODELS).map((m) => m.id);

describe('vscode-lm model setting', () => {
  it('empty: every model, in the order VS Code gave them', () => {
    assert.deepEqual(ids(''), ['gpt-4o', 'claude-sonnet-4', 'claude-sonnet-4.5', 'acme-4o']);
  });

  it('vendor/family, vendor/id, a bare id, family or vendor', () => {
    assert.deepEqual(ids('copilot/gpt-4o'), ['gpt-4o']);
    assert.deepEqual(ids('acme/gpt-4o'), ['acme-4o']);
    assert.deepEqual(ids('copilot/claude-sonnet'), ['claude-sonnet-4', 'claude-sonnet-4.5']);
    assert.deepEqual(ids('copilot/claude-sonnet-4.5'), ['claude-sonnet-4.5']);
    assert.deepEqual(ids('claude-sonnet-4'), ['claude-sonnet-4']);
    assert.deepEqual(ids('gpt-4o'), ['gpt-4o'], 'an id wins over a family');
    assert.deepEqual(ids('acme'), ['acme-4o']);
    assert.deepEqual(ids('nobody/gpt-4o'), []);
  });

  it('the picker stores vendor/family when that names one model, else vendor/id', () => {
    assert.equal(selectorFor(MODELS[0]!, MODELS), 'copilot/gpt-4o');
    assert.equal(selectorFor(MODELS[2]!, MODELS), 'copilot/claude-sonnet-4.5');
    assert.equal(selectorFor(MODELS[3]!, MODELS), 'acme/gpt-4o');
  });

  it('names a model by its name and vendor', () => {
    assert.equal(describeModel(MODELS[0]!), 'GPT-4o via copilot');
  });
});

describe('vscode-lm errors, with the fix', () => {
  const lmError = (code: string, message = '') => Object.assign(new Error(message), { name: 'LanguageModelError', code });

  it('consent refused (NoPermissions): run again and allow it; falls back to the built-in analyst in auto', () => {
    const err = explainLanguageModelError(lmError('NoPermissions'), 'GPT-4o');
    assert.ok(err instanceof AnalystError);
    assert.match(err.message, /did not give Incident Analyzer access to the chat model GPT-4o/);
    assert.match(err.fix ?? '', /allow it when VS Code asks/);
    assert.equal(err.builtinFallback, true);
    assert.equal(err.remedy, 'retry');
  });

  it('quota or rate limit (Blocked, or said only in the message): wait or choose another model', () => {
    for (const raw of [lmError('Blocked', 'blocked'), lmError('Unknown', 'You have exceeded your premium request quota'), new Error('429 Too Many Requests')]) {
      const err = explainLanguageModelError(raw, 'GPT-4o') as AnalystError;
      assert.match(err.message, /quota or rate limit/);
      assert.match(err.fix ?? '', /Wait and run again, or choose another model/);
      assert.equal(err.remedy, 'choose-model');
    }
  });

  it('a model gone (NotFound): choose another', () => {
    const err = explainLanguageModelError(lmError('NotFound'), 'GPT-4o') as AnalystError;
    assert.match(err.message, /no longer available/);
    assert.equal(err.remedy, 'choose-model');
  });

  it('anything else: the message, and try again', () => {
    const err = explainLanguageModelError(new Error('socket hang up'), 'GPT-4o') as AnalystError;
    assert.equal(err.message, 'The chat model GPT-4o failed: socket hang up');
    assert.equal(err.remedy, 'retry');
    const own = new AnalystError('already explained');
    assert.equal(explainLanguageModelError(own, 'x'), own);
  });

  it('no model: no API, none offered, or none matching the setting (naming what there is)', () => {
    assert.match(noChatModelError('', [], false).message, /no language model API/);
    assert.match(noChatModelError('', [], true).fix ?? '', /GitHub Copilot/);
    const none = noChatModelError('copilot/o9', ['copilot/gpt-4o'], true);
    assert.match(none.message, /No VS Code chat model matches "copilot\/o9" \(available: copilot\/gpt-4o\)/);
    assert.equal(none.remedy, 'choose-model');
  });
});
