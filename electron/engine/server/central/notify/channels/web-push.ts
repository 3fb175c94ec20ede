// Web Push to a manager's browser, by the web-push library (VAPID and aes128gcm encryption).
//   Library: https://github.com/web-push-libs/web-push#readme
//   Protocol (201 Created, TTL, Topic, Urgency; 404/410 for a subscription that is gone): RFC 8030,
//   https://www.rfc-editor.org/rfc/rfc8030 and https://web.dev/articles/push-notifications-web-push-protocol
//   Payload encryption: RFC 8291; VAPID: RFC 8292.
// Push services take no idempotency key. The Topic header is the nearest thing: a resend with the
// same topic replaces the first while it is still undelivered (RFC 8030 §5.4), so a retry after a
// lost answer shows one notification, not two, unless the first already reached the phone.
import { createHash } from 'node:crypto';
import type { Agent } from 'node:https';
import webpush from 'web-push';
import { type Channel, type OutgoingPush, SendFailure, type SendReceipt } from '../outgoing.ts';
import { retryAfterSeconds } from './http.ts';

const PROVIDER = 'web-push';

export type WebPushOptions = {
  vapid: { subject: string; publicKey: string; privateKey: string };
  /** RFC 8030 §5.3: how hard the phone should try to wake for it. */
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  timeoutMs?: number;
  /** An HTTPS agent for a private CA (tests) or a proxy. */
  agent?: Agent;
};

export function webPushChannel(opts: WebPushOptions): Channel<OutgoingPush> {
  const { subject, publicKey, privateKey } = opts.vapid;
  if (!/^(mailto:|https:)/.test(subject)) throw new Error('web-push: the VAPID subject is a mailto: or https: address');
  // Throws on keys of the wrong shape now, at start, rather than on every message.
  webpush.getVapidHeaders('https://push.example', subject, publicKey, privateKey, 'aes128gcm');
  const timeoutMs = opts.timeoutMs ?? 15_000;

  return {
    provider: PROVIDER,
    async send(message) {
      const { subscription } = message;
      let endpoint: URL | null = null;
      try {
        endpoint = new URL(subscription.endpoint);
      } catch {
        // Not a URL at all: refused just below, like an http: one.
      }
      if (endpoint?.protocol !== 'https:') {
        throw new SendFailure('permanent', `the subscription's endpoint is not an https: URL: ${subscription.endpoint}`, PROVIDER, {});
      }
      const options: webpush.RequestOptions = {
        vapidDetails: opts.vapid,
        TTL: message.ttlSeconds,
        urgency: opts.urgency ?? 'normal',
        topic: topicOf(message.idempotencyKey),
        contentEncoding: 'aes128gcm',
        timeout: timeoutMs,
        ...(opts.agent ? { agent: opts.agent } : {}),
      };
      try {
        // Only encrypts and signs: keys the browser never made are refused here, before the network.
        webpush.generateRequestDetails(subscription, message.payload, options);
      } catch (err) {
        throw new SendFailure('permanent', `the subscription's keys cannot be used: ${(err as Error).message}`, PROVIDER, {});
      }
      try {
        const sent = await webpush.sendNotification(subscription, message.payload, options);
        const location = sent.headers.location ?? null;
        return { provider: PROVIDER, providerId: location, response: { status: sent.statusCode, location } } satisfies SendReceipt;
      } catch (err) {
        throw classify(err, timeoutMs);
      }
    },
    async close() {},
  };
}

/** Topic: at most 32 characters of the URL-safe base64 alphabet (RFC 8030 §5.4). */
const topicOf = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 32);

function classify(err: unknown, timeoutMs: number): SendFailure {
  if (err instanceof webpush.WebPushError) {
    const status = err.statusCode;
    const headers = new Headers(Object.entries(err.headers ?? {}).filter((h): h is [string, string] => typeof h[1] === 'string'));
    const response = { status, body: err.body.slice(0, 500), retryAfterSeconds: retryAfterSeconds(headers) };
    if (status === 404 || status === 410) {
      const reason = `the push subscription is gone (${status}): revoke it, the browser will not receive on it again`;
      return new SendFailure('permanent', reason, PROVIDER, { ...response, subscriptionGone: true });
    }
    const transient = status === 408 || status === 429 || status >= 500;
    return new SendFailure(
      transient ? 'transient' : 'permanent',
      `push service answered ${status}: ${err.body.slice(0, 200)}`,
      PROVIDER,
      response,
    );
  }
  const e = err as Error & { code?: string };
  if (e?.message === 'Socket timeout') {
    return new SendFailure('transient', `push service did not answer within ${timeoutMs} ms`, PROVIDER, { error: 'TIMEOUT' });
  }
  return new SendFailure('transient', `push service could not be reached: ${e?.message ?? String(err)}`, PROVIDER, {
    error: e?.code ?? 'NETWORK',
  });
}
