// An employee as the back office's staff list shows them.
import { z } from 'zod';

/** ACTIVE may sign in; SUSPENDED and TERMINATED may not, and keep their history. */
export const EMPLOYEE_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;

export const staffMember = z
  .object({
    id: z.uuid(),
    /** The short code the store gives each employee (001, 002…); the list is in its order. */
    code: z.string(),
    displayName: z.string(),
    status: z.enum(EMPLOYEE_STATUSES),
    roleId: z.uuid(),
    role: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    /** How far the person's identity was checked, 0 (not at all) to 3; the data itself never leaves the engine. */
    kycLevel: z.number().int().min(0).max(3),
    branchIds: z.array(z.uuid()),
    /** Locked out by wrong PINs right now (staff.unlock ends it). */
    pinLocked: z.boolean(),
    hasPin: z.boolean(),
  })
  .strict();

export type StaffMember = z.output<typeof staffMember>;
