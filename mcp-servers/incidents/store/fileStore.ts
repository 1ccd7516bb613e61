// Incidents as journal files in the workspace: .incident-analyzer/incidents/INC-7.jsonl, one JSON entry per line,
// only ever appended to, so they read and diff well in git. A change is decided and appended under a lock file;
// a line left half-written by a crash is never read, and is cut off before the next append.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../common/result.js';
import type { SourceHealth } from '../../common/http/httpService.js';
import { incidentFromJournal, summaryOf, type Change, type Incident, type IncidentSummary, type JournalEntry, type NewIncident, type Status } from '../model.js';
import { INCIDENT_ID_PATTERN, incidentId, noSuchIncident, refuseNul, type IncidentStore } from './incidentStore.js';
import { withFileLock } from './fileLock.js';

export class FileIncidentStore implements IncidentStore {
  readonly folder: string;

  constructor(workspace: string) {
    this.folder = path.join(path.resolve(workspace), '.incident-analyzer', 'incidents');
  }

  describe(): string {
    return `journal files in ${this.folder}`;
  }

  async health(): Promise<SourceHealth> {
    try {
      fs.mkdirSync(this.folder, { recursive: true });
      fs.accessSync(this.folder, fs.constants.W_OK);
      return { kind: 'incident files', ok: true, detail: this.describe() };
    } catch (err) {
      return { kind: 'incident files', ok: false, detail: `cannot write to ${this.folder}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
  }

  async create(incident: NewIncident, author: string): Promise<Incident> {
    refuseNul({ incident, author });
    fs.mkdirSync(this.folder, { recursive: true });
    const entry: JournalEntry = { seq: 1, at: new Date().toISOString(), author, kind: 'created', data: { ...incident } };
    // Written whole to a private name, then linked to the first free INC-n: the link either appears with the whole
    // entry or fails with EEXIST (another writer took that number), so no reader ever sees a journal half made.
    const draft = path.join(this.folder, `.draft-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(draft, `${JSON.stringify(entry)}\n`, { flag: 'wx' });
    try {
      for (let n = this.highestNumber() + 1; ; n++) {
        const id = incidentId(n);
        try {
          fs.linkSync(draft, this.journalPath(id));
          return incidentFromJournal(id, [entry]);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }

  async get(id: string): Promise<Incident | undefined> {
    if (!INCIDENT_ID_PATTERN.test(id)) return undefined;
    const journal = this.readJournal(id);
    return journal && incidentFromJournal(id, journal);
  }

  async list(filter: { status?: Status; limit: number }): Promise<IncidentSummary[]> {
    const out: IncidentSummary[] = [];
    for (const id of this.ids().sort((a, b) => numberOf(b) - numberOf(a))) {
      if (out.length >= filter.limit) break;
      const incident = await this.get(id);
      if (!incident || (filter.status && incident.status !== filter.status)) continue;
      out.push(summaryOf(incident));
    }
    return out;
  }

  async change(id: string, change: Change): Promise<Incident> {
    if (!INCIDENT_ID_PATTERN.test(id) || !fs.existsSync(this.journalPath(id))) throw noSuchIncident(id);
    return withFileLock(path.join(this.folder, `${id}.lock`), async () => {
      const file = this.journalPath(id);
      cutUnfinishedLine(file);
      const journal = this.readJournal(id)!;
      const current = incidentFromJournal(id, journal);
      const at = new Date().toISOString();
      const added = change(current).map((e, i): JournalEntry => ({ ...e, seq: journal.length + 1 + i, at }));
      if (added.length === 0) return current;
      refuseNul(added);
      // One write of whole lines, flushed before the lock is released.
      const fd = fs.openSync(file, 'a');
      try {
        fs.writeSync(fd, added.map((e) => `${JSON.stringify(e)}\n`).join(''));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return incidentFromJournal(id, [...journal, ...added]);
    });
  }

  async close(): Promise<void> {}

  private journalPath(id: string): string {
    return path.join(this.folder, `${id}.jsonl`);
  }

  private ids(): string[] {
    if (!fs.existsSync(this.folder)) return [];
    return fs
      .readdirSync(this.folder)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .filter((id) => INCIDENT_ID_PATTERN.test(id));
  }

  private highestNumber(): number {
    return this.ids().reduce((max, id) => Math.max(max, numberOf(id)), 0);
  }

  /** The complete entries of a journal; undefined when there is no such incident. */
  private readJournal(id: string): JournalEntry[] | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.journalPath(id), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1); // a last line without its newline is unfinished
    return complete
      .split('\n')
      .filter(Boolean)
      .map((line, i) => {
        try {
          return JSON.parse(line) as JournalEntry;
        } catch {
          throw new UserError(
            `line ${i + 1} of ${this.journalPath(id)} is not a journal entry; the file was changed by hand. Restore it (e.g. from git) and try again.`,
          );
        }
      });
  }
}

function numberOf(id: string): number {
  return Number(id.slice('INC-'.length));
}

/** A crash while appending can leave a line without its newline: it was never acknowledged, so it goes. */
function cutUnfinishedLine(file: string): void {
  const text = fs.readFileSync(file);
  const end = text.lastIndexOf(0x0a) + 1;
  if (end < text.length) fs.truncateSync(file, end);
}
