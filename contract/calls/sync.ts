import { z } from 'zod';
import { call } from '../fields.ts';
import { syncStatusReport } from '../sync-status.ts';

export const syncCalls = {
  /** Online or not, facts waiting, the oldest one's age, the last error, refused facts: the status bar's badge. */
  'sync.status': call('session', z.object({}).strict(), { output: syncStatusReport }),
  /** Push and pull now instead of at the next tick (never waits for central; the status follows as events). */
  'sync.now': call('sync.manage', z.object({}).strict(), {
    /** False on a terminal not set up to sync: there is nothing to start. */
    output: z.object({ started: z.boolean() }).strict(),
  }),
};
