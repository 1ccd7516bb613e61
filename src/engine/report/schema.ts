// The report both analysts produce: one schema, checked at run time, and its JSON schema for the model.
import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

export const CATEGORIES = [
  'db-connection-pool-exhaustion',
  'slow-query',
  'timeout-config',
  'memory-leak',
  'code-exception',
  'bad-config',
  'dependency-outage',
  'resource-saturation',
  'disk-full',
  'certificate-expiry',
  'rate-limited',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

const evidenceSchema = z.object({
  id: z.string().describe('Short id that the timeline cites, e.g. "E1".'),
  kind: z.enum(['log', 'commit', 'metric', 'deployment']),
  file: z.string().optional().describe('log: file name as the logs tools gave it (from a log store: the stream labels)'),
  line: z.number().int().optional().describe('log: 1-based line number (log files)'),
  timeNs: z.string().optional().describe('log from a log store such as Loki: the entry time_ns exactly as the tools gave it'),
  text: z.string().optional().describe('log: the line as quoted; other kinds: a short description'),
  hash: z.string().optional().describe('commit: full or short hash'),
  metric: z.string().optional().describe('metric: metric name'),
  timestamp: z.string().optional().describe('metric: ISO time of the point'),
  value: z.number().optional().describe('metric: the value at that time'),
  service: z.string().optional().describe('metric: service, when the metrics have several'),
  version: z.string().optional().describe('deployment: version'),
});

const rootCauseSchema = z.object({
  summary: z.string().describe('One or two sentences: what broke and why.'),
  category: z.enum(CATEGORIES),
  confidence: z.enum(CONFIDENCES),
  suspectCommit: z.string().nullable().describe('Full hash of the commit to blame, or null if no commit is to blame.'),
  suspectDeployment: z.string().nullable().describe('Version of the deployment that shipped it, or null.'),
  onset: z.string().nullable().describe('ISO time the incident started, or null if unknown.'),
});

const timelineSchema = z.object({
  time: z.string().describe('ISO time'),
  description: z.string(),
  evidence: z.array(z.string()).describe('Ids of evidence items that show this.'),
});

/** What an analyst writes; the run adds the rest (incident, analyst, tool calls, verification). */
export const draftReportSchema = z.object({
  rootCause: rootCauseSchema,
  timeline: z.array(timelineSchema),
  evidence: z.array(evidenceSchema),
  recommendations: z.array(z.string()),
});
export type DraftReport = z.infer<typeof draftReportSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;

export type VerifiedEvidence = Evidence & {
  verified: boolean;
  /** Why a citation could not be verified, or what was found instead. */
  verification?: string;
};

export interface ToolCallRecord {
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  durationMs: number;
  isError: boolean;
  /** The first line of a failed call's answer: why that evidence is missing. */
  error?: string;
}

export interface Report extends Omit<DraftReport, 'evidence'> {
  incident: string;
  analyst: string;
  evidence: VerifiedEvidence[];
  toolCalls: ToolCallRecord[];
}

/** The JSON schema given to the model as `format` for its final, structured answer. */
export function draftReportJsonSchema(): Record<string, unknown> {
  const schema = zodToJsonSchema(draftReportSchema, { target: 'jsonSchema7', $refStrategy: 'none' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
