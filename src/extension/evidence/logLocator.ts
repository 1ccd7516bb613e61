// Where a cited log line is now. Logs get appended to, rotated and rewritten; opening the file at the cited
// number without checking would show the wrong line as evidence. Plain Node, no vscode.
import fs from 'node:fs';
import { lineMatchesQuote } from '../../engine/report/verifier.js';

export type LogLocation =
  | { status: 'ok'; line: number; text: string }
  /** The quoted text is now on another line (e.g. lines were inserted above it). */
  | { status: 'moved'; line: number; text: string; message: string }
  /** The cited line no longer says what was quoted, and the quote is nowhere else in the file. */
  | { status: 'stale'; line: number; text: string; message: string }
  | { status: 'missing'; message: string };

/** Calls `visit(text, lineNumber)` for each line (split on \n, as the logs server counts) until it returns false. */
async function eachLine(file: string, visit: (text: string, line: number) => boolean): Promise<number> {
  let carry = '';
  let line = 0;
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (carry + chunk).split('\n');
      carry = parts.pop()!;
      for (const text of parts) if (!visit(text.replace(/\r$/, ''), ++line)) return line;
    }
    if (carry !== '' && !visit(carry.replace(/\r$/, ''), ++line)) return line;
    return line;
  } finally {
    stream.destroy();
  }
}

export async function locateLogLine(file: string, line: number, quote: string | undefined): Promise<LogLocation> {
  if (!fs.existsSync(file)) return { status: 'missing', message: `${file} no longer exists.` };
  let atLine: string | undefined;
  const total = await eachLine(file, (text, n) => {
    if (n === line) atLine = text;
    return n < line;
  });
  const there = atCitedLine(line, atLine, total, quote);
  if (there) return there;

  const found: Array<{ line: number; text: string }> = [];
  await eachLine(file, (text, n) => {
    if (lineMatchesQuote(text, quote!)) found.push({ line: n, text });
    return found.length < 2;
  });
  return elsewhere(line, atLine, found);
}

/** The same rule over lines already in memory, e.g. an editor's document that is being edited. */
export function locateInLines(documentLines: number, lineAt: (line: number) => string, line: number, quote: string | undefined): LogLocation {
  // An editor counts the empty line after a final newline; the file reader (and the logs server) do not.
  const lineCount = documentLines > 0 && lineAt(documentLines) === '' ? documentLines - 1 : documentLines;
  const atLine = line >= 1 && line <= lineCount ? lineAt(line) : undefined;
  const there = atCitedLine(line, atLine, lineCount, quote);
  if (there) return there;
  const found: Array<{ line: number; text: string }> = [];
  for (let n = 1; n <= lineCount && found.length < 2; n++) {
    const text = lineAt(n);
    if (lineMatchesQuote(text, quote!)) found.push({ line: n, text });
  }
  return elsewhere(line, atLine, found);
}

/** The cited line still says what was quoted (or there is no quote to look for elsewhere): no search needed. */
function atCitedLine(line: number, atLine: string | undefined, total: number, quote: string | undefined): LogLocation | undefined {
  if (atLine === undefined && !quote) return { status: 'missing', message: `The file has ${total} lines now; line ${line} is gone.` };
  if (atLine !== undefined && (!quote || lineMatchesQuote(atLine, quote))) return { status: 'ok', line, text: atLine };
  return undefined;
}

/** Otherwise the quote counts only if exactly one other line holds it. */
function elsewhere(line: number, atLine: string | undefined, found: Array<{ line: number; text: string }>): LogLocation {
  if (found.length === 1) {
    const [now] = found as [{ line: number; text: string }];
    return { status: 'moved', line: now.line, text: now.text, message: `The log changed since the analysis: the cited line ${line} is now line ${now.line}.` };
  }
  const why = found.length > 1 ? 'and the quoted text is on several other lines' : 'and the quoted text is not in the file any more';
  if (atLine === undefined) return { status: 'missing', message: `The log changed since the analysis: it has no line ${line} now, ${why}.` };
  return { status: 'stale', line, text: atLine, message: `The log changed since the analysis: line ${line} no longer holds the cited text, ${why}.` };
}
