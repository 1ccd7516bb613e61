// When a server asks the person at the client to approve something (MCP elicitation), the question goes to
// whoever the client is (a modal dialog in VS Code, the terminal for the CLI) as a plain yes or no. Only a yes/no
// question is put to a person; a form to fill in, or a page to open, is declined.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitRequestParams, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';

/** The key under which the incidents server sends the exact command of a remediation step. */
export const REMEDIATION_META_KEY = 'incident-analyzer/remediation';

export interface RemediationDetails {
  incident: string;
  step: string;
  description: string;
  /** The command as a person reads it. */
  command: string;
  /** The program and each argument exactly as they will be passed. */
  argv: string[];
  changes: boolean;
  timeoutSeconds: number;
}

export interface ApprovalRequest {
  server: string;
  message: string;
  remediation?: RemediationDetails;
}

/** Resolves true only when the person said yes; the signal is aborted if the server stops waiting. */
export type AskApproval = (request: ApprovalRequest, signal: AbortSignal) => Promise<boolean>;

export function answerApprovals(client: Client, server: string, ask: AskApproval): void {
  client.setRequestHandler(ElicitRequestSchema, (request, extra) => decide(request.params, server, ask, extra.signal));
}

export async function decide(params: ElicitRequestParams, server: string, ask: AskApproval, signal: AbortSignal): Promise<ElicitResult> {
  if (params.mode === 'url' || !('requestedSchema' in params)) return { action: 'decline' };
  const fields = Object.entries(params.requestedSchema.properties ?? {});
  const only = fields[0];
  if (fields.length !== 1 || !only || (only[1] as { type?: string }).type !== 'boolean') return { action: 'decline' };
  const remediation = remediationOf(params._meta?.[REMEDIATION_META_KEY]);
  let approved = false;
  try {
    approved = await ask({ server, message: params.message, ...(remediation && { remediation }) }, signal);
  } catch {
    approved = false; // a dialog that failed is not a yes
  }
  return approved ? { action: 'accept', content: { [only[0]]: true } } : { action: 'decline' };
}

function remediationOf(value: unknown): RemediationDetails | undefined {
  const v = value as Partial<RemediationDetails> | undefined;
  if (!v || typeof v.command !== 'string' || !Array.isArray(v.argv) || !v.argv.every((a) => typeof a === 'string')) return undefined;
  return {
    incident: String(v.incident ?? ''),
    step: String(v.step ?? ''),
    description: String(v.description ?? ''),
    command: v.command,
    argv: v.argv,
    changes: v.changes === true,
    timeoutSeconds: Number(v.timeoutSeconds ?? 0),
  };
}
