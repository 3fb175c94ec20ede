// auth: who a person is, how they prove it, their sessions, and the immutable audit trail.
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, smallint, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps, utc } from './columns.ts';
import { indexOn, live, oneOf, partialIndex, uniqueOn } from './constraints.ts';
import { branches, businesses, employees } from './business.ts';
// The vocabulary the screens share lives in the contract; the schema constrains the column to it.
import { AUDIT_OUTCOMES } from '../../contract/audit-line.ts';

export const authSchema = pgSchema('auth');

export const IDENTITY_PROVIDERS = ['PASSWORD', 'PIN', 'GOOGLE', 'PHONE_OTP'] as const;
export const SESSION_KINDS = ['PIN', 'PASSWORD', 'GOOGLE', 'PHONE_OTP'] as const;
export const MFA_TYPES = ['TOTP'] as const;
export { AUDIT_OUTCOMES };

/** A value encrypted in the application: the database only ever holds ciphertext. */
export type SealedJson = { v: 1; alg: 'A256GCM'; kid: string; iv: string; tag: string; data: string };

export const users = authSchema.table(
  'users',
  {
    id: id(),
    email: text('email'),
    phone: text('phone'),
    displayName: text('display_name').notNull(),
    locale: text('locale').notNull().default('es-MX'),
    kycLevel: smallint('kyc_level').notNull().default(0),
    kycData: jsonb('kyc_data').$type<SealedJson>(),
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    // Unique across soft-deleted rows too: an address or a phone identifies one person for good.
    uniqueOn('users', [t.email]),
    uniqueOn('users', [t.phone]),
    check('users_email_lower_check', sql`${t.email} = lower(${t.email})`),
    check('users_phone_e164_check', sql`${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check('users_kyc_level_check', sql`${t.kycLevel} between 0 and 3`),
  ],
);

/**
 * One way a user proves who they are. PIN identities are scoped to a business (a person can
 * be a cashier in two shops with two PINs); the others are global (businessId null).
 */
export const userIdentities = authSchema.table(
  'user_identities',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    businessId: uuid('business_id').references(() => businesses.id),
    provider: text('provider', { enum: IDENTITY_PROVIDERS }).notNull(),
    /** Google `sub`, the E.164 phone for OTP, the login email for PASSWORD; null for PIN. */
    subject: text('subject'),
    /** Argon2id PHC string for PASSWORD and PIN; null for federated providers. */
    secretHash: text('secret_hash'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: utc('locked_until'),
    lastUsedAt: utc('last_used_at'),
    ...timestamps(),
  },
  (t) => [
    indexOn('user_identities', t.userId),
    indexOn('user_identities', t.businessId),
    oneOf('user_identities', t.provider, IDENTITY_PROVIDERS),
    uniqueOn('user_identities', [t.provider, t.subject], sql`${t.subject} is not null and ${live(t.deletedAt)}`),
    // One identity per provider: global ones once per user, PINs once per user and business.
    uniqueOn('user_identities', [t.userId, t.provider], sql`${t.businessId} is null and ${live(t.deletedAt)}`),
    uniqueOn('user_identities', [t.userId, t.provider, t.businessId], sql`${t.businessId} is not null and ${live(t.deletedAt)}`),
    check('user_identities_secret_check', sql`${t.provider} not in ('PASSWORD', 'PIN') or ${t.secretHash} like '$argon2id$%'`),
    check('user_identities_pin_scope_check', sql`${t.provider} <> 'PIN' or ${t.businessId} is not null`),
    check('user_identities_failed_attempts_check', sql`${t.failedAttempts} >= 0`),
  ],
);

export const trustedDevices = authSchema.table(
  'trusted_devices',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** SHA-256 of the device token kept by the terminal; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    name: text('name').notNull(),
    lastUsedAt: utc('last_used_at'),
    expiresAt: utc('expires_at').notNull(),
    revokedAt: utc('revoked_at'),
    ...timestamps(),
  },
  (t) => [indexOn('trusted_devices', t.userId), uniqueOn('trusted_devices', [t.tokenHash])],
);

export const sessions = authSchema.table(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    businessId: uuid('business_id').references(() => businesses.id),
    branchId: uuid('branch_id').references(() => branches.id),
    trustedDeviceId: uuid('trusted_device_id').references(() => trustedDevices.id),
    kind: text('kind', { enum: SESSION_KINDS }).notNull(),
    /** Terminal or browser the session lives on. */
    deviceId: text('device_id').notNull(),
    deviceName: text('device_name'),
    /** SHA-256 of the refresh token; the token itself is never stored. */
    refreshTokenHash: text('refresh_token_hash').notNull(),
    mfaVerifiedAt: utc('mfa_verified_at'),
    lastSeenAt: utc('last_seen_at'),
    expiresAt: utc('expires_at').notNull(),
    revokedAt: utc('revoked_at'),
    revokedReason: text('revoked_reason'),
    ...timestamps(),
  },
  (t) => [
    indexOn('sessions', t.userId),
    indexOn('sessions', t.employeeId),
    indexOn('sessions', t.businessId),
    indexOn('sessions', t.branchId),
    indexOn('sessions', t.trustedDeviceId),
    oneOf('sessions', t.kind, SESSION_KINDS),
    uniqueOn('sessions', [t.refreshTokenHash]),
    // "Sign out everywhere else" and the per-call check look only at live sessions.
    partialIndex('sessions', 'live', sql`${t.revokedAt} is null`, t.userId, t.expiresAt),
  ],
);

export const mfaFactors = authSchema.table(
  'mfa_factors',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    type: text('type', { enum: MFA_TYPES }).notNull(),
    label: text('label').notNull(),
    /** The TOTP secret, encrypted in the application. */
    secret: jsonb('secret').$type<SealedJson>().notNull(),
    verifiedAt: utc('verified_at'),
    lastUsedAt: utc('last_used_at'),
    /** Last accepted TOTP time step, so a code cannot be replayed inside its window. */
    lastUsedStep: integer('last_used_step'),
    ...timestamps(),
  },
  (t) => [indexOn('mfa_factors', t.userId), oneOf('mfa_factors', t.type, MFA_TYPES)],
);

export const mfaRecoveryCodes = authSchema.table(
  'mfa_recovery_codes',
  {
    id: id(),
    factorId: uuid('factor_id')
      .notNull()
      .references(() => mfaFactors.id),
    codeHash: text('code_hash').notNull(),
    usedAt: utc('used_at'),
    ...timestamps(),
  },
  (t) => [indexOn('mfa_recovery_codes', t.factorId), check('mfa_recovery_codes_hash_check', sql`${t.codeHash} like '$argon2id$%'`)],
);

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE (see the guards migration). */
export const auditLogs = authSchema.table(
  'audit_logs',
  {
    id: id(),
    businessId: uuid('business_id').references(() => businesses.id),
    branchId: uuid('branch_id').references(() => branches.id),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorEmployeeId: uuid('actor_employee_id').references(() => employees.id),
    /** The employee whose PIN authorised an override, when there was one. */
    approverEmployeeId: uuid('approver_employee_id').references(() => employees.id),
    sessionId: uuid('session_id').references(() => sessions.id),
    deviceId: text('device_id'),
    action: text('action').notNull(),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    entityType: text('entity_type'),
    entityId: uuid('entity_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    indexOn('audit_logs', t.businessId, t.createdAt),
    indexOn('audit_logs', t.branchId),
    indexOn('audit_logs', t.actorUserId),
    indexOn('audit_logs', t.actorEmployeeId),
    indexOn('audit_logs', t.approverEmployeeId),
    indexOn('audit_logs', t.sessionId),
    indexOn('audit_logs', t.entityType, t.entityId),
    indexOn('audit_logs', t.createdAt),
    oneOf('audit_logs', t.outcome, AUDIT_OUTCOMES),
  ],
);
