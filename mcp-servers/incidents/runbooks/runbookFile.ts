// The workspace's runbook file (.incident-analyzer/runbooks.yaml): the only commands the incidents server will
// run. Each step names a program and its argument list, with typed parameters filled into whole arguments.
//
//   steps:
//     restart-checkout:
//       description: Restart the checkout pods
//       program: kubectl
//       args: [rollout, restart, "deployment/{service}", -n, shop]
//       parameters:
//         service: { type: enum, values: [checkout, payments] }
//       timeout_seconds: 60
//       changes: true
import fs from 'node:fs';
import { parse, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { UserError } from '../../common/result.js';

const describe = z.string().optional();
const parameterSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string'), description: describe, pattern: z.string().optional(), max_length: z.number().int().positive().max(4096).default(200), default: z.string().optional() }).strict(),
  z.object({ type: z.literal('integer'), description: describe, minimum: z.number().int().optional(), maximum: z.number().int().optional(), default: z.number().int().optional() }).strict(),
  z.object({ type: z.literal('number'), description: describe, minimum: z.number().optional(), maximum: z.number().optional(), default: z.number().optional() }).strict(),
  z.object({ type: z.literal('boolean'), description: describe, default: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('enum'), description: describe, values: z.array(z.string()).min(1), default: z.string().optional() }).strict(),
]);
export type ParameterSpec = z.infer<typeof parameterSchema>;

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

const stepSchema = z
  .object({
    description: z.string().min(1),
    program: z.string().min(1),
    args: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
    parameters: z.record(z.string().regex(NAME, 'parameter names are letters, digits, - and _'), parameterSchema).default({}),
    timeout_seconds: z.number().positive().max(3600).default(60),
    changes: z.boolean({ required_error: 'say whether the step changes anything (changes: true or false)' }),
  })
  .strict();
export type RunbookStep = z.infer<typeof stepSchema> & { name: string };

const fileSchema = z.object({ steps: z.record(z.string().regex(NAME, 'step names are letters, digits, - and _'), stepSchema) }).strict();

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The declared steps; a file that does not parse or declares something unsafe is an error that says where. */
export function readRunbooks(file: string): Map<string, RunbookStep> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`there is no runbook file at ${file}: declare the remediation steps there (see the README, "Runbooks")`);
    }
    throw new UserError(`cannot read the runbook file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new UserError(`the runbook file ${file} is not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`the runbook file ${file} is not valid at ${issue.path.join('.') || 'the top'}: ${issue.message}`);
  }
  const steps = new Map<string, RunbookStep>();
  for (const [name, step] of Object.entries(parsed.data.steps)) {
    checkStep(file, name, step);
    steps.set(name, { ...step, name });
  }
  return steps;
}

function checkStep(file: string, name: string, step: z.infer<typeof stepSchema>): void {
  const where = `the runbook file ${file}, step "${name}"`;
  // A relative path with a slash would depend on the folder the server runs in; a bare name is looked up on PATH.
  if (step.program.includes('/') && !step.program.startsWith('/')) {
    throw new UserError(`${where}: program "${step.program}" must be a bare name (found on PATH) or an absolute path`);
  }
  if (PLACEHOLDER.test(step.program)) throw new UserError(`${where}: the program cannot hold a parameter`);
  PLACEHOLDER.lastIndex = 0;
  for (const arg of step.args) {
    for (const [, param] of arg.matchAll(PLACEHOLDER)) {
      if (!(param! in step.parameters)) throw new UserError(`${where}: argument "${arg}" uses {${param}}, which is not among its parameters`);
    }
  }
  for (const [param, spec] of Object.entries(step.parameters)) {
    if (spec.type === 'string' && spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern, 'u');
      } catch (err) {
        throw new UserError(`${where}: parameter "${param}" has an invalid pattern: ${(err as Error).message}`);
      }
    }
  }
}

export { PLACEHOLDER };
