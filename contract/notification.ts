// In-app notifications: the bell's list for the people who must act, and the event that tells
// the bell new ones were written.
import { z } from 'zod';
import { utcTime } from './fields.ts';

export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const inAppNotification = z
  .object({
    id: z.uuid(),
    severity: z.enum(SEVERITIES),
    /** In the language of the business, as written when it was raised; `data.code` lets a screen say it in its own. */
    title: z.string(),
    body: z.string(),
    data: z.object({ code: z.string() }).catchall(z.unknown()),
    createdAt: utcTime,
    readAt: utcTime.nullable(),
  })
  .strict();

export type InAppNotification = z.output<typeof inAppNotification>;

/** The event: something was written for someone; the bell asks for its list again. */
export const notificationEvent = z
  .object({
    severity: z.enum(SEVERITIES),
    /** The notification's code (sync.quarantine, sync.outage…). */
    code: z.string(),
  })
  .strict();

export type NotificationEvent = z.output<typeof notificationEvent>;
