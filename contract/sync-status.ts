// Sync with central as the always-visible badge and `pos sync status` tell it: online or not,
// facts waiting, the last error, and the facts central refused and set aside.
import { z } from 'zod';
import { utcTime } from './fields.ts';

/**
 * What the badge says, in one word: blocked (a person must fix the setup), offline, attention
 * (central answers, but refused facts are set aside or the last pass failed), online (all well).
 */
export const SYNC_STATES = ['online', 'offline', 'attention', 'blocked'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** A fact central refused: kept in the journal, set aside so the ones after it still go. */
export const quarantined = z
  .object({
    /** The fact's place in this terminal's journal. */
    seq: z.number().int().min(1),
    /** The fact's kind, such as sale.completed. */
    kind: z.string(),
    reason: z.string(),
    at: utcTime,
  })
  .strict();

export type Quarantined = z.output<typeof quarantined>;

export const syncStatus = z
  .object({
    configured: z.literal(true),
    /** Central's address without its password. */
    central: z.string(),
    state: z.enum(SYNC_STATES),
    /** Why the state is not simply online, in one line: the refused facts' count and the first reason. */
    attention: z.string().nullable(),
    online: z.boolean(),
    /** Facts in the journal central does not hold yet. */
    pending: z.number().int().min(0),
    oldestPendingAt: utcTime.nullable(),
    lastError: z.string().nullable(),
    /** When the loop first failed in the current run of failures (null while healthy). */
    failingSince: utcTime.nullable(),
    /** A person must act (wrong login, central older than this terminal, a broken chain): what to fix. */
    blocked: z.string().nullable(),
    lastPushAt: utcTime.nullable(),
    lastPullAt: utcTime.nullable(),
    quarantined: z.array(quarantined),
  })
  .strict();

export type SyncStatus = z.output<typeof syncStatus>;

/** A terminal that was never told where central is has no status beyond that. */
export const syncStatusReport = z.discriminatedUnion('configured', [syncStatus, z.object({ configured: z.literal(false) }).strict()]);

export type SyncStatusReport = z.output<typeof syncStatusReport>;
