// What every logs tool needs: the catalog of files, the year for yearless formats, this bundle's path, and the
// ripgrep binary for literal searches (if there is one).
import type { LogCatalog, LogFile } from './catalog.js';
import { referenceYear } from './referenceYear.js';
import os from 'node:os';
import { Semaphore } from '../common/semaphore.js';
import type { RipgrepBinary } from './ripgrep/locate.js';

export class LogsContext {
  private year: { key: string; value: Promise<number> } | undefined;
  /** Searches that run at once (regex workers and rg processes alike): one per CPU; the others wait their turn. */
  readonly searchSlots = new Semaphore(Math.max(1, os.availableParallelism?.() ?? os.cpus().length));

  constructor(
    readonly catalog: LogCatalog,
    /** The script a worker thread runs for regex searches: this server's own bundle. */
    readonly workerScript: string,
    /** ripgrep for literal searches; cleared after it fails, so later searches go straight to JavaScript. */
    public ripgrep?: RipgrepBinary,
  ) {}

  /** The year for syslog lines, recomputed only when the set of files changes. */
  referenceYear(files: readonly LogFile[] = this.catalog.files()): Promise<number> {
    const key = files.map((f) => `${f.id}:${f.mtimeMs}`).join('|');
    if (this.year?.key !== key) this.year = { key, value: referenceYear(files) };
    return this.year.value;
  }
}
