// The words of an approval dialog. For a remediation step: the exact command, and each argument as it will be
// passed (JSON-quoted, so spaces, quotes and shell characters show as the data they are). No vscode import.
import type { ApprovalRequest, RemediationDetails } from '../../engine/mcp/approvals.js';
import { withoutControlCharacters } from '../../engine/report/markdown.js';

export function dialogText(request: ApprovalRequest): { title: string; detail: string } {
  const step = request.remediation;
  if (!step) return { title: `The "${request.server}" server asks for approval`, detail: clean(request.message) };
  return { title: `Run remediation step "${clean(step.step)}" for ${clean(step.incident)}?`, detail: remediationDetail(step) };
}

function remediationDetail(step: RemediationDetails): string {
  const [program, ...args] = step.argv;
  return [
    clean(step.description),
    '',
    'Command:',
    clean(step.command),
    '',
    `Program: ${JSON.stringify(program ?? '')}`,
    ...args.map((arg, i) => `Argument ${i + 1}: ${JSON.stringify(arg)}`),
    '',
    step.changes ? 'This step CHANGES things.' : 'This step only reads.',
    `It is stopped after ${step.timeoutSeconds} s. No shell is involved: each argument is passed as it is shown.`,
  ].join('\n');
}

const clean = (text: string) => withoutControlCharacters(text);
