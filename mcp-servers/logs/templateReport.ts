// What log_patterns reports once lines are mined, whatever they were read from (files or Loki): templates ranked
// new → spiking → steady → gone, then by severity and count, paged, with their example references.
import { z } from 'zod';
import { omittedNote } from '../common/result.js';
import { isoTime } from '../common/time.js';
import { levelRank, type Level, type ParsedLine } from './lineParser.js';
import type { PatternMiner } from './patterns/index.js';
import { clip } from './searchRequest.js';
import { trendOf, type TemplateTally, type TemplateTrend } from './templateStats.js';

const TREND_ORDER: Record<TemplateTrend, number> = { new: 0, spiking: 1, steady: 2, gone: 3 };

function rank(level: Level | undefined): number {
  return level ? levelRank(level) : -1;
}

/** The first and last time seen, to turn counts into rates. */
/** One template in log_patterns' answer; `example` is how the source cites a line (file + line, or stream + time_ns). */
export function templateShape(example: z.ZodTypeAny, evidence: string) {
  return z.object({
    template: z.string(),
    trend: z.enum(['new', 'spiking', 'steady', 'gone']).describe('Compared with the baseline.'),
    count: z.number().int().describe('Lines in the window.'),
    baselineCount: z.number().int(),
    level: z.string().optional(),
    firstTime: z.string().optional(),
    lastTime: z.string().optional(),
    examples: z.array(example).describe(evidence),
  });
}

export class Span {
  private first: number | undefined;
  private last: number | undefined;

  add(time: number | undefined): void {
    if (time === undefined) return;
    if (this.first === undefined || time < this.first) this.first = time;
    if (this.last === undefined || time > this.last) this.last = time;
  }

  /** Minutes covered, preferring the bounds the caller asked for over the ones seen. */
  minutes(from?: number, to?: number): number {
    const start = from ?? this.first;
    const end = to ?? this.last;
    return start === undefined || end === undefined ? 0 : (end - start) / 60_000;
  }
}

/**
 * What a line is grouped by. A JSON or logfmt line's keys and ids would swamp the grouping, so its level and message
 * stand for it; other lines are mined whole (the miner copes with their headers).
 */
export function miningText(text: string, parsed: ParsedLine): string {
  if ((parsed.format !== 'json' && parsed.format !== 'logfmt') || parsed.message === undefined) return text;
  return `${parsed.level ?? '-'} ${parsed.message.trim() || '(empty message)'}`;
}

export interface TemplateReportInput<E> {
  miner: PatternMiner;
  tally: TemplateTally<E>;
  windowMinutes: number;
  baselineMinutes: number;
  /** Whether there is a baseline to compare with. */
  hasBaseline: boolean;
  linesInWindow: number;
  linesInBaseline: number;
  /**
   * Records of any level in the baseline period: whether the logs covered it. A file with no warnings before an
   * incident still says that the errors it then shows are new.
   */
  baselineRecords?: number;
  offset: number;
  maxTemplates: number;
  /** How an example is cited in the text ("app.log:91"). */
  refOf: (example: E) => string;
  /** How to ask for the next page. */
  nextPage: (offset: number) => string;
}

export function reportTemplates<E>(input: TemplateReportInput<E>) {
  const { miner, tally, windowMinutes, baselineMinutes, linesInWindow, linesInBaseline, offset } = input;
  const ranked = [...tally.byId.values()]
    .map((t) => ({ t, trend: trendOf(t, windowMinutes, baselineMinutes, input.baselineRecords ?? linesInBaseline) }))
    .filter(({ t, trend }) => t.windowCount > 0 || trend === 'gone')
    .sort(
      (a, b) =>
        TREND_ORDER[a.trend] - TREND_ORDER[b.trend] ||
        rank(b.t.level) - rank(a.t.level) ||
        b.t.windowCount - a.t.windowCount,
    );
  const page = ranked.slice(offset, offset + input.maxTemplates);
  const templates = page.map(({ t, trend }) => ({
    template: clip(miner.template(t.id)),
    trend,
    count: t.windowCount,
    baselineCount: t.baselineCount,
    level: t.level,
    firstTime: t.firstTime !== undefined ? isoTime(t.firstTime) : undefined,
    lastTime: t.lastTime !== undefined ? isoTime(t.lastTime) : undefined,
    examples: t.examples,
  }));
  const end = offset + templates.length;
  const nextOffset = end < ranked.length ? end : null;

  const header =
    `${ranked.length} template(s) over ${linesInWindow} line(s) in the window` +
    (input.hasBaseline ? `, compared with ${linesInBaseline} baseline line(s)` : ' (give since to compare with a baseline)') +
    ':';
  const body = templates.map((t) => {
    const mark = t.trend === 'steady' ? '' : `[${t.trend.toUpperCase()}] `;
    const span = t.firstTime ? ` ${t.firstTime}..${t.lastTime}` : '';
    const refs = t.examples.map(input.refOf).join(', ');
    return `${mark}${(t.level ?? '-').toUpperCase()} x${t.count} (baseline ${t.baselineCount})${span}\n  ${t.template}\n  e.g. ${refs}`;
  });
  const text = header + '\n' + body.join('\n') + omittedNote(end, ranked.length, input.nextPage(nextOffset ?? end));
  return { text, templates, totalTemplates: ranked.length, nextOffset };
}
