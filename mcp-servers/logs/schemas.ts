// Shapes shared by the logs tools' inputs and outputs.
import { z } from 'zod';
import { anyCaseEnum } from '../common/enums.js';
import { LEVELS, LEVEL_WORDS, type Level } from './lineParser.js';

/** A severity in any case, with the words logs use for it ("WARNING", "err", "critical"). */
export const levelSchema = anyCaseEnum(LEVELS as readonly Level[] as [Level, ...Level[]], LEVEL_WORDS);

export const fileArg = z
  .string()
  .min(1)
  .describe('A log file name as given by list_log_files (relative to the log folder).');

export const sinceArg = z
  .string()
  .optional()
  .describe('Only lines at or after this time: ISO-8601 such as 2026-02-17T14:40:00Z (a time without zone is UTC).');

export const untilArg = z.string().optional().describe('Only lines at or before this time (ISO-8601, UTC if no zone).');

export const minLevelArg = levelSchema
  .optional()
  .describe(
    `Lowest severity to keep, one of ${LEVELS.join(', ')} (any case; "warning", "err", "critical" also work): ` +
      '"error" keeps error and fatal. Lines with no severity are then left out.',
  );

/**
 * One cited log line. Its evidence reference is file + line for log files, or file (the stream's labels, keys
 * sorted: {app="checkout",filename="app.log"}) + time_ns for Loki, which has no line numbers.
 */
export const logLineShape = {
  file: z.string().describe('Log file name (as in list_log_files); from Loki: the stream\'s labels, keys sorted.'),
  line: z.number().int().optional().describe('1-based line number in that file (log files only; always present for them).'),
  time_ns: z.string().optional().describe("From Loki: the entry's timestamp in nanoseconds, as a decimal string (cite it with file)."),
  text: z.string().describe('The line, cut after 500 characters.'),
  time: z.string().optional().describe('The line time, ISO-8601 UTC, when the line has one.'),
  level: z.string().optional(),
};

/** A line around a match: line for log files; time_ns and time from Loki. */
export const contextLineSchema = z.object({
  line: z.number().int().optional(),
  time_ns: z.string().optional(),
  time: z.string().optional(),
  text: z.string(),
});

/** read_logs' argument for Loki; a file-backed server refuses it. */
export const timeNsArg = z
  .string()
  .regex(/^\d{1,25}$/, 'time_ns must be decimal nanoseconds, as the tools return it')
  .optional()
  .describe('Loki only: the entry time in nanoseconds (decimal string, as search_logs/log_patterns return it).');

/** How much of each line read_logs shows: short by default, whole (up to the 64 KB lines are cut at) on request. */
export const maxLineCharsArg = z
  .number()
  .int()
  .min(100)
  .max(65_536)
  .default(500)
  .describe('Longest text shown per line (default 500); raise it to read a long record whole, e.g. a JSON line with a stack trace.');
