// Each event is appended to a JSONL file as it happens, with a synchronous write, so a run that is killed
// half-way is still on disk up to its last event.
import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisEvent } from './events.js';

export class TranscriptWriter {
  private fd: number | undefined;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
    // A run killed mid-write left a torn last line: end it, so this run's first event is a line of its own.
    if (!endsWithNewline(file)) fs.writeSync(this.fd, '\n');
  }

  append(event: AnalysisEvent): void {
    if (this.fd === undefined) return;
    fs.writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

function endsWithNewline(file: string): boolean {
  const size = fs.statSync(file).size;
  if (size === 0) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a transcript back; a torn last line (the process died mid-write) is skipped, not fatal. */
export function readTranscript(file: string): AnalysisEvent[] {
  const events: AnalysisEvent[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as AnalysisEvent);
    } catch {
      // an unfinished last line
    }
  }
  return events;
}
