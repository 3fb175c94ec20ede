import { z } from 'zod';
import { catalogConflicts, conflictResolution, KEEP_CHOICES } from '../catalog-conflicts.ts';
import { call, idempotencyKey } from '../fields.ts';
import { syncStatusReport } from '../sync-status.ts';

export const syncCalls = {
  /** Online or not, facts waiting, the oldest one's age, the last error, refused facts: the status bar's badge. */
  'sync.status': call('session', z.object({}).strict(), { output: syncStatusReport }),
  /** Push and pull now instead of at the next tick (never waits for central; the status follows as events). */
  'sync.now': call('sync.manage', z.object({}).strict(), {
    /** False on a terminal not set up to sync: there is nothing to start. */
    output: z.object({ started: z.boolean() }).strict(),
  }),
  /**
   * Catalog edits central refused because another register's edit of the same product or variant
   * got there first, each with what it says and what central holds, field by field; asked of
   * central (a few seconds at most), or why it could not be asked.
   */
  'sync.conflicts': call('sync.manage', z.object({}).strict(), { output: catalogConflicts }),
  /**
   * A manager keeps one side of a conflict. OURS saves the refused edit again at this register
   * (the catalog's own calls, at the version it holds now: a normal edit that wins at central);
   * THEIRS leaves central's value, which the pull brings. Either way central records the choice
   * once; the same key answers the same resolution again.
   */
  'sync.resolveConflict': call('catalog.manage', z.object({ conflictId: z.uuid(), keep: z.enum(KEEP_CHOICES), idempotencyKey }).strict(), {
    output: conflictResolution,
  }),
};
