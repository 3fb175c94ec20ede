// Twilio's Messages resource on 127.0.0.1, as documented
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource): POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json, Basic auth with the account SID and auth
// token, form-encoded To/From/Body (whatsapp:+E164 on both for WhatsApp); 201 with the Message
// resource; refusals as Twilio's error JSON { code, message, more_info, status }.
import { randomBytes } from 'node:crypto';
import { type Answer, type HttpLoopback, header, type Scripted, startHttpLoopback } from './loopback-http.ts';

export type TwilioMessage = { sid: string; channel: 'sms' | 'whatsapp'; to: string; from: string; body: string };

export type LoopbackTwilio = {
  /** Give it to the adapter as baseUrl. */
  baseUrl: string;
  messages: TwilioMessage[];
  readonly attempts: number;
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
};

/** Twilio's error body, as its REST API answers one. */
export const twilioError = (status: number, code: number, message: string, headers?: Record<string, string>): Answer => ({
  status,
  headers,
  json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

const E164 = /^\+[1-9]\d{6,14}$/;

export async function startLoopbackTwilio(opts: { accountSid: string; authToken: string }): Promise<LoopbackTwilio> {
  const messages: TwilioMessage[] = [];
  const path = `/2010-04-01/Accounts/${opts.accountSid}/Messages.json`;
  const loop: HttpLoopback = await startHttpLoopback((req, raw) => {
    const refuse = (status: number, code: number, message: string) => ({ refuse: twilioError(status, code, message) });
    const basic = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
    if (header(req, 'authorization') !== basic) return refuse(401, 20003, 'Authenticate');
    if (req.method !== 'POST' || req.url !== path) return refuse(404, 20404, `The requested resource ${req.url} was not found`);
    // Twilio reads parameters from a form body only; JSON leaves every parameter missing.
    const form = header(req, 'content-type').startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(raw.toString('utf8'))
      : new URLSearchParams();
    const to = form.get('To');
    const from = form.get('From');
    const body = form.get('Body');
    if (!to) return refuse(400, 21604, "A 'To' phone number is required.");
    if (!from) return refuse(400, 21603, "A 'From' phone number is required.");
    if (!body) return refuse(400, 21602, 'Message body is required.');
    if (body.length > 1600) return refuse(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const whatsapp = to.startsWith('whatsapp:');
    if (!E164.test(to.replace(/^whatsapp:/, ''))) return refuse(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (whatsapp !== from.startsWith('whatsapp:')) {
      return refuse(400, 63007, 'Twilio could not find a Channel with the specified From address');
    }
    return {
      accept: () => {
        const sid = `SM${randomBytes(16).toString('hex')}`;
        messages.push({ sid, channel: whatsapp ? 'whatsapp' : 'sms', to, from, body });
        const json = {
          sid,
          account_sid: opts.accountSid,
          to,
          from,
          body,
          status: 'queued',
          num_segments: '1',
          num_media: '0',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          price: null,
          price_unit: 'USD',
          error_code: null,
          error_message: null,
          date_created: new Date().toUTCString().replace('GMT', '+0000'),
          date_sent: null,
          uri: `/2010-04-01/Accounts/${opts.accountSid}/Messages/${sid}.json`,
        };
        return { status: 201, json };
      },
    };
  });
  return {
    baseUrl: loop.origin,
    messages,
    get attempts() {
      return loop.attempts;
    },
    script: loop.script,
    close: loop.close,
  };
}
