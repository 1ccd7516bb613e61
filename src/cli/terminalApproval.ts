// Approvals on the terminal: the exact program and arguments a server wants to run, then "Run it? [y/N]". With
// no terminal to ask (a script, CI), only the steps named with --approve are approved; anything else is refused.
import readline from 'node:readline/promises';
import type { AskApproval } from '../engine/mcp/approvals.js';
import { withoutControlCharacters } from '../engine/report/markdown.js';

export interface Terminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether a person can answer. */
  interactive: boolean;
}

const processTerminal = (): Terminal => ({ input: process.stdin, output: process.stderr, interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY) });

export function terminalApproval(preapproved: readonly string[], terminal: Terminal = processTerminal()): AskApproval {
  return async (request, signal) => {
    const write = (text: string) => terminal.output.write(withoutControlCharacters(text));
    write(`\n${request.server} asks: ${request.message}\n`);
    const step = request.remediation;
    if (step) {
      // Each argument on its own line, quoted as JSON: what you read is exactly what will be passed.
      write(`Program: ${JSON.stringify(step.argv[0])}\n${step.argv.slice(1).map((a, i) => `  argument ${i + 1}: ${JSON.stringify(a)}`).join('\n')}\n`);
      if (preapproved.includes(step.step)) {
        write(`Approved by --approve ${step.step}.\n`);
        return true;
      }
    }
    if (!terminal.interactive) {
      write(`Not approved: there is no terminal to ask${step ? `; pass --approve ${step.step} to approve this step` : ''}.\n`);
      return false;
    }
    const prompt = readline.createInterface({ input: terminal.input, output: terminal.output });
    try {
      const answer = await prompt.question('Run it? [y/N] ', { signal });
      return /^y(es)?$/i.test(answer.trim());
    } catch {
      return false; // interrupted, or the server stopped waiting
    } finally {
      prompt.close();
    }
  };
}
