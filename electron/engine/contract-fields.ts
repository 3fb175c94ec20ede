// The pieces every call spec is made of: who may call, and the shared field schemas. Kept apart
// from contract.ts so a domain's own calls module can import them without an import cycle.
import { z } from 'zod';
import type { Permission } from './services/auth/permissions.ts';

/** public: no session; session: any signed-in employee; otherwise the permission needed. */
export type Access = 'public' | 'session' | Permission;

export type CallSpec = {
  access: Access;
  input: z.ZodType;
  /** Allowed in a password session that must still set up its second factor. */
  duringMfaEnrollment?: true;
};

/** One call's spec; domains with many calls keep theirs in their own module and spread them into `contract`. */
export const call = <I extends z.ZodType>(access: Access, input: I, extra: { duringMfaEnrollment?: true } = {}) => ({ access, input, ...extra });

export const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');
export const password = z.string().min(12, 'a password has at least 12 characters').max(200);
export const totpCode = z.string().regex(/^\d{6}$/, 'a code from the authenticator app is 6 digits');
export const recoveryCode = z.string().regex(/^[a-z2-9]{5}-[a-z2-9]{5}$/, 'a recovery code looks like abcde-23456');
export const name = z.string().trim().min(1).max(120);
export const rate = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a fraction between 0 and 1, such as 0.05');
export const deviceName = z.string().trim().min(1).max(120).optional();
export const amount = z.string().regex(/^\d{1,13}(\.\d{1,4})?$/, 'an amount such as 125.50');
export const quantity = z.string().regex(/^\d{1,6}(\.\d{1,3})?$/, 'a quantity such as 2 or 0.750')
  .refine((v) => /[1-9]/.test(v), 'the quantity must be more than zero');
/** Made by the client once per action, so a retried request has one effect. */
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9:_.-]{8,100}$/, 'an idempotency key is 8 to 100 letters, digits or :_.-');
export const reason = z.string().trim().min(1).max(200);
