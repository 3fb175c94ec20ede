// One entry of the audit trail as its readers see it: what was done, by whom, to what.
import { z } from 'zod';
import { utcTime } from './fields.ts';

/** DENIED: refused for want of a permission; FAILURE: tried and failed (a wrong PIN, say). */
export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED'] as const;

export const auditLine = z
  .object({
    at: utcTime,
    /** What was done, such as auth.sign_in or catalog.price_changed. */
    action: z.string(),
    outcome: z.enum(AUDIT_OUTCOMES),
    /** Who did it: the employee's name, else the person's; null for the engine itself. */
    actor: z.string().nullable(),
    /** Who authorised it with their PIN, when it was a manager's override. */
    approver: z.string().nullable(),
    entityType: z.string().nullable(),
    entityId: z.uuid().nullable(),
    /** What the action changed or tried, as it was recorded; its keys depend on the action. */
    details: z.record(z.string(), z.unknown()),
  })
  .strict();

export type AuditLine = z.output<typeof auditLine>;
