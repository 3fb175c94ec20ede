import { z } from 'zod';
import { call } from '../fields.ts';

export const notificationCalls = {
  /** The signed-in employee's notifications, newest first, with the unread count for the bell. */
  'notifications.list': call('session', z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict()),
  'notifications.markRead': call('session', z.object({
    ids: z.union([z.array(z.uuid()).min(1).max(200), z.literal('all')]),
  }).strict()),
};
