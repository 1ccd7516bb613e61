// Reads the example records of the new error patterns whole (a stack trace follows its first line) and collects
// the code locations and libraries they name, so commits can be tied to where the errors happen.
import type { AnalystTools } from '../../analysis/analyst.js';
import type { IncidentTemplate } from './logChanges.js';
import { framesIn, type StackFrame } from './stackFrames.js';
import { callFor } from './toolAccess.js';

export interface ErrorSites {
  frames: StackFrame[];
  /** Libraries the errors name: frames inside them, and "No module named x" / "Cannot find module 'x'". */
  libraries: string[];
  /** The errors say code called an API that is not there (or not like that): what a library's new version does. */
  apiMismatch: boolean;
  /**
   * The exception lines of the records ("System.InvalidOperationException: missing required setting X"), with the
   * count of their pattern: a record whose first line only says "An unhandled exception has occurred" says what
   * failed on the next one.
   */
  details: Array<{ text: string; count: number }>;
}

const TEMPLATES_READ = 3;
/** A trace rarely runs longer; past this, the frames are the runtime's. */
const RECORD_LINES = 40;
/** Enough of a structured record to hold its stack trace (read_logs shows 500 characters unless asked). */
const RECORD_CHARS = 16_384;
/** The start of the next record: a timestamp, a JSON object, a logfmt time, a bracketed date. */
const NEW_RECORD = /^(\{|\[?\d{4}-\d{2}-\d{2}|\[?\d{2}\/\w{3}\/\d{4}|(time|ts)=|[A-Z][a-z]{2} [ \d]\d \d{2}:|\d{2}:\d{2}:\d{2})/;
const API_MISMATCH = /has no attribute|is not a function|is not a constructor|unexpected keyword argument|positional arguments? but|missing \d+ required positional|NoSuchMethodError|NoSuchFieldError|AbstractMethodError|cannot import name|ImportError|undefined method|has no method|no exported member/i;
const NAMED_MODULE = /(?:No module named|Cannot find module|cannot import name \S+ from|ModuleNotFoundError:|LoadError: cannot load such file --)\s*['"]?([@\w.\/-]+)/g;

export async function errorSitesOf(tools: AnalystTools, templates: readonly IncidentTemplate[]): Promise<ErrorSites> {
  const errors = templates.filter((t) => t.level === 'error' || t.level === 'fatal').slice(0, TEMPLATES_READ);
  const texts = await Promise.all(errors.map((t) => recordText(tools, t)));
  const all = texts.join('\n');
  const details = errors.flatMap((t, i) => exceptionLines(texts[i]!).map((text) => ({ text, count: t.count })));
  const frames = framesIn(all);
  const libraries = new Set(frames.flatMap((f) => (f.library ? [f.library] : [])));
  for (const m of all.matchAll(NAMED_MODULE)) libraries.add(m[1]!.split('.')[0]!.toLowerCase());
  return { frames, libraries: [...libraries], apiMismatch: API_MISMATCH.test(all), details };
}

/** A continuation line that names an exception: `java.lang.X: msg`, `Caused by: …`, Python's `KeyError: 'x'`. */
const EXCEPTION_LINE = /^\s*(?:Caused by:\s*)?(?:[\w$]+\.)*[\w$]*(?:Exception|Error|Fault)\b:?.*$/;
const MAX_DETAILS = 3;

function exceptionLines(record: string): string[] {
  const lines = record.split('\n').slice(1).filter((l) => EXCEPTION_LINE.test(l) && !/^\s*at\s/.test(l));
  return [...new Set(lines.map((l) => l.trim()))].slice(0, MAX_DETAILS);
}

/** The example record of a template, with the continuation lines of a multi-line record. */
async function recordText(tools: AnalystTools, template: IncidentTemplate): Promise<string> {
  const example = template.examples[0];
  if (!example || example.line === undefined) return template.template;
  const page = await callFor<{ lines: Array<{ line: number; text: string }> }>(tools, 'read_logs', { file: example.file, offset: example.line, limit: RECORD_LINES, max_line_chars: RECORD_CHARS });
  const lines = page?.lines ?? [];
  const record = [lines[0]?.text ?? template.template];
  for (const { text } of lines.slice(1)) {
    if (NEW_RECORD.test(text)) break;
    record.push(text);
  }
  return record.join('\n');
}
