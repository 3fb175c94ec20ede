// What a sign-in answers, by PIN or by password: the session's token and whom it belongs to.
import { z } from 'zod';
import { utcTime } from './fields.ts';
import { permissionCode } from './permissions.ts';

export const employeeRef = z.object({ id: z.uuid(), displayName: z.string() }).strict();

export const signedIn = z
  .object({
    /** Sent with every call of this session; a refresh replaces it. */
    token: z.string(),
    sessionId: z.uuid(),
    expiresAt: utcTime,
    employee: employeeRef,
    /** What the employee's role grants, sorted: the screens show only what may be done. */
    permissions: z.array(permissionCode),
    /** A password session that must set up the authenticator app before anything else. */
    mfaEnrollmentRequired: z.boolean(),
  })
  .strict();

export type SignedIn = z.output<typeof signedIn>;
