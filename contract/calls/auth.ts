// Signing in and out, secrets and second factors, and the back office's step-up.
import { z } from 'zod';
import { call, deviceName, name, password, pin, recoveryCode, text, totpCode } from '../fields.ts';

export const authCalls = {
  'auth.staffForSignIn': call('public', z.object({}).strict()),
  'auth.signInWithPin': call('public', z.object({
    employeeId: z.uuid(),
    pin,
    /** A session on this terminal to end: the quick switch between employees at one register. */
    switchFrom: text(200, { min: 1, trim: false }).optional(),
  }).strict()),
  'auth.signInWithPassword': call('public', z.object({
    email: z.email().max(254),
    password: text(200, { min: 1, trim: false }),
    totp: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
    trustedDeviceToken: text(200, { min: 1, trim: false }).optional(),
    trustThisDevice: z.boolean().optional(),
    deviceName,
  }).strict()),
  'auth.whoAmI': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.refresh': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.signOut': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.signOutEverywhereElse': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.changePin': call('session', z.object({ currentPin: pin, newPin: pin }).strict()),
  'auth.changePassword': call('session', z.object({ currentPassword: text(200, { min: 1, trim: false }), newPassword: password }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.beginTotp': call('session', z.object({ label: name.optional() }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.confirmTotp': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.removeFactor': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict()),
  /** The back office's step-up: this session's own person proves their password and second factor again (services/auth/step-up.ts). */
  'auth.stepUp': call('session', z.object({
    password: text(200, { min: 1, trim: false }),
    totp: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
  }).strict()),
  /** Ends this session's step-up at once: leaving the back office at a shared register. */
  'auth.endStepUp': call('session', z.object({}).strict()),
};
