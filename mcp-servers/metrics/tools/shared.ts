// Argument and output pieces shared by the metrics tools.
import { z } from 'zod';

export const READ_ONLY = { readOnlyHint: true, openWorldHint: false, idempotentHint: true } as const;

export const sinceArg = z
  .string()
  .optional()
  .describe('Only points at or after this time: ISO-8601 such as 2026-02-17T14:30:00Z (a time without zone is UTC).');

export const untilArg = z
  .string()
  .optional()
  .describe('Only points at or before this time: ISO-8601 (a time without zone is UTC).');

export const stepSecondsArg = z
  .number()
  .positive()
  .max(86400)
  .optional()
  .describe(
    'Analyse the points averaged into steps of at least this many seconds (e.g. 60 to look at whole minutes, so a blip ' +
      'of a few seconds is one point). By default the data\'s own spacing, coarsened only to keep at most ~1,500 points per series.',
  );

export const resolutionShape = {
  resolution_seconds: z
    .number()
    .optional()
    .describe(
      'Spacing of the points analysed, in seconds (the coarsest over the series). Longer ranges than ~1,500 points are ' +
        'analysed as the means of round steps (1 s, 5 s, ... 1 min, 5 min, 10 min, ... 1 h), so a change shorter than a step is averaged away: narrow since/until to look closer.',
    ),
};

export const serviceArg = z
  .string()
  .optional()
  .describe('Only this service (as listed by list_metrics). Omit for all services, or when the data has no services.');

/** Every cited item carries these: the metric name, the time, and the service when there is one. */
export const evidenceShape = {
  name: z.string().describe('Metric name, as in the data.'),
  service: z.string().optional().describe('Service label, when the data has one.'),
  timestamp: z.string().describe('ISO-8601 UTC time of the point (or the start of the window or anomaly).'),
};

export const pointSchema = z.object({ ...evidenceShape, value: z.number() });

export const statsShape = {
  count: z.number().int(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  p95: z.number().describe('Nearest-rank 95th percentile (one of the values).'),
  min_timestamp: z.string(),
  max_timestamp: z.string(),
};

export const windowSchema = z.object({
  ...evidenceShape,
  end: z.string().describe('End of the window (exclusive).'),
  ...statsShape,
});

export function evidence(name: string, service: string | undefined, timestamp: string) {
  return service === undefined ? { name, timestamp } : { name, service, timestamp };
}

/** One series in get_metrics / get_error_rates: overall statistics plus points or window summaries. */
export const seriesReportShape = {
  name: z.string(),
  service: z.string().optional(),
  points_in_range: z.number().int(),
  first: z.string().describe('Time of the first point in range.'),
  last: z.string().describe('Time of the last point in range.'),
  interval_seconds: z.number().optional().describe('Typical spacing of the points.'),
  step_seconds: z
    .number()
    .optional()
    .describe('Present when the range held more points than are analysed: each point is then the mean of a step of this many seconds, stamped with its start.'),
  overall: z.object(statsShape).describe('Statistics over all points in range.'),
  view: z.enum(['points', 'windows']).describe('"points" when every point is listed, "windows" when summarised.'),
  window_minutes: z.number().optional(),
  points: z.array(pointSchema).optional(),
  windows: z.array(windowSchema).optional(),
  query: z.string().optional().describe('The PromQL that gave these points (Prometheus sources): the evidence behind them.'),
};

export const anomalySchema = z.object({
  ...evidenceShape,
  start: z.string().describe('Onset: where the departure from the baseline began (for a drift, where the climb began). Same as timestamp.'),
  end: z.string().describe('Last anomalous point.'),
  threshold_crossed_at: z.string().describe('First point beyond the threshold; later than start for gradual drifts.'),
  direction: z.enum(['up', 'down']),
  shape: z.enum(['step', 'drift']).describe('"step": a jump or spike; "drift": a gradual climb or fall.'),
  peak_value: z.number(),
  peak_timestamp: z.string(),
  baseline_median: z.number(),
  baseline_from: z.string(),
  baseline_to: z.string(),
  change_pct: z.number().nullable().describe('% change of the peak from the baseline median; null when that median is 0.'),
  robust_z: z.number().describe('(peak - baseline median) / (1.4826 * MAD), capped at +-1000.'),
  anomalous_points: z.number().int(),
  ongoing: z.boolean().describe('Still anomalous at the last point examined.'),
  slope_per_hour: z.number().optional().describe('For drifts: fitted change per hour, in metric units.'),
});
