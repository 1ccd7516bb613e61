// Server definitions in the shape of VS Code's mcp.json `servers` entries, so users can paste what they have.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';

const stdioSchema = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1, 'command is empty'),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
    envFile: z.string().optional(),
    cwd: z.string().optional(),
  })
  .passthrough();

/**
 * How to sign in to a remote server that answers 401. Without it the client registers itself dynamically;
 * `clientId` (and `clientSecret` for a confidential client) is for an authorization server that needs
 * pre-registration. `redirectPort` pins the loopback port for servers that match redirect URIs exactly.
 */
const oauthSchema = z
  .object({
    clientId: z.string().min(1, 'clientId is empty').optional(),
    clientSecret: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    redirectPort: z.number().int().min(1).max(65535).optional(),
    /** client_credentials: a service account signs in with clientId + clientSecret, no browser. */
    grantType: z.enum(['authorization_code', 'client_credentials']).optional(),
  })
  .passthrough()
  .refine((o) => o.clientSecret === undefined || o.clientId !== undefined, { message: 'clientSecret needs clientId' })
  .refine((o) => o.grantType !== 'client_credentials' || (o.clientId && o.clientSecret), { message: 'grantType client_credentials needs clientId and clientSecret' });

const httpSchema = z
  .object({
    type: z.enum(['http', 'sse']),
    url: z.string().url('url is not a valid URL'),
    headers: z.record(z.string(), z.string()).optional(),
    oauth: oauthSchema.optional(),
  })
  .passthrough();

const definitionSchema = z.union([httpSchema, stdioSchema]);

export type StdioServerDefinition = z.infer<typeof stdioSchema>;
export type HttpServerDefinition = z.infer<typeof httpSchema>;
export type ServerDefinition = z.infer<typeof definitionSchema>;
export type ServerDefinitions = Record<string, ServerDefinition>;
export type OAuthSettings = z.infer<typeof oauthSchema>;

/** A definition with every variable substituted and the env file read: ready to launch. */
export type ResolvedServer =
  | { name: string; type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { name: string; type: 'http'; url: string; headers: Record<string, string>; oauth?: OAuthSettings };

export class ConfigError extends Error {}

export interface Variables {
  workspaceFolder?: string;
  env: NodeJS.ProcessEnv;
}

/** Reads an mcp.json text: `{ "servers": {...} }`, `{ "mcpServers": {...} }`, or the map itself. */
export function parseMcpJson(text: string, source: string): ServerDefinitions {
  // VS Code's mcp.json is JSONC: comments and trailing commas are allowed.
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new ConfigError(`${source} is not valid JSON: ${printParseErrorCode(first.error)} at offset ${first.offset}.`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${source} must hold a JSON object.`);
  const record = data as Record<string, unknown>;
  const servers = record.servers ?? record.mcpServers ?? record;
  return validateDefinitions(servers, source);
}

export function validateDefinitions(servers: unknown, source: string): ServerDefinitions {
  if (!servers || typeof servers !== 'object' || Array.isArray(servers)) {
    throw new ConfigError(`${source}: "servers" must be an object of name → definition.`);
  }
  const out: ServerDefinitions = {};
  for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
    const parsed = definitionSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
      throw new ConfigError(
        `${source}: server "${name}" is not a valid definition${where}: ${issue?.message ?? 'unknown problem'}. ` +
          'Use { "type": "stdio", "command", "args" } or { "type": "http", "url" }.',
      );
    }
    out[name] = parsed.data;
  }
  return out;
}

/** Replaces `${workspaceFolder}`, `${env:NAME}` and `${userHome}`; an unknown variable is an error, not a blank. */
export function substitute(value: string, vars: Variables, where: string): string {
  return value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'workspaceFolder') {
      if (!vars.workspaceFolder) throw new ConfigError(`${where} uses \${workspaceFolder} but no workspace folder is open.`);
      return vars.workspaceFolder;
    }
    if (name === 'userHome') return vars.env.HOME ?? vars.env.USERPROFILE ?? '';
    if (name.startsWith('env:')) return vars.env[name.slice(4)] ?? '';
    throw new ConfigError(`${where} uses an unknown variable \${${name}}; supported: \${workspaceFolder}, \${env:NAME}, \${userHome}.`);
  });
}

export function resolveServers(defs: ServerDefinitions, vars: Variables): ResolvedServer[] {
  return Object.entries(defs).map(([name, def]) => {
    const sub = (v: string, field: string) => substitute(v, vars, `server "${name}" ${field}`);
    if (def.type === 'http' || def.type === 'sse') {
      const headers = Object.fromEntries(Object.entries(def.headers ?? {}).map(([k, v]) => [k, sub(v, `header ${k}`)]));
      const oauth = def.oauth && {
        ...def.oauth,
        clientId: def.oauth.clientId && sub(def.oauth.clientId, 'oauth.clientId'),
        clientSecret: def.oauth.clientSecret && sub(def.oauth.clientSecret, 'oauth.clientSecret'),
      };
      return { name, type: 'http', url: sub(def.url, 'url'), headers, ...(oauth ? { oauth } : {}) };
    }
    const stdio = def as StdioServerDefinition;
    const cwd = stdio.cwd ? sub(stdio.cwd, 'cwd') : vars.workspaceFolder;
    const env: Record<string, string> = {};
    if (stdio.envFile) Object.assign(env, readEnvFile(path.resolve(cwd ?? '.', sub(stdio.envFile, 'envFile')), name));
    for (const [k, v] of Object.entries(stdio.env ?? {})) {
      if (v !== null) env[k] = sub(String(v), `env ${k}`);
    }
    return { name, type: 'stdio', command: sub(stdio.command, 'command'), args: (stdio.args ?? []).map((a, i) => sub(a, `args[${i}]`)), env, cwd };
  });
}

/** KEY=VALUE lines; `#` comments; optional quotes. */
export function readEnvFile(file: string, server: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`server "${server}": envFile ${file} cannot be read; fix the path or remove envFile.`);
  }
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    env[m[1]!] = value;
  }
  return env;
}
