// The providers this service sends through, from its settings. A channel left unconfigured has
// no worker here: its jobs wait in PostgreSQL for a service that has one.
import type { CentralConfig } from '../config.ts';
import { sendgridChannel } from './channels/sendgrid.ts';
import { smtpChannel } from './channels/smtp.ts';
import { twilioChannel } from './channels/twilio.ts';
import { webPushChannel } from './channels/web-push.ts';
import type { NotifyChannel } from './job-rows.ts';
import type { Channel } from './outgoing.ts';

export function channelsFrom(config: CentralConfig): Partial<Record<NotifyChannel, Channel>> {
  const channels: Partial<Record<NotifyChannel, Channel>> = {};
  const email = config.email;
  if (email?.via === 'smtp') channels.EMAIL = smtpChannel({ url: email.url, from: email.from, timeoutMs: config.sendTimeoutMs }) as Channel;
  if (email?.via === 'sendgrid') {
    channels.EMAIL = sendgridChannel({
      baseUrl: email.baseUrl,
      apiKey: email.apiKey,
      from: email.from,
      timeoutMs: config.sendTimeoutMs,
    }) as Channel;
  }
  const texts = config.texts;
  if (texts) {
    const twilio = (from: string, whatsappFrom?: string) =>
      twilioChannel({
        accountSid: texts.accountSid,
        authToken: texts.authToken,
        from,
        ...(whatsappFrom ? { whatsappFrom } : {}),
        baseUrl: texts.baseUrl,
        timeoutMs: config.sendTimeoutMs,
      }) as Channel;
    if (texts.smsFrom) channels.SMS = twilio(texts.smsFrom);
    if (texts.whatsappFrom) channels.WHATSAPP = twilio(texts.smsFrom ?? texts.whatsappFrom, texts.whatsappFrom);
  }
  if (config.push) {
    channels.PUSH = webPushChannel({
      vapid: { subject: config.push.subject, publicKey: config.push.publicKey, privateKey: config.push.privateKey },
      timeoutMs: config.sendTimeoutMs,
    }) as Channel;
  }
  return channels;
}
