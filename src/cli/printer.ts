// Prints a run's progress to the terminal as it happens: steps, each tool call with its server and duration.
import type { AnalysisEvent } from '../engine/analysis/events.js';
import type { ServerStatus } from '../engine/mcp/clientManager.js';
import { withoutControlCharacters } from '../engine/report/markdown.js';

const INDENT = '      ';

export function createProgressPrinter(writeRaw: (text: string) => void): (event: AnalysisEvent) => void {
  // Server errors and model text may carry terminal escapes (from logs): the terminal only ever gets text.
  const write = (text: string) => writeRaw(withoutControlCharacters(text));
  let inModelText = false;
  const line = (text: string) => {
    if (inModelText) write('\n');
    inModelText = false;
    write(`${text}\n`);
  };
  return (event) => {
    switch (event.type) {
      case 'step':
        line(`[${event.step}/${event.of}] ${event.title}`);
        break;
      case 'servers_ready':
        line(INDENT + event.servers.map((s) => `${s.name}: ${s.state === 'ready' ? `ready, ${s.toolCount} tools` : `${s.state}${s.lastError ? ` (${s.lastError})` : ''}`}`).join(' · '));
        for (const s of event.skipped) line(`${INDENT}${s.name}: skipped, ${s.reason}`);
        break;
      case 'tool_call_finished': {
        const mark = event.isError ? '✗' : '→';
        const detail = event.isError ? `  ${event.summary.split('\n', 1)[0]}` : '';
        line(`${INDENT}${mark} ${event.server}.${event.tool} (${event.durationMs} ms)${detail}`);
        break;
      }
      case 'llm_text':
        if (!inModelText) write(INDENT);
        inModelText = true;
        write(event.text.replace(/\n/g, `\n${INDENT}`));
        break;
      case 'note':
        line(`${INDENT}note: ${event.message}`);
        break;
      case 'error':
        line(`error: ${event.message}${event.fix ? `\n  fix: ${event.fix}` : ''}`);
        break;
      case 'cancelled':
        line(`cancelled: ${event.reason}`);
        break;
      default:
        break;
    }
  };
}

export function formatServerTotals(statuses: readonly ServerStatus[]): string {
  return statuses
    .filter((s) => s.calls > 0)
    .map((s) => `${s.name} ${s.calls} call${s.calls === 1 ? '' : 's'}${s.errors ? ` (${s.errors} failed)` : ''}, p50 ${s.p50Ms ?? '-'} ms, p95 ${s.p95Ms ?? '-'} ms`)
    .join(' · ');
}
