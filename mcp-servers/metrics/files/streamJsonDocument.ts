// Reads our JSON document ({"metrics": [ {...}, ... ]}) entry by entry, without the whole JSON tree in memory: a small
// scanner over the text, fed in chunks, finds each element of the top-level "metrics" array and JSON.parses it alone
// into the same collector the whole-document parser uses, so the series, notes and errors are the same.
//
// The scanner accepts only what JSON.parse would: each element is parsed on its own, the separators between them are
// checked, and everything outside the array (the "skeleton", with the array emptied) is parsed at the end. Anything
// else - a syntax error, a truncated file, another shape, a second "metrics" key - makes it give up (`undefined`), and
// the caller parses the whole text as before, which gives today's exact message.
import fs from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { MetricsEntryCollector } from '../parseMetricsDocument.js';
import type { ParsedMetrics } from './seriesSet.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** A document with more than this outside its "metrics" array is not our shape: left to the whole-text parser. */
const MAX_SKELETON_CHARS = 1 << 20;
const CHUNK_BYTES = 4 << 20;

export class MetricsDocumentScanner {
  private readonly collector: MetricsEntryCollector;
  private buf = '';
  private pos = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private first = true;
  private failed = false;
  /** Text outside the metrics array's contents, with the array emptied. */
  private skeleton = '';
  private skeletonFrom = 0;
  /** Start of the current depth-1 string (a key, or a value) in `buf`. */
  private stringStart = -1;
  private lastString: string | undefined;
  private currentKey: string | undefined;
  private inMetrics = false;
  private metricsSeen = false;
  private elementStart = 0;
  private elements = 0;
  private commaPending = false;

  constructor(label: string) {
    this.collector = new MetricsEntryCollector(label);
  }

  /** Feeds the next piece of text; false once the text is not our document (stop reading, parse it whole instead). */
  push(text: string): boolean {
    if (this.failed) return false;
    if (this.first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM
      const start = text.search(/\S/);
      if (start < 0) {
        this.skeleton += text;
        return this.skeleton.length <= MAX_SKELETON_CHARS || this.fail();
      }
      this.first = false;
      if (text.charCodeAt(start) !== OPEN_BRACE) return this.fail();
    }
    this.buf += text;
    this.scan();
    if (this.failed) return false;
    // Keep only what is unfinished: the current element, or a depth-1 string not yet closed.
    let cut = this.buf.length;
    if (this.inMetrics) cut = this.elementStart;
    else {
      if (this.inString && this.depth === 1) cut = this.stringStart;
      this.skeleton += this.buf.slice(this.skeletonFrom, cut);
      if (this.skeleton.length > MAX_SKELETON_CHARS) return this.fail();
      this.skeletonFrom = 0;
      if (this.stringStart >= 0) this.stringStart -= cut;
    }
    this.buf = this.buf.slice(cut);
    this.pos -= cut;
    this.elementStart -= cut;
    return true;
  }

  /** The parsed metrics, or undefined when the text must be parsed whole. Throws the collector's UserErrors. */
  end(): ParsedMetrics | undefined {
    if (this.failed || this.first || this.depth !== 0 || this.inString || !this.metricsSeen) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(this.skeleton + this.buf.slice(this.skeletonFrom));
    } catch {
      return undefined;
    }
    if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as Record<string, unknown>).metrics)) return undefined;
    return this.collector.finish();
  }

  private fail(): false {
    this.failed = true;
    this.buf = '';
    this.skeleton = '';
    return false;
  }

  private scan(): void {
    const buf = this.buf;
    const n = buf.length;
    let i = this.pos;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    const done = (ok: boolean): void => {
      this.pos = i;
      this.depth = depth;
      this.inString = inString;
      this.escape = escape;
      if (!ok) this.fail();
    };
    for (; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (inString) {
        if (escape) escape = false;
        else if (c === BACKSLASH) escape = true;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 1 && !this.inMetrics) {
            try {
              this.lastString = JSON.parse(buf.slice(this.stringStart, i + 1)) as string;
            } catch {
              return done(false);
            }
            this.stringStart = -1;
          }
        }
        continue;
      }
      switch (c) {
        case QUOTE:
          inString = true;
          if (depth === 1 && !this.inMetrics) this.stringStart = i;
          break;
        case COLON:
          if (depth === 1) this.currentKey = this.lastString;
          break;
        case COMMA:
          if (depth === 1) this.currentKey = undefined;
          else if (depth === 2 && this.inMetrics && !this.element(buf, i, false)) return done(false);
          break;
        case OPEN_BRACE:
          depth++;
          break;
        case CLOSE_BRACE:
          if (--depth < 0) return done(false);
          break;
        case OPEN_BRACKET:
          depth++;
          if (depth === 2 && this.currentKey === 'metrics') {
            if (this.metricsSeen) return done(false);
            this.metricsSeen = true;
            this.inMetrics = true;
            this.skeleton += buf.slice(this.skeletonFrom, i + 1);
            this.elementStart = i + 1;
          }
          break;
        case CLOSE_BRACKET:
          if (depth === 2 && this.inMetrics) {
            if (!this.element(buf, i, true)) return done(false);
            this.inMetrics = false;
            this.skeletonFrom = i;
          }
          if (--depth < 0) return done(false);
          break;
      }
    }
    done(true);
  }

  /** The element that ends at `end` (a comma, or the array's closing bracket when `last`). */
  private element(buf: string, end: number, last: boolean): boolean {
    const text = buf.slice(this.elementStart, end);
    this.elementStart = end + 1;
    if (text.trim() === '') {
      // `[]` is an empty array; an empty element anywhere else is a stray comma.
      return last && this.elements === 0 && !this.commaPending;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return false;
    }
    this.collector.add(entry, this.elements++);
    this.commaPending = !last;
    return true;
  }
}

/** Streams a metrics file through the scanner; undefined when it is not our JSON document or not valid JSON. */
export async function streamMetricsDocument(file: string, label: string): Promise<ParsedMetrics | undefined> {
  const scanner = new MetricsDocumentScanner(label);
  const handle = await fs.open(file, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      if (!scanner.push(decoder.write(chunk.subarray(0, bytesRead)))) return undefined;
    }
    if (!scanner.push(decoder.end())) return undefined;
  } finally {
    await handle.close();
  }
  return scanner.end();
}

/** The same over text already in memory, in pieces of `chunkChars` (for tests of chunk boundaries). */
export function scanMetricsText(text: string, label: string, chunkChars = CHUNK_BYTES): ParsedMetrics | undefined {
  const scanner = new MetricsDocumentScanner(label);
  for (let i = 0; i < text.length; i += chunkChars) if (!scanner.push(text.slice(i, i + chunkChars))) return undefined;
  return scanner.end();
}
