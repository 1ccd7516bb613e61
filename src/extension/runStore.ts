// The runs of this workspace: the ones in memory, and the transcripts saved in the workspace's storage, so
// "Past analyses" survives a reload. Plain Node (no vscode) so it can be tested outside the editor.
import fs from 'node:fs';
import path from 'node:path';
import { readTranscript } from '../engine/analysis/transcript.js';
import { RunModel } from './runModel.js';

export interface PastRun {
  runId: string;
  file: string;
  incident: string;
  startedAt: string;
  status: RunModel['status'];
  /** Root-cause category, when the run produced a report. */
  category?: string;
}

const RUN_FILE = /^(\d{8}T\d{6}Z)-([A-Za-z0-9-]+)\.jsonl$/;

export class RunStore {
  private readonly live = new Map<string, RunModel>();
  private readonly pastCache = new Map<string, { mtimeMs: number; past: PastRun | undefined }>();

  constructor(readonly dir: string | undefined) {}

  /** Where a new run's transcript goes (none when the workspace has no storage, e.g. no folder is open). */
  transcriptPathFor(runId: string, startedAt = new Date()): string | undefined {
    if (!this.dir) return undefined;
    const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return path.join(this.dir, `${stamp}-${runId}.jsonl`);
  }

  add(run: RunModel): void {
    this.live.set(run.runId, run);
  }

  /** A run by id: from memory, else read back from its transcript. */
  get(runId: string): RunModel | undefined {
    const live = this.live.get(runId);
    if (live) return live;
    const file = this.fileOf(runId);
    if (!file) return undefined;
    const run = RunModel.fromEvents(runId, readTranscript(file), file);
    this.live.set(runId, run);
    return run;
  }

  liveRuns(): RunModel[] {
    return [...this.live.values()];
  }

  /** Saved runs, newest first. Unreadable or empty transcripts are left out. */
  past(): PastRun[] {
    if (!this.dir || !fs.existsSync(this.dir)) return [];
    const out: PastRun[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const m = RUN_FILE.exec(name);
      if (!m) continue;
      const file = path.join(this.dir, name);
      const past = this.summaryOf(file, m[2]!);
      if (past) out.push(past);
    }
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  delete(runId: string): void {
    const file = this.fileOf(runId);
    if (file) fs.rmSync(file, { force: true });
    this.live.delete(runId);
  }

  private fileOf(runId: string): string | undefined {
    if (!this.dir || !/^[A-Za-z0-9-]+$/.test(runId) || !fs.existsSync(this.dir)) return undefined;
    const name = fs.readdirSync(this.dir).find((n) => n.endsWith(`-${runId}.jsonl`));
    return name ? path.join(this.dir, name) : undefined;
  }

  private summaryOf(file: string, runId: string): PastRun | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.pastCache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.past;
    const run = this.live.get(runId) ?? RunModel.fromEvents(runId, readTranscript(file), file);
    const past = run.incident
      ? { runId, file, incident: run.incident, startedAt: run.startedAt, status: run.status, category: run.report?.rootCause.category }
      : undefined;
    this.pastCache.set(file, { mtimeMs, past });
    return past;
  }
}
