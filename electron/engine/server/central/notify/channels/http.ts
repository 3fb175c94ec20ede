// What the HTTP providers share: one POST with a deadline (SendGrid, Twilio), the rule that sorts
// an answer into sent, refused for good or worth trying again, and how long a provider asked us to
// wait (Web Push too).
import { SendFailure } from '../outgoing.ts';

export type HttpAnswer = { status: number; headers: Headers; text: string; json: unknown };

/**
 * POSTs and reads the whole answer within timeoutMs; a timeout or a network error is a transient
 * SendFailure. A timeout does not prove the provider did not take the message: the retry may
 * send it twice where the provider has no idempotency key (each adapter says whether it has one).
 */
export async function postWithDeadline(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page: the status still decides, the text is kept.
    }
    return { status: res.status, headers: res.headers, text, json };
  } catch (err) {
    throw networkFailure(provider, err, timeoutMs);
  }
}

function networkFailure(provider: string, err: unknown, timeoutMs: number): SendFailure {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new SendFailure('transient', `${provider} did not answer within ${timeoutMs} ms`, provider, { error: 'TIMEOUT', timeoutMs });
  }
  const code = e?.cause?.code ?? e?.name ?? 'NETWORK';
  return new SendFailure('transient', `${provider} could not be reached: ${e?.cause?.message ?? e?.message ?? String(err)}`, provider, {
    error: code,
  });
}

/** 408, 429 and 5xx can succeed later; any other 4xx is the request itself and never will. */
export const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * How long the provider asked us to wait, in seconds: Retry-After (seconds or an HTTP date), else
 * X-RateLimit-Reset (a Unix time, SendGrid's way). null when it did not say.
 */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim());
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset.trim()) - Math.floor(now / 1000));
  return null;
}
