// communication: templates, channels, the bell-icon feed and the outbound job queue.
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { id, idempotencyKey, timestamps, utc, version } from './columns.ts';
import { indexOn, live, oneOf, partialIndex, uniqueOn } from './constraints.ts';
import { users } from './auth.ts';
import { branches, businesses, employees } from './business.ts';
// The vocabulary the screens share lives in the contract; the schema constrains the column to it.
import { SEVERITIES } from '../../contract/notification.ts';

export const communicationSchema = pgSchema('communication');

export const CHANNELS = ['EMAIL', 'SMS', 'WHATSAPP', 'PUSH', 'IN_APP'] as const;
export const TEMPLATE_ENGINES = ['HANDLEBARS', 'MJML'] as const;
export { SEVERITIES };
export const JOB_STATUSES = ['PENDING', 'PROCESSING', 'SENT', 'FAILED', 'CANCELLED'] as const;
export const DELIVERY_STATUSES = ['SENT', 'DELIVERED', 'FAILED', 'BOUNCED'] as const;

/** Message structure lives here, never in application code; images are CDN URLs, not base64. */
export const notificationTemplates = communicationSchema.table(
  'notification_templates',
  {
    id: id(),
    /** Null: a platform template every business can use. */
    businessId: uuid('business_id').references(() => businesses.id),
    code: text('code').notNull(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    locale: text('locale').notNull(),
    engine: text('engine', { enum: TEMPLATE_ENGINES }).notNull().default('HANDLEBARS'),
    subject: text('subject'),
    body: text('body').notNull(),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('notification_templates', t.businessId),
    uniqueOn('notification_templates', [t.code, t.channel, t.locale], sql`${t.businessId} is null and ${live(t.deletedAt)}`),
    uniqueOn(
      'notification_templates',
      [t.businessId, t.code, t.channel, t.locale],
      sql`${t.businessId} is not null and ${live(t.deletedAt)}`,
    ),
    oneOf('notification_templates', t.channel, CHANNELS),
    oneOf('notification_templates', t.engine, TEMPLATE_ENGINES),
    check('notification_templates_no_base64_check', sql`${t.body} !~ 'data:image/[a-z+]+.base64'`),
  ],
);

export const pushSubscriptions = communicationSchema.table(
  'push_subscriptions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    endpoint: text('endpoint').notNull(),
    keys: jsonb('keys').$type<{ p256dh: string; auth: string }>().notNull(),
    userAgent: text('user_agent'),
    lastUsedAt: utc('last_used_at'),
    revokedAt: utc('revoked_at'),
    ...timestamps(),
  },
  (t) => [indexOn('push_subscriptions', t.userId), uniqueOn('push_subscriptions', [t.endpoint])],
);

/** Hot storage: what the bell shows. Rows older than 30 days move to cold storage. */
export const inAppNotifications = communicationSchema.table(
  'in_app_notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    businessId: uuid('business_id').references(() => businesses.id),
    branchId: uuid('branch_id').references(() => branches.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    templateId: uuid('template_id').references(() => notificationTemplates.id),
    severity: text('severity', { enum: SEVERITIES }).notNull().default('INFO'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    readAt: utc('read_at'),
    ...timestamps(),
  },
  (t) => [
    indexOn('in_app_notifications', t.userId, t.createdAt),
    indexOn('in_app_notifications', t.businessId),
    indexOn('in_app_notifications', t.branchId),
    indexOn('in_app_notifications', t.employeeId),
    indexOn('in_app_notifications', t.templateId),
    partialIndex('in_app_notifications', 'unread', sql`${t.readAt} is null and ${t.deletedAt} is null`, t.userId),
    oneOf('in_app_notifications', t.severity, SEVERITIES),
  ],
);

/** The work queue: the caller only inserts a job; a worker makes the external call. */
export const notificationJobs = communicationSchema.table(
  'notification_jobs',
  {
    id: id(),
    businessId: uuid('business_id').references(() => businesses.id),
    userId: uuid('user_id').references(() => users.id),
    templateId: uuid('template_id')
      .notNull()
      .references(() => notificationTemplates.id),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    recipient: text('recipient').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    runAt: utc('run_at').notNull().defaultNow(),
    lockedAt: utc('locked_at'),
    lastError: text('last_error'),
    idempotencyKey: idempotencyKey(),
    ...timestamps(),
  },
  (t) => [
    indexOn('notification_jobs', t.businessId),
    indexOn('notification_jobs', t.userId),
    indexOn('notification_jobs', t.templateId),
    uniqueOn('notification_jobs', [t.idempotencyKey]),
    oneOf('notification_jobs', t.status, JOB_STATUSES),
    oneOf('notification_jobs', t.channel, CHANNELS),
    check('notification_jobs_attempts_check', sql`${t.attempts} >= 0`),
    partialIndex('notification_jobs', 'pending', sql`${t.status} = 'PENDING' and ${t.deletedAt} is null`, t.runAt),
  ],
);

/** Audit and debugging only, with a strict TTL: expiresAt says when a row may go cold. */
export const notificationLogs = communicationSchema.table(
  'notification_logs',
  {
    id: id(),
    jobId: uuid('job_id').references(() => notificationJobs.id),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    recipient: text('recipient').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    provider: text('provider'),
    providerResponse: jsonb('provider_response').$type<Record<string, unknown>>(),
    expiresAt: utc('expires_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('notification_logs', t.jobId),
    indexOn('notification_logs', t.expiresAt),
    // The TTL job deletes by age (POS_CENTRAL_LOG_TTL_DAYS), not by the expiry written at insert.
    indexOn('notification_logs', t.createdAt),
    oneOf('notification_logs', t.channel, CHANNELS),
    oneOf('notification_logs', t.status, DELIVERY_STATUSES),
  ],
);
