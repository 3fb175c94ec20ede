// Signing in and out, secrets and second factors, and the back office's step-up.
import { z } from 'zod';
import { call, deviceName, name, password, pin, recoveryCode, text, totpCode, utcTime } from '../fields.ts';
import { permissionCode } from '../permissions.ts';
import { employeeRef, signedIn } from '../signed-in.ts';

const empty = z.object({}).strict();

export const authCalls = {
  /** Who may sign in at this register, in dictionary order: the sign-in screen's names. */
  'auth.staffForSignIn': call('public', empty, {
    output: z.array(z.object({ employeeId: z.uuid(), displayName: z.string(), role: z.string() }).strict()),
  }),
  'auth.signInWithPin': call(
    'public',
    z
      .object({
        employeeId: z.uuid(),
        pin,
        /** A session on this terminal to end: the quick switch between employees at one register. */
        switchFrom: text(200, { min: 1, trim: false }).optional(),
      })
      .strict(),
    { output: signedIn },
  ),
  'auth.signInWithPassword': call(
    'public',
    z
      .object({
        email: z.email().max(254),
        password: text(200, { min: 1, trim: false }),
        totp: totpCode.optional(),
        recoveryCode: recoveryCode.optional(),
        trustedDeviceToken: text(200, { min: 1, trim: false }).optional(),
        trustThisDevice: z.boolean().optional(),
        deviceName,
      })
      .strict(),
    {
      output: signedIn
        .extend({
          /** Given when trustThisDevice was asked: sent with the next sign-ins here, it stands for the second factor. */
          trustedDeviceToken: z.string().optional(),
        })
        .strict(),
    },
  ),
  'auth.whoAmI': call('session', empty, {
    duringMfaEnrollment: true,
    output: z
      .object({
        sessionId: z.uuid(),
        kind: z.enum(['PIN', 'PASSWORD']),
        employee: employeeRef,
        businessId: z.uuid(),
        permissions: z.array(permissionCode),
        expiresAt: utcTime,
        mfaEnrollmentRequired: z.boolean(),
        /** Until when the back office may change things without asking again; null when it would ask now. */
        stepUpUntil: utcTime.nullable(),
      })
      .strict(),
  }),
  /** A new token and expiry for this session; the old token stops working. */
  'auth.refresh': call('session', empty, {
    duringMfaEnrollment: true,
    output: z.object({ token: z.string(), expiresAt: utcTime }).strict(),
  }),
  'auth.signOut': call('session', empty, { duringMfaEnrollment: true, output: z.object({ signedOut: z.literal(true) }).strict() }),
  'auth.signOutEverywhereElse': call('session', empty, {
    duringMfaEnrollment: true,
    output: z.object({ sessionsEnded: z.number().int().min(0) }).strict(),
  }),
  'auth.changePin': call('session', z.object({ currentPin: pin, newPin: pin }).strict(), {
    output: z.object({ changed: z.literal(true) }).strict(),
  }),
  /** Every other session of the person ends: whoever knew the old password is signed out. */
  'auth.changePassword': call(
    'session',
    z.object({ currentPassword: text(200, { min: 1, trim: false }), newPassword: password }).strict(),
    {
      duringMfaEnrollment: true,
      output: z.object({ changed: z.literal(true), sessionsEnded: z.number().int().min(0) }).strict(),
    },
  ),
  /** A pending authenticator: its secret, shown once as a QR code, until confirmTotp proves the phone has it. */
  'auth.mfa.beginTotp': call('session', z.object({ label: name.optional() }).strict(), {
    duringMfaEnrollment: true,
    output: z.object({ factorId: z.uuid(), secret: z.string(), otpauthUri: z.string() }).strict(),
  }),
  /** The recovery codes are answered now and never again. */
  'auth.mfa.confirmTotp': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict(), {
    duringMfaEnrollment: true,
    output: z.object({ recoveryCodes: z.array(z.string()) }).strict(),
  }),
  'auth.mfa.removeFactor': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict(), {
    output: z.object({ removed: z.literal(true) }).strict(),
  }),
  /** The back office's step-up: this session's own person proves their password and second factor again (services/auth/step-up.ts). */
  'auth.stepUp': call(
    'session',
    z
      .object({
        password: text(200, { min: 1, trim: false }),
        totp: totpCode.optional(),
        recoveryCode: recoveryCode.optional(),
      })
      .strict(),
    { output: z.object({ stepUpUntil: utcTime }).strict() },
  ),
  /** Ends this session's step-up at once: leaving the back office at a shared register. `ended` is false when none was live. */
  'auth.endStepUp': call('session', empty, { output: z.object({ ended: z.boolean() }).strict() }),
};
