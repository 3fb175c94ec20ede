// Every call the engine answers: its input (validated at the boundary, unknown keys refused)
// and who may make it. The IPC relay, the HTTP/WebSocket server, the CLI and tests all go
// through dispatch(), which reads this table; outputs are typed from the handlers.
import { z } from 'zod';
import { isPermission, type Permission } from './services/auth/permissions.ts';

/** public: no session; session: any signed-in employee; otherwise the permission needed. */
export type Access = 'public' | 'session' | Permission;

type CallSpec = {
  access: Access;
  input: z.ZodType;
  /** Allowed in a password session that must still set up its second factor. */
  duringMfaEnrollment?: true;
};

const call = <I extends z.ZodType>(access: Access, input: I, extra: { duringMfaEnrollment?: true } = {}) => ({ access, input, ...extra });

export const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');
const password = z.string().min(12, 'a password has at least 12 characters').max(200);
const totpCode = z.string().regex(/^\d{6}$/, 'a code from the authenticator app is 6 digits');
const recoveryCode = z.string().regex(/^[a-z2-9]{5}-[a-z2-9]{5}$/, 'a recovery code looks like abcde-23456');
const name = z.string().trim().min(1).max(120);
const rate = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a fraction between 0 and 1, such as 0.05');
const deviceName = z.string().trim().min(1).max(120).optional();

export const contract = {
  'auth.staffForSignIn': call('public', z.object({}).strict()),
  'auth.signInWithPin': call('public', z.object({
    employeeId: z.uuid(),
    pin,
    /** A session on this terminal to end: the quick switch between employees at one register. */
    switchFrom: z.string().min(1).max(200).optional(),
  }).strict()),
  'auth.signInWithPassword': call('public', z.object({
    email: z.email().max(254),
    password: z.string().min(1).max(200),
    totp: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
    trustedDeviceToken: z.string().min(1).max(200).optional(),
    trustThisDevice: z.boolean().optional(),
    deviceName,
  }).strict()),
  'auth.whoAmI': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.refresh': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.signOut': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.signOutEverywhereElse': call('session', z.object({}).strict(), { duringMfaEnrollment: true }),
  'auth.changePin': call('session', z.object({ currentPin: pin, newPin: pin }).strict()),
  'auth.changePassword': call('session', z.object({ currentPassword: z.string().min(1).max(200), newPassword: password }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.beginTotp': call('session', z.object({ label: name.optional() }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.confirmTotp': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict(), { duringMfaEnrollment: true }),
  'auth.mfa.removeFactor': call('session', z.object({ factorId: z.uuid(), code: totpCode }).strict()),

  'staff.list': call('staff.manage', z.object({}).strict()),
  'staff.save': call('staff.manage', z.object({
    id: z.uuid().optional(),
    code: z.string().trim().min(1).max(20),
    displayName: name,
    roleId: z.uuid(),
    email: z.email().max(254).optional(),
    phone: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'a phone in international format, such as +525512345678').optional(),
    branchIds: z.array(z.uuid()).min(1).max(100),
    status: z.enum(['ACTIVE', 'SUSPENDED', 'TERMINATED']).optional(),
    kyc: z.object({ level: z.number().int().min(0).max(3), data: z.record(z.string().max(60), z.string().max(500)) }).strict().optional(),
  }).strict()),
  'staff.setPin': call('staff.manage', z.object({ employeeId: z.uuid(), pin }).strict()),
  'staff.unlock': call('staff.unlock', z.object({ employeeId: z.uuid() }).strict()),

  'roles.list': call('roles.manage', z.object({}).strict()),
  'roles.save': call('roles.manage', z.object({
    id: z.uuid().optional(),
    name,
    description: z.string().max(500).optional(),
    maxDiscountRate: rate,
    permissions: z.array(z.string().refine(isPermission, 'a known permission')).max(100),
  }).strict()),

  'audit.tail': call('audit.view', z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict()),
} satisfies Record<string, CallSpec>;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.output<Contract[K]['input']>;

/** Credentials of another employee authorising this one call (a manager override). */
export const overrideSchema = z.object({ employeeId: z.uuid(), pin }).strict();

export const envelopeSchema = z.object({
  call: z.string().max(100),
  input: z.unknown().optional(),
  token: z.string().min(1).max(200).optional(),
  override: overrideSchema.optional(),
}).strict();

export type Envelope = z.input<typeof envelopeSchema>;

export const isCallName = (name: string): name is CallName => Object.hasOwn(contract, name);
