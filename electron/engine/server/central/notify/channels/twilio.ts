// SMS and WhatsApp through Twilio Programmable Messaging (the 2010-04-01 Messages resource).
//   Request and answer: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
//   Error bodies ({ code, message, more_info, status }): https://www.twilio.com/docs/usage/twilios-response
//   Error codes (21211 invalid To, 21610 unsubscribed, 63016 outside the WhatsApp window): https://www.twilio.com/docs/api/errors
// Twilio's Messages API takes no idempotency key. Its I-Twilio-Idempotency-Token header is one
// Twilio sends on its own webhook requests to us
// (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), not one it reads on
// ours, so none is sent: exactly-once rests on the job row, and a request that timed out after
// Twilio took it is sent again by the retry.
import { type Channel, type OutgoingText, SendFailure, type SendReceipt } from '../outgoing.ts';
import { checkPhone } from './addresses.ts';
import { isTransientStatus, postWithDeadline, retryAfterSeconds } from './http.ts';

const PROVIDER = 'twilio';

// 400s that are about the moment, not the message: 21611 is the sender's queue being full.
const TRANSIENT_CODES = new Set([21611]);

export type TwilioOptions = {
  accountSid: string;
  authToken: string;
  /** The SMS sender: a Twilio number in E.164 or an alphanumeric sender ID. */
  from: string;
  /** The WhatsApp sender in E.164 (without the whatsapp: prefix); `from` when not given. */
  whatsappFrom?: string;
  baseUrl?: string;
  timeoutMs?: number;
};

export function twilioChannel(opts: TwilioOptions): Channel<OutgoingText> {
  if (!/^AC[0-9a-fA-F]{32}$/.test(opts.accountSid)) throw new Error('twilio: the account SID is AC followed by 32 hex digits');
  if (!opts.authToken) throw new Error('twilio: an auth token is required');
  const url = `${(opts.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '')}/2010-04-01/Accounts/${opts.accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  return {
    provider: PROVIDER,
    async send(message) {
      if (!message.to.startsWith('+')) {
        throw new SendFailure('permanent', `El número «${message.to}» no está en formato internacional (+52…)`, PROVIDER, {
          field: 'phone',
        });
      }
      // With its + the number is read as written; the country only reads numbers without one.
      const to = checkPhone(message.to, 'MX', PROVIDER);
      const whatsapp = message.channel === 'WHATSAPP';
      const sender = whatsapp ? (opts.whatsappFrom ?? opts.from) : opts.from;
      const form = new URLSearchParams({
        To: whatsapp ? `whatsapp:${to}` : to,
        From: whatsapp ? `whatsapp:${sender.replace(/^whatsapp:/, '')}` : sender,
        Body: message.body,
      });
      const answer = await postWithDeadline(
        PROVIDER,
        url,
        {
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
        },
        timeoutMs,
      );
      const json = (answer.json ?? {}) as Record<string, unknown>;
      if (answer.status >= 200 && answer.status < 300 && typeof json.sid === 'string') {
        const response = {
          status: answer.status,
          sid: json.sid,
          messageStatus: json.status ?? null,
          numSegments: json.num_segments ?? null,
        };
        return { provider: PROVIDER, providerId: json.sid, response } satisfies SendReceipt;
      }
      const code = typeof json.code === 'number' ? json.code : null;
      const reason = typeof json.message === 'string' ? json.message : answer.text.slice(0, 200) || `HTTP ${answer.status}`;
      const response = {
        status: answer.status,
        code,
        message: reason,
        moreInfo: typeof json.more_info === 'string' ? json.more_info : null,
        retryAfterSeconds: retryAfterSeconds(answer.headers),
      };
      const transient = isTransientStatus(answer.status) || (code !== null && TRANSIENT_CODES.has(code));
      // A 2xx without a sid is not an answer Twilio gives; trying again is the safe reading.
      const kind = transient || answer.status < 300 ? 'transient' : 'permanent';
      throw new SendFailure(kind, `Twilio ${answer.status}${code ? ` (${code})` : ''}: ${reason}`, PROVIDER, response);
    },
    async close() {},
  };
}
