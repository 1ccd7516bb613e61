// Where incidents are kept: journal files in the workspace by default, PostgreSQL for a team. Both give every
// change the same guarantee: it is decided against the incident as it is, and written whole or not at all.
import { UserError } from '../../common/result.js';
import type { SourceHealth } from '../../common/http/httpService.js';
import type { Change, Incident, IncidentSummary, NewIncident, Status } from '../model.js';

export interface IncidentStore {
  /** Opens a new incident; its journal starts with the `created` entry by `author`. */
  create(incident: NewIncident, author: string): Promise<Incident>;
  /** The incident, or undefined when there is none with that id. */
  get(id: string): Promise<Incident | undefined>;
  /** Newest first. */
  list(filter: { status?: Status; limit: number }): Promise<IncidentSummary[]>;
  /**
   * Applies a change: `change` sees the incident as it is (no other change can slip in between) and returns the
   * entries to add, or throws a UserError to refuse. Resolves with the incident after the change.
   */
  change(id: string, change: Change): Promise<Incident>;
  /** What the store is, for logs and /health. */
  describe(): string;
  health(): Promise<SourceHealth>;
  close(): Promise<void>;
}

/** Incident ids are INC-1, INC-2, …: short enough to say on a call. */
export function incidentId(n: number): string {
  return `INC-${n}`;
}

export const INCIDENT_ID_PATTERN = /^INC-[1-9]\d{0,8}$/;

export function noSuchIncident(id: string): UserError {
  return new UserError(`there is no incident ${id}; list_incidents shows the ones there are`);
}

/**
 * Refuses text holding a NUL character in what is about to be stored. PostgreSQL's text and jsonb cannot hold it,
 * and the file store keeps the same rule, so an incident never depends on where it is kept.
 */
export function refuseNul(value: unknown): void {
  JSON.stringify(value, (key: string, v: unknown) => {
    if (key.includes('\u0000') || (typeof v === 'string' && v.includes('\u0000'))) {
      throw new UserError('the text holds a NUL character (\\u0000), which an incident cannot keep; remove it and try again');
    }
    return v;
  });
}
