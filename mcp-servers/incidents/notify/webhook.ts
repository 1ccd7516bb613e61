// Posts a message to the team's webhook: Slack's incoming-webhook payload, or a generic JSON one for other chat
// tools and pagers. Retries with backoff on network errors, 429 and 5xx; a 4xx is final. The URL is a secret:
// it is never logged or returned, only its host.
import type { Incident } from '../model.js';

export type WebhookFormat = 'slack' | 'json';

export interface WebhookSettings {
  url: string;
  format: WebhookFormat;
  /** How long one attempt may wait for an answer. */
  timeoutMs: number;
}

export interface Delivery {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status, when there was one. */
  status?: number;
  error?: string;
}

export interface DeliveryOptions {
  attempts: number;
  firstBackoffMs: number;
  timeoutMs: number;
}

const DEFAULTS = { attempts: 4, firstBackoffMs: 500 };

export function webhookFromEnv(env: NodeJS.ProcessEnv): WebhookSettings | undefined {
  const url = env.INCIDENT_WEBHOOK_URL?.trim();
  if (!url) return undefined;
  const given = env.INCIDENT_WEBHOOK_FORMAT?.trim().toLowerCase();
  const format: WebhookFormat = given === 'slack' || given === 'json' ? given : /hooks\.slack\.com/.test(url) ? 'slack' : 'json';
  const seconds = Number(env.INCIDENT_WEBHOOK_TIMEOUT_SECONDS);
  return { url, format, timeoutMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5_000 };
}

/** Where it goes, safe to show: the scheme and host only (the path of a webhook URL is its secret). */
export function webhookHost(settings: WebhookSettings): string {
  try {
    const u = new URL(settings.url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(an invalid URL)';
  }
}

export function payloadFor(format: WebhookFormat, incident: Incident, message: string): unknown {
  const headline = `${incident.id} [${incident.severity}, ${incident.status}] ${incident.title}`;
  if (format === 'slack') {
    // Slack reads mrkdwn in `text`: the message is sent as plain text with its control characters escaped.
    return { text: `${escapeSlack(headline)}\n${escapeSlack(message)}` };
  }
  return {
    incident: { id: incident.id, title: incident.title, severity: incident.severity, status: incident.status, service: incident.service },
    message,
    sentAt: new Date().toISOString(),
  };
}

export async function deliver(settings: WebhookSettings, payload: unknown, options: Partial<DeliveryOptions> = {}): Promise<Delivery> {
  const o: DeliveryOptions = { ...DEFAULTS, timeoutMs: settings.timeoutMs, ...options };
  let last: Delivery = { delivered: false, attempts: 0 };
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    if (attempt > 1) await sleep(o.firstBackoffMs * 2 ** (attempt - 2));
    try {
      const response = await fetch(settings.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'error',
      });
      await response.body?.cancel();
      if (response.ok) return { delivered: true, attempts: attempt, status: response.status };
      last = { delivered: false, attempts: attempt, status: response.status, error: `the webhook answered HTTP ${response.status}` };
      if (response.status < 500 && response.status !== 429) return last; // the request itself is wrong: retrying will not help
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${o.timeoutMs / 1000} s` : (e.cause?.code ?? e.message);
      last = { delivered: false, attempts: attempt, error: `could not reach ${webhookHost(settings)}: ${why}` };
    }
  }
  return last;
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
