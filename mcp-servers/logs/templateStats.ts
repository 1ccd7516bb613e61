// Counts each template inside the window and in the baseline before it, and says which are new or spiking.
import { levelRank, type Level } from './lineParser.js';

export type TemplateTrend = 'new' | 'spiking' | 'steady' | 'gone';

export interface TemplateCounts<E = { file: string; line: number }> {
  id: string;
  windowCount: number;
  baselineCount: number;
  firstTime?: number;
  lastTime?: number;
  level?: Level;
  /** Evidence: where the first few lines of the template are (file + line, or stream + time_ns). */
  examples: E[];
}

const EXAMPLES = 3;
/** A template spikes when its rate in the window is at least this many times its baseline rate… */
export const SPIKE_RATIO = 3;
/** …and it occurs at least this often in the window (a handful of lines is not a spike). */
export const SPIKE_MIN_COUNT = 5;

export class TemplateTally<E = { file: string; line: number }> {
  readonly byId = new Map<string, TemplateCounts<E>>();

  count(id: string, inWindow: boolean, time: number | undefined, level: Level | undefined, example: E): void {
    let t = this.byId.get(id);
    if (!t) {
      t = { id, windowCount: 0, baselineCount: 0, examples: [] };
      this.byId.set(id, t);
    }
    if (!inWindow) {
      t.baselineCount++;
      return;
    }
    t.windowCount++;
    if (time !== undefined) {
      if (t.firstTime === undefined || time < t.firstTime) t.firstTime = time;
      if (t.lastTime === undefined || time > t.lastTime) t.lastTime = time;
    }
    if (level && (!t.level || levelRank(level) > levelRank(t.level))) t.level = level;
    if (t.examples.length < EXAMPLES) t.examples.push(example);
  }
}

/**
 * Judges a template against the baseline. Rates are per minute of each span, so a short window is not
 * outweighed by a long baseline. Without a baseline nothing is new or spiking.
 */
export function trendOf<E>(t: TemplateCounts<E>, windowMinutes: number, baselineMinutes: number, baselineLines: number): TemplateTrend {
  if (baselineLines === 0) return 'steady';
  if (t.windowCount === 0) return 'gone';
  if (t.baselineCount === 0) return 'new';
  const windowRate = t.windowCount / Math.max(windowMinutes, 1);
  const baselineRate = t.baselineCount / Math.max(baselineMinutes, 1);
  return t.windowCount >= SPIKE_MIN_COUNT && windowRate >= SPIKE_RATIO * baselineRate ? 'spiking' : 'steady';
}
