// The text of any accepted metrics file -> ParsedMetrics, by the format its content shows (detectFormat.ts).
import { UserError } from '../../common/result.js';
import { metricsFromJson, parseMetricsDocument } from '../parseMetricsDocument.js';
import { parseCsvMetrics } from './csvMetrics.js';
import { detectFormat } from './detectFormat.js';
import { parseOpenMetricsText } from './openMetricsText.js';
import { PROM_SHAPE, isPromResponse, parsePromQueryRange } from './promQueryRange.js';
import { lineAndColumn, type ParsedMetrics } from './seriesSet.js';

/** `fileName` helps only with content that fits no format (a metrics.json with a syntax error stays JSON). */
export function parseMetricsFile(text: string, label: string, fileName?: string): ParsedMetrics {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM (Excel, PowerShell)
  switch (detectFormat(text, label, fileName)) {
    case 'openmetrics-text':
      return parseOpenMetricsText(text, label);
    case 'csv':
      return parseCsvMetrics(text, label);
    case 'json': {
      if (text.trim() === '') return parseMetricsDocument(text, label);
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        // A broken Prometheus answer gets a message about that shape; anything else the JSON document's own message.
        if (/"resultType"|"status"\s*:\s*"(success|error)"/.test(text.slice(0, 4096))) throw promSyntaxError(text, label, err);
        return parseMetricsDocument(text, label);
      }
      return isPromResponse(doc) ? parsePromQueryRange(doc, label) : metricsFromJson(doc, label);
    }
  }
}

function promSyntaxError(text: string, label: string, err: unknown): UserError {
  const message = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(message);
  const where = position ? ` (${lineAndColumn(text, Number(position[1]))})` : '';
  return new UserError(`The ${label} is not valid JSON: ${message.slice(0, 200)}${where}. Was the answer cut off? Save it again. ${PROM_SHAPE}`);
}
