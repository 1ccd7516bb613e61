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
