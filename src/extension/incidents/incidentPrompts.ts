// What the incident commands ask the person: few questions, each with a sensible value already filled in, since
// they are asked in the middle of an outage. Every prompt resolves undefined when the person cancels it.
import * as vscode from 'vscode';
import type { Report } from '../../engine/report/schema.js';
import type { IncidentSummary, ParameterSpec, RemediationStep, Severity, Status } from './incidentsClient.js';

const SEVERITY_CHOICES: Array<{ label: Severity; detail: string }> = [
  { label: 'SEV1', detail: 'Critical: a core feature is down for most customers' },
  { label: 'SEV2', detail: 'Major: a core feature is failing or badly degraded for many' },
  { label: 'SEV3', detail: 'Minor: degraded for some, with a workaround' },
  { label: 'SEV4', detail: 'Low: little customer impact' },
];
const STATUS_CHOICES: Status[] = ['investigating', 'identified', 'monitoring', 'resolved'];

export interface NewIncidentAnswers {
  title: string;
  severity: Severity;
  service: string;
  summary: string;
}

const required = (what: string) => (value: string) => (value.trim() ? undefined : `${what} is needed`);

export async function askNewIncident(incident: string, report: Report): Promise<NewIncidentAnswers | undefined> {
  const title = await vscode.window.showInputBox({ title: 'Create Incident (1/3)', prompt: 'What is broken', value: incident, ignoreFocusOut: true, validateInput: required('A title') });
  if (title === undefined) return undefined;
  const severity = await vscode.window.showQuickPick(SEVERITY_CHOICES, { title: 'Create Incident (2/3)', placeHolder: 'Severity', ignoreFocusOut: true });
  if (!severity) return undefined;
  const service = await vscode.window.showInputBox({
    title: 'Create Incident (3/3)',
    prompt: 'The service affected',
    placeHolder: 'e.g. checkout',
    value: serviceOf(report),
    ignoreFocusOut: true,
    validateInput: required('The service'),
  });
  if (service === undefined) return undefined;
  return { title: title.trim(), severity: severity.label, service: service.trim(), summary: report.rootCause.summary };
}

/** The service the report's metric evidence names, when it names exactly one. */
function serviceOf(report: Report): string {
  const services = new Set(report.evidence.map((e) => (e as { service?: string }).service).filter((s): s is string => !!s));
  return services.size === 1 ? [...services][0]! : '';
}

export async function pickIncident(incidents: IncidentSummary[], title: string): Promise<string | undefined> {
  if (incidents.length === 0) {
    void vscode.window.showInformationMessage('There is no open incident. Create one from a report (the Create Incident button under it).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    incidents.map((i) => ({ label: i.id, description: `${i.severity} · ${i.status}`, detail: i.title })),
    { title, placeHolder: 'Which incident?', ignoreFocusOut: true },
  );
  return picked?.label;
}

export async function pickStep(steps: RemediationStep[], incidentId: string): Promise<RemediationStep | undefined> {
  const picked = await vscode.window.showQuickPick(
    steps.map((step) => ({
      label: step.name,
      description: step.description,
      detail: `${step.changes ? '$(warning) changes things' : 'read-only'} · ${[step.program, ...step.args].join(' ')}`,
      step,
    })),
    { title: `Run Remediation Step for ${incidentId}`, placeHolder: 'Steps declared in .incident-analyzer/runbooks.yaml', matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked?.step;
}

/** Asks each parameter in turn, typed as the runbook declares it; the server checks them again. */
export async function askParameters(step: RemediationStep): Promise<Record<string, unknown> | undefined> {
  const values: Record<string, unknown> = {};
  const names = Object.keys(step.parameters);
  for (const [index, name] of names.entries()) {
    const value = await askParameter(step, name, step.parameters[name]!, `${step.name}: ${name} (${index + 1}/${names.length})`);
    if (value === undefined) return undefined;
    values[name] = value;
  }
  return values;
}

async function askParameter(step: RemediationStep, name: string, spec: ParameterSpec, title: string): Promise<unknown> {
  const prompt = spec.description ?? `The "${name}" parameter of ${step.name}`;
  switch (spec.type) {
    case 'enum':
      return vscode.window.showQuickPick(spec.values, { title, placeHolder: prompt, ignoreFocusOut: true });
    case 'boolean': {
      const picked = await vscode.window.showQuickPick(['true', 'false'], { title, placeHolder: prompt, ignoreFocusOut: true });
      return picked === undefined ? undefined : picked === 'true';
    }
    case 'integer':
    case 'number': {
      const text = await vscode.window.showInputBox({ title, prompt, value: spec.default?.toString(), ignoreFocusOut: true, validateInput: (v) => numberProblem(v, spec) });
      return text === undefined ? undefined : Number(text);
    }
    case 'string':
      return vscode.window.showInputBox({
        title,
        prompt: `${prompt}${spec.pattern ? ` (must match ${spec.pattern})` : ''}`,
        value: spec.default,
        ignoreFocusOut: true,
        validateInput: (v) => (v.length > spec.max_length ? `at most ${spec.max_length} characters` : undefined),
      });
  }
}

function numberProblem(text: string, spec: Extract<ParameterSpec, { type: 'integer' | 'number' }>): string | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return 'a number is needed';
  if (spec.type === 'integer' && !Number.isInteger(n)) return 'a whole number is needed';
  if (spec.minimum !== undefined && n < spec.minimum) return `at least ${spec.minimum}`;
  if (spec.maximum !== undefined && n > spec.maximum) return `at most ${spec.maximum}`;
  return undefined;
}

export function askImpact(incidentId: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Write Postmortem for ${incidentId}`,
    prompt: 'Impact: who was affected, how much, for how long (the rest can be edited in the file)',
    ignoreFocusOut: true,
    validateInput: required('The impact'),
  });
}

export function askMessage(incidentId: string, suggested: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `Notify Team about ${incidentId}`, prompt: 'The message to post', value: suggested, ignoreFocusOut: true, validateInput: required('A message') });
}

export async function askStatus(incidentId: string, current: string): Promise<{ status: Status; note?: string } | undefined> {
  const status = await vscode.window.showQuickPick(
    STATUS_CHOICES.map((s) => ({ label: s, description: s === current ? 'current' : undefined })),
    { title: `Set Status of ${incidentId}`, ignoreFocusOut: true },
  );
  if (!status) return undefined;
  const note = await vscode.window.showInputBox({ title: `Set Status of ${incidentId}: ${status.label}`, prompt: 'Why (optional; kept in the journal)', ignoreFocusOut: true });
  if (note === undefined) return undefined;
  return { status: status.label, ...(note.trim() && { note: note.trim() }) };
}

export function askWebhookUrl(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Set Team Webhook',
    prompt: "The team's incoming-webhook URL, kept in VS Code's secret storage (the payload: setting incidentAnalyzer.incidents.webhookFormat). Empty: remove it.",
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (!v.trim()) return undefined;
      try {
        const url = new URL(v.trim());
        return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'an http(s) URL is needed';
      } catch {
        return 'an http(s) URL is needed';
      }
    },
  });
}

/** The team database's URL: checked as the store reads it, never echoed. Empty: back to files in the workspace. */
export function askDatabaseUrl(check: (url: string) => string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Set Incidents Database',
    prompt:
      "Your team's PostgreSQL for this workspace's incidents, postgres://user:password@host:5432/database, kept in VS Code's secret storage. Empty: keep them in files under .incident-analyzer/incidents/ again.",
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? check(v.trim()) : undefined),
  });
}
