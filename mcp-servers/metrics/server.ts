// The metrics MCP server: read-only tools over one MetricSource.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { MetricSource } from './source.js';
import { registerGetAnomaliesTool } from './tools/getAnomalies.js';
import { registerGetErrorRatesTool } from './tools/getErrorRates.js';
import { registerGetMetricAtTool } from './tools/getMetricAt.js';
import { registerGetMetricsTool } from './tools/getMetrics.js';
import { registerListMetricsTool } from './tools/listMetrics.js';

export function createMetricsServer(source: MetricSource): McpServer {
  const server = new McpServer(
    { name: 'incident-analyzer-metrics', version: '0.1.0' },
    {
      instructions:
        'Metrics of the incident: call list_metrics first for names and time span, get_anomalies to find when ' +
        'things changed and what moved first, get_error_rates for the error spike, get_metrics to look at values, ' +
        'get_metric_at to check one value. Times are ISO-8601 UTC.',
    },
  );
  const deps = { source };
  registerListMetricsTool(server, deps);
  registerGetMetricsTool(server, deps);
  registerGetAnomaliesTool(server, deps);
  registerGetErrorRatesTool(server, deps);
  registerGetMetricAtTool(server, deps);
  return server;
}
