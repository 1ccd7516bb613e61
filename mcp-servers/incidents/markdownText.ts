// Text from incidents, reports, logs and models put into Markdown as text: it can never become a link, an image,
// HTML or a heading in the postmortem.

/**
 * Plain text on one line, escaped where Markdown would read syntax: anywhere, what makes emphasis, code, links
 * and images, HTML and entities, tables and strike-through, and bare URLs ("https\\://" is not one); at the start,
 * what would make the line a heading, list, quote or rule. Other characters stay as they are, so the file
 * still reads well where people edit it.
 */
export function inline(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\\`*_{}[\]<>|~&!]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, '\\://')
    .replace(/^(\s*)(#|[-+=]|\d+(?=[.)]))/, (_all, space: string, marker: string) => (/^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`));
}

/** Text as a code span, fenced by a backtick run longer than any it holds. */
export function code(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${clean} ${fence}`;
}

/** Several lines of text as a fenced block. */
export function block(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')}\n${fence}`;
}
