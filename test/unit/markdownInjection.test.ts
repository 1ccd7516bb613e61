// The report renderer against hostile text in every field: whatever logs, commits or a model put there, the
// Markdown shows it as written. Rendered with markdown-it at its most permissive (raw HTML on, bare URLs linked, as
// GitHub and other viewers behave), the only links are the renderer's own and no element comes from the data.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { codeSpan, renderMarkdown } from '../../src/engine/report/markdown';
import { CATEGORIES, type Report, type VerifiedEvidence } from '../../src/engine/report/schema';

const HOSTILE = [
  'a `` b [x](command:workbench.action.terminal.new) c',
  '``` fenced ```',
  '` <img src=x onerror=alert(1)> `',
  '<script>alert(1)</script>',
  '![img](https://evil.example/x.png)',
  'see https://evil.example/steal?c=1 and www.evil.example',
  '[link][ref]\n\n[ref]: https://evil.example',
  '<https://evil.example>',
  '**bold** _em_ ~~gone~~ | table | cell |',
  '&lt;img src=x onerror=alert(1)&gt; &#60;b&#62;',
  '\u001b]52;c;ZXZpbA==\u0007 clipboard write \u001b]0;title\u0007 \u009b31m',
  '\\`` escaped backticks \\',
  '\n# heading\n- list\n> quote\n<div>block</div>',
  '`',
  '',
  ' x ',
];

function reportWith(text: string, i: number): Report {
  const pick = (k: number) => HOSTILE[(i + k) % HOSTILE.length]!;
  const evidence: VerifiedEvidence[] = [
    { id: pick(1), kind: 'log', file: pick(2), line: 3, text: text, verified: false, verification: pick(3) },
    { id: 'E2', kind: 'log', file: pick(4), timeNs: pick(5), text: pick(6), verified: true },
    { id: 'E3', kind: 'commit', hash: pick(7), text: text, verified: true },
    { id: 'E4', kind: 'metric', metric: pick(8), service: text, timestamp: pick(9), value: 3, verified: true },
    { id: 'E5', kind: 'deployment', version: text, verified: false, verification: text },
  ];
  return {
    incident: text,
    analyst: pick(10),
    rootCause: {
      summary: text,
      category: CATEGORIES[i % CATEGORIES.length]!,
      confidence: 'low',
      suspectCommit: pick(7),
      suspectDeployment: text,
      onset: text,
    },
    timeline: [{ time: text, description: pick(11), evidence: [pick(1), 'E2', 'E3', 'E4', 'E5'] }],
    evidence,
    recommendations: [text, pick(12)],
    toolCalls: [
      { server: 'metrics', tool: 'get_error_rates', arguments: {}, durationMs: 1, isError: true, error: text },
      { server: pick(13), tool: pick(14), arguments: {}, durationMs: 1, isError: true, error: pick(15) },
    ],
  };
}

describe('report renderer against hostile text', () => {
  const md = new MarkdownIt({ html: true, linkify: true });

  it('code spans are never closed by the text they hold', () => {
    for (const text of HOSTILE) {
      const html = md.renderInline(codeSpan(text));
      const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/\r?\n/g, ' ');
      if (clean.trim() === '') continue;
      assert.match(html, /^<code>[^<]*<\/code>$/, `one code element for ${JSON.stringify(text)}: ${html}`);
      const decoded = html.replace(/^<code>|<\/code>$/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
      assert.equal(decoded, clean.trim() === clean ? clean : decoded, `shown as written: ${JSON.stringify(text)}`);
    }
  });

  it('every field of a report holds hostile text and renders as text only', () => {
    for (let i = 0; i < HOSTILE.length; i++) {
      const markdown = renderMarkdown(reportWith(HOSTILE[i]!, i));
      assert.doesNotMatch(markdown, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `no control characters (case ${i})`);
      const html = md.render(markdown);
      const elements = new Set([...html.matchAll(/<([a-z0-9]+)[\s>]/gi)].map((m) => m[1]!.toLowerCase()));
      const allowed = new Set(['h1', 'h2', 'p', 'ul', 'li', 'strong', 'code', 'em']);
      for (const element of elements) assert.ok(allowed.has(element), `case ${i}: <${element}> came from the data:\n${markdown}\n${html}`);
      assert.doesNotMatch(html, /<[^>]+\s(href|src|on\w+)="/i, `case ${i}: no link, image or handler attribute from the data`);
    }
  });

  it("keeps the renderer's own evidence links, and only those", () => {
    const markdown = renderMarkdown(reportWith(HOSTILE[0]!, 0), { linkFor: (e) => `#evidence-${encodeURIComponent(e.id)}` });
    const hrefs = [...md.render(markdown).matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(hrefs.length >= 5);
    for (const href of hrefs) assert.match(href, /^#evidence-/);
  });

  it('says which evidence failed calls left out, and why', () => {
    const markdown = renderMarkdown(reportWith('upstream said 503', 3));
    assert.match(markdown, /## What is missing/);
    assert.match(markdown, /`metrics\.get_error_rates`: The error rate could not be read: the onset rests on other signals\. It said: upstream said 503/);
  });
});
