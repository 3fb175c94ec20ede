// What `pos central serve` runs with: flags first, then POS_CENTRAL_* environment variables, then
// defaults that work on one machine (PostgreSQL and Redis on 127.0.0.1). A bad value is one line
// naming the flag and its variable, so a unit file or a container spec is fixed at a glance.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { APP_ROOT } from '#db/app-root.ts';
import { MIN_SECRET_LENGTH } from './phone/link-token.ts';

export const ROLES = ['web', 'worker', 'all'] as const;
export type CentralRole = (typeof ROLES)[number];

export class CentralConfigError extends Error {
  override name = 'CentralConfigError';
}

/** Each setting: its flag, its environment variable and its default. */
export const SETTINGS = {
  url: { env: 'POS_CENTRAL_URL', fallback: 'postgres://127.0.0.1:5432/pos_central' },
  'read-url': { env: 'POS_CENTRAL_READ_URL', fallback: undefined },
  redis: { env: 'POS_CENTRAL_REDIS', fallback: 'redis://127.0.0.1:6379' },
  port: { env: 'POS_CENTRAL_PORT', fallback: '8480' },
  host: { env: 'POS_CENTRAL_HOST', fallback: '127.0.0.1' },
  role: { env: 'POS_CENTRAL_ROLE', fallback: 'all' },
  'data-dir': { env: 'POS_CENTRAL_DATA_DIR', fallback: join(APP_ROOT, '.pos-data', 'central') },
  'archive-dir': { env: 'POS_CENTRAL_ARCHIVE_DIR', fallback: undefined },
  'log-dir': { env: 'POS_CENTRAL_LOG_DIR', fallback: undefined },
  'hot-days': { env: 'POS_CENTRAL_HOT_DAYS', fallback: '30' },
  'log-ttl-days': { env: 'POS_CENTRAL_LOG_TTL_DAYS', fallback: '90' },
  'archive-schedule': { env: 'POS_CENTRAL_ARCHIVE_SCHEDULE', fallback: '15 3 * * *' },
  'ttl-schedule': { env: 'POS_CENTRAL_TTL_SCHEDULE', fallback: '45 3 * * *' },
  /** Between two scans for what managers should hear of (variances, quiet registers, low stock, quarantines). */
  'alert-every-ms': { env: 'POS_CENTRAL_ALERT_EVERY_MS', fallback: '30000' },
  // Where e-mail goes: an SMTP relay, or SendGrid's API (its key only ever in POS_CENTRAL_SENDGRID_KEY).
  smtp: { env: 'POS_CENTRAL_SMTP_URL', fallback: undefined },
  'sendgrid-url': { env: 'POS_CENTRAL_SENDGRID_URL', fallback: undefined },
  'mail-from': { env: 'POS_CENTRAL_MAIL_FROM', fallback: 'Tickets <tickets@localhost>' },
  'email-rate': { env: 'POS_CENTRAL_EMAIL_RATE', fallback: '100' },
  // SMS and WhatsApp through Twilio (account SID and token only in POS_CENTRAL_TWILIO_SID and
  // POS_CENTRAL_TWILIO_TOKEN); Web Push with VAPID keys (POS_CENTRAL_VAPID_PUBLIC_KEY and
  // POS_CENTRAL_VAPID_PRIVATE_KEY, made once with `npx web-push generate-vapid-keys`).
  'twilio-url': { env: 'POS_CENTRAL_TWILIO_URL', fallback: undefined },
  'sms-from': { env: 'POS_CENTRAL_SMS_FROM', fallback: undefined },
  'whatsapp-from': { env: 'POS_CENTRAL_WHATSAPP_FROM', fallback: undefined },
  'vapid-subject': { env: 'POS_CENTRAL_VAPID_SUBJECT', fallback: undefined },
  // Where managers' phones reach this service (behind its proxy): the base of the links that
  // subscribe a phone to pushes, signed with POS_CENTRAL_LINK_SECRET (only in the environment).
  'public-url': { env: 'POS_CENTRAL_PUBLIC_URL', fallback: undefined },
  /** A provider that has not answered by then has failed this attempt. */
  'send-timeout-ms': { env: 'POS_CENTRAL_SEND_TIMEOUT_MS', fallback: '20000' },
  /** A job handed to Redis and not finished by then is handed out again (in case Redis lost it). */
  'redispatch-ms': { env: 'POS_CENTRAL_REDISPATCH_MS', fallback: '300000' },
  // Stamping for the registers that sync: a pass over every business whose CSD and PAC account
  // are installed (`pos central set-csd|set-pac`), this often; and how long after a
  // period ends its sales are waited for before the factura global is made.
  'fiscal-every-ms': { env: 'POS_CENTRAL_FISCAL_EVERY_MS', fallback: '30000' },
  'global-settle-minutes': { env: 'POS_CENTRAL_GLOBAL_SETTLE_MINUTES', fallback: '60' },
  // Self-invoicing (/factura): a sale may be invoiced by its customer until this many days after
  // the end of its month (0: within its own calendar month, the branch's); lookups and requests
  // from one client address per 10 minutes; failed lookups of one receipt per hour.
  'self-invoice-days': { env: 'POS_CENTRAL_SELF_INVOICE_DAYS', fallback: '0' },
  'self-invoice-address-limit': { env: 'POS_CENTRAL_SELF_INVOICE_ADDRESS_LIMIT', fallback: '30' },
  'self-invoice-receipt-failures': { env: 'POS_CENTRAL_SELF_INVOICE_RECEIPT_FAILURES', fallback: '5' },
  // Who may say, in X-Forwarded-For, which address a request came from: the proxies' addresses
  // or ranges (comma-separated), or how many proxies stand in front. Unset: the socket's address.
  'trust-proxy': { env: 'POS_CENTRAL_TRUST_PROXY', fallback: undefined },
} as const;

export type SettingName = keyof typeof SETTINGS;

/** BullMQ's job lock (its default): renewed every half of it while the worker lives. */
export const JOB_LOCK_MS = 30_000;

const urlWith = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );

const pgUrl = urlWith(['postgres:', 'postgresql:'], 'postgres://user@host:5432/database');
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be a whole number from ${min} to ${max}` });
// Five or six cron fields (the sixth, leading, is seconds): what BullMQ's job schedulers take.
const cron = z.string().regex(/^\s*\S+(\s+\S+){4,5}\s*$/, { message: 'must be a cron pattern such as "15 3 * * *"' });

const schema = z.object({
  url: pgUrl,
  'read-url': pgUrl.optional(),
  redis: urlWith(['redis:', 'rediss:'], 'redis://host:6379'),
  port: wholeNumber(0, 65535),
  host: z.string().min(1, { message: 'must name an address to listen on' }),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
  'data-dir': z.string().min(1),
  'archive-dir': z.string().min(1).optional(),
  'log-dir': z.string().min(1).optional(),
  'hot-days': wholeNumber(1, 3650),
  'log-ttl-days': wholeNumber(1, 3650),
  'archive-schedule': cron,
  'ttl-schedule': cron,
  'alert-every-ms': wholeNumber(1000, 3_600_000),
  smtp: urlWith(['smtp:', 'smtps:'], 'smtp://user:password@host:587').optional(),
  'sendgrid-url': urlWith(['https:', 'http:'], 'https://api.sendgrid.com').optional(),
  'mail-from': z
    .string()
    .regex(/^([^<>]*<)?[^@<>\s]+@([^@<>\s]+)>?$/, { message: 'must be an address such as "Tickets <tickets@example.com>"' }),
  'email-rate': wholeNumber(1, 100_000),
  'twilio-url': urlWith(['https:', 'http:'], 'https://api.twilio.com').optional(),
  'sms-from': z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, { message: 'must be a phone number in E.164, such as +525512345678' })
    .optional(),
  'whatsapp-from': z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, { message: 'must be a phone number in E.164, such as +525512345678' })
    .optional(),
  'vapid-subject': z
    .string()
    .regex(/^(mailto:|https:)/, { message: 'must be a mailto: or https: address' })
    .optional(),
  'public-url': urlWith(['https:', 'http:'], 'https://pos.example.com').optional(),
  'send-timeout-ms': wholeNumber(100, 300_000),
  'redispatch-ms': wholeNumber(1000, 86_400_000),
  'fiscal-every-ms': wholeNumber(100, 86_400_000),
  'global-settle-minutes': wholeNumber(0, 1440),
  'self-invoice-days': wholeNumber(0, 366),
  'self-invoice-address-limit': wholeNumber(1, 100_000),
  'self-invoice-receipt-failures': wholeNumber(1, 1000),
  'trust-proxy': z
    .string()
    .regex(/^(\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
      message: 'must be a number of proxies, or their addresses or ranges separated by commas (10.0.0.5, 10.1.0.0/16)',
    })
    .optional(),
});

export type CentralConfig = {
  url: string;
  readUrl: string | undefined;
  redis: string;
  port: number;
  host: string;
  role: CentralRole;
  archiveDir: string;
  /** Null in a container: its runtime collects stdout, files inside it would only fill a layer. */
  logDir: string | null;
  hotDays: number;
  logTtlDays: number;
  schedules: { archive: string; ttl: string };
  alertEveryMs: number;
  email: EmailConfig | null;
  texts: TextConfig | null;
  push: PushConfig | null;
  /** Jobs per second over every worker of the service. */
  emailRate: number;
  sendTimeoutMs: number;
  /**
   * A PROCESSING row's lease: never shorter than BullMQ's 30 s job lock (the sign a worker is
   * alive), nor than three send timeouts. A busy worker stalled for seconds (rendering, a loaded
   * machine) still holds its rows; only one silent for that long is taken to have died.
   */
  leaseMs: number;
  redispatchMs: number;
  /** Where each business's CSD and PAC account are kept (fiscal/business-secrets.ts). */
  dataDir: string;
  fiscalEveryMs: number;
  globalSettleMinutes: number;
  selfInvoice: SelfInvoiceConfig;
  /** Fastify's trustProxy: how many proxies, or which, may name the client's address; null trusts none. */
  trustProxy: number | string[] | null;
};

export type SelfInvoiceConfig = {
  /** Days after the end of the sale's month (in its branch's time zone) it may still be self-invoiced. */
  daysAfterMonth: number;
  /** Lookups and requests one client address may make per ADDRESS_WINDOW_MS. */
  addressLimit: number;
  /** Failed lookups of one receipt code per RECEIPT_WINDOW_MS before it is refused for a while. */
  receiptFailures: number;
};

export type TextConfig = { baseUrl: string; accountSid: string; authToken: string; smsFrom: string | null; whatsappFrom: string | null };
export type PushConfig = {
  subject: string;
  publicKey: string;
  privateKey: string;
  /** Signs the links that subscribe a phone (phone/link-token.ts); at least 32 characters. */
  linkSecret: string;
  /** The base of those links (--public-url), without a trailing slash. */
  publicUrl: string;
};

export type EmailConfig = { from: string; domain: string } & (
  | { via: 'smtp'; url: string }
  | { via: 'sendgrid'; baseUrl: string; apiKey: string }
);

type Env = Record<string, string | undefined>;

/** Reads the settings; throws CentralConfigError with one line for the first bad one. */
export function readCentralConfig(flags: Partial<Record<SettingName, string>>, env: Env = process.env): CentralConfig {
  const raw: Record<string, string | undefined> = {};
  for (const [name, { env: variable, fallback }] of Object.entries(SETTINGS)) {
    const fromEnv = env[variable] === '' ? undefined : env[variable];
    raw[name] = flags[name as SettingName] ?? fromEnv ?? fallback;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]) as SettingName;
    const source = flags[name] !== undefined ? `--${name}` : `${SETTINGS[name].env}`;
    // A URL may carry a password: it is named, never echoed.
    const shown = /url|redis|smtp/.test(name) ? '' : ` (got "${raw[name] ?? ''}")`;
    throw new CentralConfigError(`${source} ${issue.message}${shown}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c['data-dir']);
  return {
    url: c.url,
    readUrl: c['read-url'],
    redis: c.redis,
    port: c.port,
    host: c.host,
    role: c.role,
    archiveDir: resolve(c['archive-dir'] ?? join(dataDir, 'archive')),
    logDir: c['log-dir'] ? resolve(c['log-dir']) : inContainer(env) ? null : join(dataDir, 'logs'),
    hotDays: c['hot-days'],
    logTtlDays: c['log-ttl-days'],
    schedules: { archive: c['archive-schedule'], ttl: c['ttl-schedule'] },
    alertEveryMs: c['alert-every-ms'],
    email: emailConfig(c, env),
    texts: textConfig(c, env),
    push: pushConfig(c, env),
    emailRate: c['email-rate'],
    sendTimeoutMs: c['send-timeout-ms'],
    leaseMs: Math.max(JOB_LOCK_MS, 3 * c['send-timeout-ms']),
    redispatchMs: c['redispatch-ms'],
    dataDir,
    fiscalEveryMs: c['fiscal-every-ms'],
    globalSettleMinutes: c['global-settle-minutes'],
    selfInvoice: {
      daysAfterMonth: c['self-invoice-days'],
      addressLimit: c['self-invoice-address-limit'],
      receiptFailures: c['self-invoice-receipt-failures'],
    },
    trustProxy: trustProxyOf(c['trust-proxy']),
  };
}

function trustProxyOf(value: string | undefined): number | string[] | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((a) => a.trim());
}

/** No SMTP and no SendGrid: e-mail jobs wait in PostgreSQL until a service that has one runs. */
function emailConfig(c: z.output<typeof schema>, env: Env): EmailConfig | null {
  const from = c['mail-from'];
  const domain = from.replace(/^.*@/, '').replace(/>$/, '');
  if (c.smtp) return { via: 'smtp', url: c.smtp, from, domain };
  if (c['sendgrid-url'] || env.POS_CENTRAL_SENDGRID_KEY) {
    const apiKey = env.POS_CENTRAL_SENDGRID_KEY;
    if (!apiKey) throw new CentralConfigError('POS_CENTRAL_SENDGRID_KEY must hold the SendGrid API key when --sendgrid-url is set');
    return { via: 'sendgrid', baseUrl: c['sendgrid-url'] ?? 'https://api.sendgrid.com', apiKey, from, domain };
  }
  return null;
}

/** Twilio, when its account is given: SMS with --sms-from, WhatsApp with --whatsapp-from. */
function textConfig(c: z.output<typeof schema>, env: Env): TextConfig | null {
  const accountSid = env.POS_CENTRAL_TWILIO_SID || undefined;
  if (!accountSid) return null;
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new CentralConfigError('POS_CENTRAL_TWILIO_SID must be AC followed by 32 hex digits');
  const authToken = env.POS_CENTRAL_TWILIO_TOKEN;
  if (!authToken)
    throw new CentralConfigError('POS_CENTRAL_TWILIO_TOKEN must hold the Twilio auth token when POS_CENTRAL_TWILIO_SID is set');
  const smsFrom = c['sms-from'] ?? null;
  const whatsappFrom = c['whatsapp-from'] ?? null;
  if (!smsFrom && !whatsappFrom) throw new CentralConfigError('--sms-from or --whatsapp-from must name the sending number for Twilio');
  return { baseUrl: c['twilio-url'] ?? 'https://api.twilio.com', accountSid, authToken, smsFrom, whatsappFrom };
}

function pushConfig(c: z.output<typeof schema>, env: Env): PushConfig | null {
  const publicKey = env.POS_CENTRAL_VAPID_PUBLIC_KEY;
  const privateKey = env.POS_CENTRAL_VAPID_PRIVATE_KEY;
  if (!publicKey && !privateKey) return null;
  if (!publicKey || !privateKey) throw new CentralConfigError('POS_CENTRAL_VAPID_PUBLIC_KEY and POS_CENTRAL_VAPID_PRIVATE_KEY go together');
  const subject = c['vapid-subject'];
  if (!subject) throw new CentralConfigError('--vapid-subject must name who sends the pushes (mailto: or https:)');
  // Without a way to subscribe a phone, the keys would send to nobody.
  const linkSecret = env.POS_CENTRAL_LINK_SECRET ?? '';
  if (linkSecret.length < MIN_SECRET_LENGTH) {
    throw new CentralConfigError(
      `POS_CENTRAL_LINK_SECRET must hold at least ${MIN_SECRET_LENGTH} random characters when Web Push is configured (e.g. openssl rand -base64 33)`,
    );
  }
  const publicUrl = c['public-url']?.replace(/\/+$/, '');
  if (!publicUrl)
    throw new CentralConfigError("--public-url must name where managers' phones reach this service when Web Push is configured");
  return { subject, publicKey, privateKey, linkSecret, publicUrl };
}

function inContainer(env: Env): boolean {
  return env.container !== undefined || env.KUBERNETES_SERVICE_HOST !== undefined || existsSync('/.dockerenv');
}
