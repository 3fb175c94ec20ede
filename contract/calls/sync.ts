import { z } from 'zod';
import { call } from '../fields.ts';

export const syncCalls = {
  /** Online or not, facts waiting, the oldest one's age, the last error, refused facts: the status bar's badge. */
  'sync.status': call('session', z.object({}).strict()),
  /** Push and pull now instead of at the next tick (never waits for central; the status follows as events). */
  'sync.now': call('sync.manage', z.object({}).strict()),
};
