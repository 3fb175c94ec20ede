import { z } from 'zod';
import { call } from '../fields.ts';
import { inAppNotification } from '../notification.ts';
import { outgoingNotification } from '../outgoing-notification.ts';

export const notificationCalls = {
  /** The signed-in employee's notifications, newest first, with the unread count for the bell. */
  'notifications.list': call('session', z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict(), {
    output: z
      .object({
        /** Over all of the employee's notifications, not only this page. */
        unread: z.number().int().min(0),
        items: z.array(inAppNotification),
      })
      .strict(),
  }),
  /** `marked`: how many were unread and are read now; someone else's ids change nothing. */
  'notifications.markRead': call(
    'session',
    z
      .object({
        ids: z.union([z.array(z.uuid()).min(1).max(200), z.literal('all')]),
      })
      .strict(),
    { output: z.object({ marked: z.number().int().min(0) }).strict() },
  ),
  /**
   * What central could not send, or is still trying to, for this business, as of the last pull:
   * newest first; `failedOnly` leaves out the ones that went out in the end.
   */
  'notifications.outgoing': call(
    'sync.manage',
    z.object({ failedOnly: z.boolean().default(false), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    { output: z.array(outgoingNotification) },
  ),
  /**
   * Asks central to send a failed one again from scratch. Journalled and carried by sync like a
   * sale; `queued` is false when this failure's retry was already asked for.
   */
  'notifications.retry': call('sync.manage', z.object({ id: z.uuid() }).strict(), {
    output: z.object({ queued: z.boolean() }).strict(),
  }),
  /**
   * Asks central to e-mail the signed-in person a link that subscribes their phone to Web Push
   * alerts. Journalled and carried by sync; `requested` is false when this person already asked
   * within the same minute (one e-mail, not one per click).
   */
  'notifications.phoneLink': call('session', z.object({}).strict(), {
    output: z.object({ requested: z.boolean() }).strict(),
  }),
};
