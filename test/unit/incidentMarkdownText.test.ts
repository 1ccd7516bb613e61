// The postmortem's text escaping: whatever a report or a person wrote, at the start of a line or inside one,
// comes out as one paragraph of the same text, with plain words left readable.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { inline } from '../../mcp-servers/incidents/markdownText';

const render = (markdown: string) => new MarkdownIt({ html: true, linkify: true }).render(markdown).trim();
const text = (html: string) => html.replace(/^<p>|<\/p>$/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe('postmortem text (inline Markdown escaping)', () => {
  const hostile = [
    '# not a heading',
    '- not a list',
    '+ nor this',
    '12. not an ordered list',
    '3) nor this',
    '=== not a setext rule',
    '> not a quote',
    '***',
    '[click](javascript:alert(1)) and ![img](x.png)',
    '<img src=x onerror=alert(1)> &amp; <b>bold</b>',
    'see https://evil.example/x and www.evil.example',
    '`code` *em* _em_ ~~strike~~ | a | b |',
    'line one\nline two',
  ];
  for (const input of hostile) {
    it(`shows ${JSON.stringify(input)} as written, in one paragraph`, () => {
      const html = render(inline(input));
      assert.match(html, /^<p>[^<]*<\/p>$/, html);
      assert.equal(text(html), input.replace(/\s*\n\s*/g, ' '));
    });
  }

  it('leaves ordinary punctuation alone, so the file reads well', () => {
    assert.equal(inline('Pool cut to 5 in v2.14.0 (2026-02-17): 38% errors, p95 1.2 s.'), 'Pool cut to 5 in v2.14.0 (2026-02-17): 38% errors, p95 1.2 s.');
  });
});
