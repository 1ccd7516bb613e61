// The `incidentAnalyzer.*` settings as one typed value. Reading goes through a getter so this file stays
// free of the vscode module and can be tested in plain Node.
export interface ExtensionSettings {
  analyst: 'auto' | 'ollama' | 'vscode-lm' | 'builtin';
  ollamaHost: string;
  allowApiKeyOverHttp: boolean;
  model: string;
  /** incidentAnalyzer.vscodeLm.model: which VS Code chat model ("vendor/family", "vendor/id" or an id); empty: the first available. */
  vscodeLmModel: string;
  numCtx: number;
  maxTurns: number;
  /** incidentAnalyzer.ollama.predigest: give the model the built-in analyst's first pass to start from. */
  predigest: boolean;
  toolTimeoutMs: number;
  logs: string[];
  repository: string;
  metricsFile: string;
  deploymentsFile: string;
  prometheusUrl: string;
  prometheusSignalsFile: string;
  lokiUrl: string;
  lokiSelector: string;
  lokiTenant: string;
  servers: Record<string, unknown>;
  useWorkspaceMcpJson: boolean;
  /** incidentAnalyzer.offerServersToChat: offer our servers to VS Code's MCP registry (agent mode, other chats). */
  offerServersToChat: boolean;
}

export type SettingGetter = <T>(key: string, fallback: T) => T;

export function readSettings(get: SettingGetter): ExtensionSettings {
  const analyst = get<string>('analyst', 'auto');
  const text = (key: string) => String(get<string>(key, '') ?? '').trim();
  const positive = (key: string, fallback: number) => {
    const n = Number(get<number>(key, fallback));
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  const servers = get<unknown>('servers', {});
  const logs = get<unknown>('logs', []);
  return {
    analyst: analyst === 'ollama' || analyst === 'vscode-lm' || analyst === 'builtin' ? analyst : 'auto',
    ollamaHost: text('ollamaHost') || 'http://127.0.0.1:11434',
    allowApiKeyOverHttp: get<boolean>('allowApiKeyOverHttp', false) === true,
    model: text('model'),
    vscodeLmModel: text('vscodeLm.model'),
    numCtx: Math.round(positive('numCtx', 16384)),
    maxTurns: Math.round(positive('maxTurns', 12)),
    predigest: get<boolean>('ollama.predigest', true) !== false,
    toolTimeoutMs: Math.round(positive('toolTimeoutSeconds', 60) * 1000),
    logs: Array.isArray(logs) ? logs.filter((l): l is string => typeof l === 'string' && l.trim() !== '') : [],
    repository: text('repository'),
    metricsFile: text('metricsFile'),
    deploymentsFile: text('deploymentsFile'),
    prometheusUrl: text('prometheusUrl'),
    prometheusSignalsFile: text('prometheusSignalsFile'),
    lokiUrl: text('lokiUrl'),
    lokiSelector: text('lokiSelector'),
    lokiTenant: text('lokiTenant'),
    servers: servers && typeof servers === 'object' && !Array.isArray(servers) ? (servers as Record<string, unknown>) : {},
    useWorkspaceMcpJson: get<boolean>('useWorkspaceMcpJson', false) === true,
    offerServersToChat: get<boolean>('offerServersToChat', true) !== false,
  };
}
