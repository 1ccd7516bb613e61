// The exact command a step runs with the given parameters: each value checked against its declared type, then put
// in place of its {name} inside whole arguments. Values are data: they never split an argument or reach a shell.
import { UserError } from '../../common/result.js';
import { PLACEHOLDER, type ParameterSpec, type RunbookStep } from './runbookFile.js';

export interface StepCommand {
  program: string;
  args: string[];
}

export function commandFor(step: RunbookStep, given: Record<string, unknown>): StepCommand {
  const unknown = Object.keys(given).filter((k) => !(k in step.parameters));
  if (unknown.length > 0) {
    throw new UserError(`step "${step.name}" has no parameter ${unknown.map((u) => `"${u}"`).join(', ')}; it takes ${listParameters(step)}`);
  }
  const values = new Map<string, string>();
  for (const [name, spec] of Object.entries(step.parameters)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) throw new UserError(`step "${step.name}" needs the parameter "${name}" (${describeType(spec)})`);
    values.set(name, checked(step.name, name, spec, value));
  }
  const args = step.args.map((arg) => arg.replace(PLACEHOLDER, (_, name: string) => values.get(name)!));
  return { program: step.program, args };
}

function checked(step: string, name: string, spec: ParameterSpec, value: unknown): string {
  const wrong = (why: string) => new UserError(`step "${step}", parameter "${name}": ${why} (expected ${describeType(spec)})`);
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') throw wrong(`${JSON.stringify(value)} is not a string`);
      if (value.length > spec.max_length) throw wrong(`the value is ${value.length} characters long`);
      // A NUL cannot be passed in an argument, and control characters are never what a person meant.
      if (/[\u0000-\u001f\u007f]/.test(value)) throw wrong('the value holds control characters');
      if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`, 'u').test(value)) throw wrong(`"${value}" does not match ${spec.pattern}`);
      return value;
    }
    case 'integer':
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw wrong(`${JSON.stringify(value)} is not a number`);
      if (spec.type === 'integer' && !Number.isInteger(n)) throw wrong(`${n} is not a whole number`);
      if (spec.minimum !== undefined && n < spec.minimum) throw wrong(`${n} is below ${spec.minimum}`);
      if (spec.maximum !== undefined && n > spec.maximum) throw wrong(`${n} is above ${spec.maximum}`);
      return String(n);
    }
    case 'boolean': {
      if (value === true || value === 'true') return 'true';
      if (value === false || value === 'false') return 'false';
      throw wrong(`${JSON.stringify(value)} is not true or false`);
    }
    case 'enum': {
      if (typeof value !== 'string' || !spec.values.includes(value)) throw wrong(`${JSON.stringify(value)} is not one of the values`);
      return value;
    }
  }
}

function describeType(spec: ParameterSpec): string {
  switch (spec.type) {
    case 'string':
      return spec.pattern ? `a string matching ${spec.pattern}` : 'a string';
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'number':
      return `${spec.type === 'integer' ? 'an' : 'a'} ${spec.type}${spec.minimum !== undefined ? ` ≥ ${spec.minimum}` : ''}${spec.maximum !== undefined ? ` ≤ ${spec.maximum}` : ''}`;
  }
}

export function listParameters(step: RunbookStep): string {
  const names = Object.entries(step.parameters).map(([n, s]) => `${n} (${describeType(s)})`);
  return names.length ? names.join(', ') : 'no parameters';
}

/** The command as a person reads it: arguments with spaces or quotes shown quoted. Display only, never run. */
export function displayCommand(command: StepCommand): string {
  return [command.program, ...command.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
