// A fake Ollama server for tests: a real HTTP server on 127.0.0.1 that speaks /api/chat (NDJSON streaming or
// one JSON object, errors as status + {"error"}), answering from a script of turns and recording every request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** One streamed line's message: some text, some tool calls, or both. */
export interface FakeChunk {
  content?: string;
  toolCalls?: FakeToolCall[];
}

export type FakeTurn =
  | { chunks: FakeChunk[]; /** Pause before each chunk, to stream slowly. */ delayMs?: number }
  | { status: number; error: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model: string;
  messages: Array<{ role: string; content: string; tool_calls?: Array<{ function: FakeToolCall }>; tool_name?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  stream?: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
}

/** Either a fixed list of turns, used in order, or a function choosing the turn from the request. */
export type FakeScript = FakeTurn[] | ((body: ChatRequestBody, index: number) => FakeTurn);

const MODEL_CAPABILITIES = ['completion', 'tools'];

export class FakeOllama {
  readonly requests: RecordedRequest[] = [];
  /** How many streamed responses the client went away from before they were complete. */
  clientDisconnects = 0;
  private chatIndex = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly script: FakeScript,
  ) {}

  static async start(script: FakeScript): Promise<FakeOllama> {
    let fake: FakeOllama | undefined;
    const server = http.createServer((req, res) => void fake!.handle(req, res));
    fake = new FakeOllama(server, script);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get host(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The bodies of the /api/chat requests, in order. */
  chats(): ChatRequestBody[] {
    return this.requests.filter((r) => r.path === '/api/chat').map((r) => r.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = await readBody(req);
    const body = (text ? JSON.parse(text) : {}) as ChatRequestBody;
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    if (req.url === '/api/tags') return sendJson(res, 200, { models: [{ name: 'fake-model:latest', model: 'fake-model:latest' }] });
    if (req.url === '/api/show') return sendJson(res, 200, { capabilities: MODEL_CAPABILITIES, details: {} });
    if (req.url !== '/api/chat') return sendJson(res, 404, { error: `no route ${req.url}` });

    const index = this.chatIndex++;
    const turn = typeof this.script === 'function' ? this.script(body, index) : this.script[index];
    if (!turn) return sendJson(res, 500, { error: `fake ollama: no scripted turn for chat request ${index + 1}` });
    if ('error' in turn) return sendJson(res, turn.status, { error: turn.error });
    if (body.stream === false) return sendJson(res, 200, { ...line(body.model, joined(turn.chunks)), ...doneFields() });
    await this.stream(req, res, body.model, turn);
  }

  private async stream(req: http.IncomingMessage, res: http.ServerResponse, model: string, turn: { chunks: FakeChunk[]; delayMs?: number }): Promise<void> {
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) gone = true;
    });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const chunk of turn.chunks) {
      if (turn.delayMs) await sleep(turn.delayMs);
      if (gone) break;
      res.write(`${JSON.stringify(line(model, chunk))}\n`);
    }
    if (gone) {
      this.clientDisconnects++;
      return;
    }
    res.end(`${JSON.stringify({ ...line(model, {}), ...doneFields() })}\n`);
  }
}

function line(model: string, chunk: FakeChunk): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: chunk.content ?? '' };
  if (chunk.toolCalls?.length) message.tool_calls = chunk.toolCalls.map((call) => ({ function: call }));
  return { model, created_at: new Date().toISOString(), message, done: false };
}

function doneFields(): Record<string, unknown> {
  return { done: true, done_reason: 'stop', total_duration: 1000, load_duration: 10, prompt_eval_count: 10, prompt_eval_duration: 100, eval_count: 5, eval_duration: 50 };
}

function joined(chunks: FakeChunk[]): FakeChunk {
  return { content: chunks.map((c) => c.content ?? '').join(''), toolCalls: chunks.flatMap((c) => c.toolCalls ?? []) };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (piece: string) => (text += piece));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Script helpers.

/** A turn streaming text in word-sized tokens. */
export function textTurn(text: string): FakeTurn {
  return { chunks: text.split(/(?<=\s)/).map((content) => ({ content })) };
}

/** A turn that asks for tool calls (several in one message when given several), after optional text. */
export function toolTurn(calls: FakeToolCall[], text = ''): FakeTurn {
  return { chunks: [...(text ? [{ content: text }] : []), { toolCalls: calls }] };
}

/** A turn answering with this JSON (or raw text), in a few pieces as a model streams it. */
export function jsonTurn(value: unknown): FakeTurn {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const size = Math.max(1, Math.ceil(text.length / 4));
  const chunks: FakeChunk[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push({ content: text.slice(i, i + size) });
  return { chunks };
}
