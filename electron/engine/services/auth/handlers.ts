// Sign-in, sessions and second factors.
import { and, eq, isNull } from 'drizzle-orm';
import { mfaFactors, sessions, userIdentities } from '#db/schema/auth.ts';
import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requireTerminal, type EngineContainer } from '#engine/container.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { permissionsOf } from './grants.ts';
import {
  activeFactor,
  beginTotp,
  confirmTotp,
  matchRecoveryCode,
  removeFactor,
  spendRecoveryCode,
  trustDevice,
  trustedDeviceFor,
  useTotp,
} from './mfa.ts';
import { requiresMfa } from '#contract/permissions.ts';
import type { SignedIn } from '#contract/signed-in.ts';
import { checkSecret, findPasswordCandidate, findPinCandidate, type CheckedIdentity } from './secret-check.ts';
import { hashSecret } from './secret-hash.ts';
import { createSession, loadSession, refreshSession, revokeOtherSessions, revokeSession, type ActiveSession } from './sessions.ts';
import { stepUpHandlers } from './step-up-handlers.ts';
import { requireStepUp, stepUpLive, stepUpUntil } from './step-up.ts';

async function signedIn(
  services: EngineContainer,
  who: CheckedIdentity,
  token: string,
  sessionId: string,
  expiresAt: Date,
  mfaEnrollmentRequired: boolean,
): Promise<SignedIn> {
  return {
    token,
    sessionId,
    expiresAt: expiresAt.toISOString(),
    employee: { id: who.employeeId, displayName: who.displayName },
    permissions: [...(await permissionsOf(services.sql, who.employeeId))].sort(),
    mfaEnrollmentRequired,
  };
}

async function sessionOfToken(services: EngineContainer, token: string): Promise<ActiveSession | null> {
  try {
    return await loadSession(services.sql, token, services.now());
  } catch {
    return null;
  }
}

const byName = new Intl.Collator('es', { sensitivity: 'base' });

export const authHandlers = defineHandlers({
  ...stepUpHandlers,
  /** Who may sign in at this register: names for the sign-in screen. */
  async 'auth.staffForSignIn'(_input, { services }) {
    const terminal = requireTerminal(services);
    const staff = await services.sql.query<{ employeeId: string; displayName: string; role: string }>(
      `
      SELECT e.id AS "employeeId", e.display_name AS "displayName", r.name AS role
      FROM business.employees e
      JOIN business.employee_branches eb ON eb.employee_id = e.id AND eb.branch_id = $2 AND eb.deleted_at IS NULL
      JOIN business.roles r ON r.id = e.role_id
      WHERE e.business_id = $1 AND e.status = 'ACTIVE' AND e.deleted_at IS NULL`,
      [terminal.businessId, terminal.branchId],
    );
    // The database's collation may put "Ángela" after "Rosa"; people expect dictionary order.
    return staff.sort((a, b) => byName.compare(a.displayName, b.displayName));
  },

  async 'auth.signInWithPin'(input, { services }) {
    const terminal = requireTerminal(services);
    const who = await checkSecret(services, {
      candidate: await findPinCandidate(services, input.employeeId),
      secret: input.pin,
      action: 'auth.sign_in',
      subject: { type: 'employee', id: input.employeeId },
      context: { method: 'PIN' },
    });
    const now = services.now();
    const previous = input.switchFrom ? await sessionOfToken(services, input.switchFrom) : null;
    // The new session, the one it replaces and their audit entries commit together.
    const { token, sessionId, expiresAt } = await services.db.transaction(async (tx) => {
      const created = await createSession(
        tx,
        {
          kind: 'PIN',
          userId: who.userId,
          employeeId: who.employeeId,
          businessId: who.businessId,
          branchId: terminal.branchId,
          deviceId: terminal.deviceId,
        },
        now,
      );
      const session = { id: created.sessionId, userId: who.userId, employeeId: who.employeeId, businessId: who.businessId };
      await recordSessionAudit({ ...services, db: tx }, session, {
        action: 'auth.sign_in',
        outcome: 'SUCCESS',
        entityType: 'employee',
        entityId: who.employeeId,
        details: { method: 'PIN' },
      });
      if (previous) {
        await revokeSession(tx, previous.id, 'switched employee', now);
        await recordSessionAudit({ ...services, db: tx }, previous, {
          action: 'auth.switch',
          outcome: 'SUCCESS',
          details: { to: who.displayName, from: previous.employeeName },
        });
      }
      return created;
    });
    return signedIn(services, who, token, sessionId, expiresAt, false);
  },

  async 'auth.signInWithPassword'(input, { services }) {
    const terminal = requireTerminal(services);
    const candidate = await findPasswordCandidate(services, input.email);
    let factor: Awaited<ReturnType<typeof activeFactor>>;
    let trustedDeviceId: string | undefined;
    let method: string | undefined;
    let recoveryCodeId: string | undefined;
    const who = await checkSecret(services, {
      candidate,
      secret: input.password,
      action: 'auth.sign_in',
      subject: { type: 'user', id: candidate?.userId, label: input.email.toLowerCase() },
      context: { method: 'PASSWORD' },
      secondFactor: async (identity) => {
        factor = await activeFactor(services, identity.userId);
        if (!factor) return null;
        trustedDeviceId = input.trustedDeviceToken
          ? await trustedDeviceFor(services, identity.userId, input.trustedDeviceToken)
          : undefined;
        if (trustedDeviceId) {
          method = 'trusted_device';
          return null;
        }
        if (input.totp) {
          method = 'totp';
          return (await useTotp(services, factor, input.totp)) ? null : 'wrong_totp';
        }
        if (input.recoveryCode) {
          method = 'recovery_code';
          recoveryCodeId = await matchRecoveryCode(services, factor.id, input.recoveryCode);
          return recoveryCodeId ? null : 'wrong_recovery_code';
        }
        throw new EngineError('MFA_REQUIRED', 'enter the 6-digit code from the authenticator app');
      },
    });
    const now = services.now();
    const base = { userId: who.userId, employeeId: who.employeeId, businessId: who.businessId };
    const mfaEnrollmentRequired = !factor && requiresMfa(await permissionsOf(services.sql, who.employeeId));
    const { token, sessionId, expiresAt, deviceToken } = await services.db.transaction(async (tx) => {
      const inTx = { ...services, db: tx };
      if (recoveryCodeId) await spendRecoveryCode(tx, recoveryCodeId, now);
      let deviceToken: string | undefined;
      if (factor && input.trustThisDevice && !trustedDeviceId) {
        ({ trustedDeviceId, token: deviceToken } = await trustDevice(inTx, who.userId, input.deviceName ?? terminal.deviceId));
      }
      const created = await createSession(
        tx,
        {
          kind: 'PASSWORD',
          ...base,
          branchId: terminal.branchId,
          deviceId: terminal.deviceId,
          deviceName: input.deviceName,
          mfaVerifiedAt: factor ? now : null,
          trustedDeviceId,
        },
        now,
      );
      await recordSessionAudit(
        inTx,
        { id: created.sessionId, ...base },
        {
          action: 'auth.sign_in',
          outcome: 'SUCCESS',
          entityType: 'user',
          entityId: who.userId,
          details: { method: 'PASSWORD', secondFactor: method ?? null, mfaEnrollmentRequired },
        },
      );
      if (recoveryCodeId) {
        await recordSessionAudit(
          inTx,
          { id: created.sessionId, ...base },
          { action: 'auth.mfa.recovery_code_used', outcome: 'SUCCESS', entityType: 'mfa_factor', entityId: factor!.id },
        );
      }
      return { ...created, deviceToken };
    });
    return { ...(await signedIn(services, who, token, sessionId, expiresAt, mfaEnrollmentRequired)), trustedDeviceToken: deviceToken };
  },

  async 'auth.whoAmI'(_input, ctx) {
    const s = requireSession(ctx);
    const until = await stepUpUntil(ctx.services, s);
    return {
      sessionId: s.id,
      kind: s.kind,
      employee: { id: s.employeeId, displayName: s.employeeName },
      businessId: s.businessId,
      permissions: [...s.permissions].sort(),
      expiresAt: s.expiresAt.toISOString(),
      mfaEnrollmentRequired: s.mfaEnrollmentRequired,
      stepUpUntil: stepUpLive(until, ctx.services.now()) ? until!.toISOString() : null,
    };
  },

  async 'auth.refresh'(_input, ctx) {
    const { token, expiresAt } = await refreshSession(ctx.services.db, requireSession(ctx), ctx.services.now());
    return { token, expiresAt: expiresAt.toISOString() };
  },

  async 'auth.signOut'(_input, ctx) {
    const s = requireSession(ctx);
    await ctx.services.db.transaction(async (tx) => {
      await revokeSession(tx, s.id, 'signed out', ctx.services.now());
      await recordSessionAudit({ ...ctx.services, db: tx }, s, { action: 'auth.sign_out', outcome: 'SUCCESS' });
    });
    return { signedOut: true };
  },

  async 'auth.signOutEverywhereElse'(_input, ctx) {
    const s = requireSession(ctx);
    const count = await ctx.services.db.transaction(async (tx) => {
      const ended = await revokeOtherSessions(tx, s, ctx.services.now());
      await recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.sign_out_everywhere_else',
        outcome: 'SUCCESS',
        details: { sessionsEnded: ended },
      });
      return ended;
    });
    return { sessionsEnded: count };
  },

  async 'auth.changePin'(input, ctx) {
    const s = requireSession(ctx);
    const who = await checkSecret(ctx.services, {
      candidate: await findPinCandidate(ctx.services, s.employeeId),
      secret: input.currentPin,
      action: 'auth.pin_change',
      subject: { type: 'employee', id: s.employeeId },
    });
    const secretHash = await hashSecret(input.newPin);
    await ctx.services.db.transaction(async (tx) => {
      await tx.update(userIdentities).set({ secretHash }).where(eq(userIdentities.id, who.identityId));
      await recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.pin_change',
        outcome: 'SUCCESS',
        entityType: 'employee',
        entityId: s.employeeId,
      });
    });
    return { changed: true };
  },

  async 'auth.changePassword'(input, ctx) {
    const s = requireSession(ctx);
    const [identity] = await ctx.services.db
      .select({ subject: userIdentities.subject })
      .from(userIdentities)
      .where(and(eq(userIdentities.userId, s.userId), eq(userIdentities.provider, 'PASSWORD'), isNull(userIdentities.deletedAt)));
    if (!identity?.subject) throw new EngineError('NOT_FOUND', 'this person signs in with a PIN only');
    const who = await checkSecret(ctx.services, {
      candidate: await findPasswordCandidate(ctx.services, identity.subject),
      secret: input.currentPassword,
      action: 'auth.password_change',
      subject: { type: 'user', id: s.userId },
    });
    const secretHash = await hashSecret(input.newPassword);
    const ended = await ctx.services.db.transaction(async (tx) => {
      await tx.update(userIdentities).set({ secretHash }).where(eq(userIdentities.id, who.identityId));
      // Whoever knew the old password is signed out everywhere else.
      const count = await revokeOtherSessions(tx, s, ctx.services.now());
      await recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.password_change',
        outcome: 'SUCCESS',
        entityType: 'user',
        entityId: s.userId,
        details: { sessionsEnded: count },
      });
      return count;
    });
    return { changed: true, sessionsEnded: ended };
  },

  async 'auth.mfa.beginTotp'(input, ctx) {
    const s = requireSession(ctx);
    return beginTotp(ctx.services, { userId: s.userId, label: input.label ?? s.employeeName }, (tx, factorId) =>
      recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.mfa.enrollment_started',
        outcome: 'SUCCESS',
        entityType: 'mfa_factor',
        entityId: factorId,
      }),
    );
  },

  async 'auth.mfa.confirmTotp'(input, ctx) {
    const s = requireSession(ctx);
    // Replacing an authenticator takes the old one (a live step-up): else a watched PIN would let
    // someone put their own phone in its place, leaving only the password between them and the back office.
    if (await activeFactor(ctx.services, s.userId)) await requireStepUp(ctx.services, s);
    const recoveryCodes = await confirmTotp(ctx.services, s.userId, input.factorId, input.code, async (tx) => {
      await tx.update(sessions).set({ mfaVerifiedAt: ctx.services.now() }).where(eq(sessions.id, s.id));
      await recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.mfa.enabled',
        outcome: 'SUCCESS',
        entityType: 'mfa_factor',
        entityId: input.factorId,
      });
    }).catch(async (err: unknown) => {
      // Only a refused code is audited as a failed attempt; anything else failed the change itself.
      if (err instanceof EngineError) {
        await recordSessionAudit(ctx.services, s, {
          action: 'auth.mfa.enabled',
          outcome: 'FAILURE',
          entityType: 'mfa_factor',
          entityId: input.factorId,
        });
      }
      throw err;
    });
    return { recoveryCodes };
  },

  async 'auth.mfa.removeFactor'(input, ctx) {
    const s = requireSession(ctx);
    const [factor] = await ctx.services.db
      .select()
      .from(mfaFactors)
      .where(and(eq(mfaFactors.id, input.factorId), eq(mfaFactors.userId, s.userId), isNull(mfaFactors.deletedAt)));
    if (!factor) throw new EngineError('NOT_FOUND', 'no such authenticator');
    if (!(await useTotp(ctx.services, factor, input.code))) {
      await recordSessionAudit(ctx.services, s, {
        action: 'auth.mfa.removed',
        outcome: 'FAILURE',
        entityType: 'mfa_factor',
        entityId: factor.id,
      });
      throw new EngineError('MFA_INVALID', 'that code is not valid; try the current one');
    }
    await removeFactor(ctx.services, factor.id, (tx) =>
      recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.mfa.removed',
        outcome: 'SUCCESS',
        entityType: 'mfa_factor',
        entityId: factor.id,
      }),
    );
    return { removed: true };
  },
});
