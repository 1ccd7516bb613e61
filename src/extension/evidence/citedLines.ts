// Which lines of which log files a report cites, where they are in a document now, and what their hover says:
// the pure half of the editors' gutter marks (citedLineMarks.ts draws them). Plain Node, no vscode.
import { escapeMarkdown } from '../../engine/report/markdown.js';
import type { Report } from '../../engine/report/schema.js';
import { locateInLines } from './logLocator.js';

export const OPEN_RUN_COMMAND = 'incidentAnalyzer.openRun';
const INCIDENT_CHARS = 60;

export interface CitedLine {
  /** 1-based, as cited. */
  line: number;
  /** The text the report quotes, to re-find the line when lines above it were added or removed. */
  quote?: string;
  /** The evidence ids citing this line, in report order (two citations can name one line). */
  ids: string[];
}

/**
 * The report's log-file citations by file id (as the logs tools name it), then by line. Only verified ones: an
 * unverified citation is one whose quote was not on the cited line, so there is no line to mark honestly.
 * Lines from a log store (a stream and a time, no line number) are not in any file an editor shows.
 */
export function citedLogLines(report: Report): Map<string, CitedLine[]> {
  const byFile = new Map<string, CitedLine[]>();
  for (const e of report.evidence) {
    if (e.kind !== 'log' || !e.verified || !e.file || !e.line || e.timeNs) continue;
    const lines = byFile.get(e.file) ?? [];
    const same = lines.find((l) => l.line === e.line);
    if (same) same.ids.push(e.id);
    else lines.push({ line: e.line, quote: e.text, ids: [e.id] });
    byFile.set(e.file, lines);
  }
  return byFile;
}

/**
 * Where each cited line is in a document now, by the evidence opener's rule (logLocator): the cited line if it
 * still says the quote, else the one line that does; a line that no longer says it gets no mark.
 */
export function markedLines(lineCount: number, lineAt: (line: number) => string, cited: readonly CitedLine[]): Map<number, string[]> {
  const marks = new Map<number, string[]>();
  for (const c of cited) {
    const where = locateInLines(lineCount, lineAt, c.line, c.quote);
    if (where.status !== 'ok' && where.status !== 'moved') continue;
    marks.set(where.line, [...(marks.get(where.line) ?? []), ...c.ids]);
  }
  return marks;
}

/**
 * The hover of a marked line: which evidence, in which report, and a link that opens it. The incident is the
 * user's text and the ids the analyst's: both are escaped, so only the one command link is a link.
 */
export function hoverMarkdown(ids: readonly string[], incident: string, runId: string): string {
  const short = incident.length > INCIDENT_CHARS ? `${incident.slice(0, INCIDENT_CHARS - 1)}…` : incident;
  const link = `command:${OPEN_RUN_COMMAND}?${encodeURIComponent(JSON.stringify([runId]))}`;
  return `Cited as ${ids.map(escapeMarkdown).join(', ')} in ‘${escapeMarkdown(short)}’ · [Open the report](${link})`;
}
