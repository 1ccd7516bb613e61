// A MetricSource backed by one metrics file, re-read whenever its modification time or size changes. The file is our
// JSON document, a saved Prometheus query_range answer, Prometheus/OpenMetrics text or CSV, told by its content (files/).
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../common/result.js';
import { logToStderr } from '../common/stdio.js';
import { readRange } from './files/bucketing.js';
import { parseMetricsFile } from './files/parseMetricsFile.js';
import { streamMetricsDocument } from './files/streamJsonDocument.js';
import type { ParsedMetrics } from './files/seriesSet.js';
import type { MetricCatalog, MetricSeries, MetricSource, SeriesQuery } from './source.js';

/**
 * Larger files are refused: point the server at a narrower export. Our JSON document is streamed entry by entry into
 * typed arrays (about 16 bytes a value), but the other formats, and any JSON the streaming reader gives up on (to
 * report a syntax error in today's words), are still read as one string, which this keeps well within V8's limit.
 */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

interface Loaded {
  mtimeMs: number;
  size: number;
  result: ParsedMetrics | UserError;
}

export class JsonFileMetricSource implements MetricSource {
  readonly label: string;
  private readonly file: string;
  private loaded: Loaded | undefined;

  constructor(file: string) {
    this.file = path.resolve(file);
    this.label = `metrics file ${this.file}`;
  }

  async catalog(): Promise<MetricCatalog> {
    return (await this.load()).catalog;
  }

  /**
   * Each matching series inside the bounds. With `maxPoints` (or `minStepMs`) a range that holds more points (or finer
   * ones) comes back as the means of round, aligned steps, and the series says the step; otherwise exactly as stored.
   */
  async read(query: SeriesQuery): Promise<MetricSeries[]> {
    const wanted = new Set(query.metrics);
    const { since = -Infinity, until = Infinity } = query;
    const out: MetricSeries[] = [];
    for (const series of (await this.load()).series) {
      if (!wanted.has(series.metric)) continue;
      if (query.service !== undefined && series.service !== query.service) continue;
      const range = readRange(series, since, until, query.maxPoints, query.minStepMs);
      if (range.points.length === 0) continue;
      out.push({
        metric: series.metric,
        ...(series.service !== undefined && { service: series.service }),
        points: range.points,
        ...(range.stepMs !== undefined && { stepMs: range.stepMs, rawCount: range.rawCount }),
      });
    }
    return out;
  }

  private async load(): Promise<ParsedMetrics> {
    const stat = await this.stat();
    if (!this.loaded || this.loaded.mtimeMs !== stat.mtimeMs || this.loaded.size !== stat.size) {
      this.loaded = { mtimeMs: stat.mtimeMs, size: stat.size, result: await this.parse(stat.size) };
      const { result } = this.loaded;
      logToStderr('metrics', result instanceof UserError ? `cannot use ${this.file}: ${result.message}` : `loaded ${this.file}`);
    }
    if (this.loaded.result instanceof UserError) throw this.loaded.result;
    return this.loaded.result;
  }

  private async stat(): Promise<{ mtimeMs: number; size: number }> {
    try {
      const stat = await fs.stat(this.file);
      if (!stat.isFile()) throw new UserError(`The ${this.label} is not a regular file. Point --metrics at a metrics file (JSON, Prometheus/OpenMetrics text or CSV).`);
      return stat;
    } catch (err) {
      if (err instanceof UserError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new UserError(
          `The ${this.label} does not exist. Check the --metrics path (or INCIDENT_METRICS); ` +
            'the server picks the file up as soon as it appears.',
        );
      }
      throw new UserError(`Cannot read the ${this.label}: ${(err as Error).message}.`);
    }
  }

  private async parse(size: number): Promise<ParsedMetrics | UserError> {
    if (size > MAX_FILE_BYTES) {
      return new UserError(`The ${this.label} is ${Math.round(size / 1048576)} MB; the limit is 256 MB. Export a narrower time range.`);
    }
    try {
      // Our JSON document streamed entry by entry; anything else (or broken JSON, for its exact message) read whole.
      const streamed = await streamMetricsDocument(this.file, this.label);
      if (streamed) return streamed;
      return parseMetricsFile(await fs.readFile(this.file, 'utf8'), this.label, this.file);
    } catch (err) {
      if (err instanceof UserError) return err;
      return new UserError(`Cannot read the ${this.label}: ${(err as Error).message}.`);
    }
  }
}

/** The same source under a name that says it reads every accepted file format; JsonFileMetricSource stays for existing imports. */
export { JsonFileMetricSource as MetricFileSource };
