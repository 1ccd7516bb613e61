// An incident is its journal: every change is an entry with a time and an author, and the incident's current
// state (status, severity, …) is what the entries say, read in order. Both stores keep exactly this.
import { UserError } from '../common/result.js';

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];

export const ENTRY_KINDS = [
  'created',
  'status',
  'updated',
  'note',
  'remediation_dry_run',
  'remediation_approved',
  'remediation_declined',
  'remediation_result',
  'postmortem',
  'notification',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface JournalEntry {
  /** 1, 2, 3…: the entry's place in the incident's journal. */
  seq: number;
  /** ISO-8601 UTC. */
  at: string;
  author: string;
  kind: EntryKind;
  /** What the entry says; its shape depends on the kind (see the tools that write them). */
  data: Record<string, unknown>;
}

/** An entry before the store gives it its place and time. */
export type NewEntry = Omit<JournalEntry, 'seq' | 'at'>;

export interface NewIncident {
  title: string;
  severity: Severity;
  service: string;
  summary: string;
  /** The analysis report the incident came from, as the analyst wrote it (root cause, timeline, evidence). */
  report?: Record<string, unknown>;
}

export interface Incident extends NewIncident {
  id: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
  journal: JournalEntry[];
}

export type IncidentSummary = Omit<Incident, 'journal' | 'report' | 'summary'> & { entries: number };

/** The incident the journal describes. The first entry must be `created`. */
export function incidentFromJournal(id: string, journal: readonly JournalEntry[]): Incident {
  const first = journal[0];
  if (!first || first.kind !== 'created') throw new UserError(`the journal of ${id} does not start with its creation entry`);
  const created = first.data as unknown as NewIncident;
  const incident: Incident = {
    id,
    title: created.title,
    severity: created.severity,
    service: created.service,
    summary: created.summary,
    ...(created.report && { report: created.report }),
    status: 'investigating',
    createdAt: first.at,
    updatedAt: first.at,
    journal: [...journal],
  };
  for (const entry of journal.slice(1)) {
    incident.updatedAt = entry.at;
    if (entry.kind === 'status') incident.status = entry.data.to as Status;
    if (entry.kind === 'updated') {
      const changes = entry.data as Partial<Pick<Incident, 'title' | 'severity' | 'summary'>>;
      if (changes.title !== undefined) incident.title = changes.title;
      if (changes.severity !== undefined) incident.severity = changes.severity;
      if (changes.summary !== undefined) incident.summary = changes.summary;
    }
  }
  return incident;
}

export function summaryOf(incident: Incident): IncidentSummary {
  const { journal, report: _report, summary: _summary, ...rest } = incident;
  return { ...rest, entries: journal.length };
}

/** The entries a change adds, decided against the incident as it is when the change is made. */
export type Change = (current: Incident) => NewEntry[];
