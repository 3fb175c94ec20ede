// auth.stepUp and auth.endStepUp: the password and second factor checked again for the person
// already signed in with their PIN, so the back office can change things (step-up.ts).
import { and, eq, isNull } from 'drizzle-orm';
import { sessions, userIdentities } from '#db/schema/auth.ts';
import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { activeFactor, matchRecoveryCode, spendRecoveryCode, useTotp } from './mfa.ts';
import { requiresMfa } from '#contract/permissions.ts';
import { checkSecret, findPasswordCandidate } from './secret-check.ts';
import { stepUpEnds, stepUpMinutes } from './step-up.ts';

export const stepUpHandlers = defineHandlers({
  async 'auth.stepUp'(input, ctx) {
    const s = requireSession(ctx);
    const { services } = ctx;
    const [identity] = await services.db
      .select({ subject: userIdentities.subject })
      .from(userIdentities)
      .where(and(eq(userIdentities.userId, s.userId), eq(userIdentities.provider, 'PASSWORD'), isNull(userIdentities.deletedAt)));
    if (!identity?.subject) {
      throw new EngineError('FORBIDDEN', `${s.employeeName} has no back-office password; the owner gives one`, { reason: 'no_password' });
    }
    let factor: Awaited<ReturnType<typeof activeFactor>>;
    let secondFactor: 'totp' | 'recovery_code' | null = null;
    let recoveryCodeId: string | undefined;
    // The same queue, counters, lock and register window as a password sign-in: a guess here is a guess there.
    await checkSecret(services, {
      candidate: await findPasswordCandidate(services, identity.subject),
      secret: input.password,
      action: 'auth.step_up',
      subject: { type: 'user', id: s.userId },
      context: { method: 'PASSWORD', sessionId: s.id },
      secondFactor: async (who) => {
        factor = await activeFactor(services, who.userId);
        if (!factor) {
          if (requiresMfa(s.permissions))
            throw new EngineError('MFA_ENROLLMENT_REQUIRED', 'set up the authenticator app before using the back office');
          return null;
        }
        if (input.totp) {
          secondFactor = 'totp';
          return (await useTotp(services, factor, input.totp)) ? null : 'wrong_totp';
        }
        if (input.recoveryCode) {
          secondFactor = 'recovery_code';
          recoveryCodeId = await matchRecoveryCode(services, factor.id, input.recoveryCode);
          return recoveryCodeId ? null : 'wrong_recovery_code';
        }
        throw new EngineError('MFA_REQUIRED', 'enter the 6-digit code from the authenticator app');
      },
    });
    const now = services.now();
    const until = stepUpEnds(now, await stepUpMinutes(services, s))!;
    await services.db.transaction(async (tx) => {
      const inTx = { ...services, db: tx };
      if (recoveryCodeId) {
        await spendRecoveryCode(tx, recoveryCodeId, now);
        await recordSessionAudit(inTx, s, {
          action: 'auth.mfa.recovery_code_used',
          outcome: 'SUCCESS',
          entityType: 'mfa_factor',
          entityId: factor!.id,
        });
      }
      await tx.update(sessions).set({ mfaVerifiedAt: now }).where(eq(sessions.id, s.id));
      await recordSessionAudit(inTx, s, {
        action: 'auth.step_up',
        outcome: 'SUCCESS',
        entityType: 'user',
        entityId: s.userId,
        details: { method: 'PASSWORD', secondFactor, until: until.toISOString() },
      });
    });
    return { stepUpUntil: until.toISOString() };
  },

  async 'auth.endStepUp'(_input, ctx) {
    const s = requireSession(ctx);
    if (s.steppedUpAt === null) return { ended: false };
    await ctx.services.db.transaction(async (tx) => {
      await tx.update(sessions).set({ mfaVerifiedAt: null }).where(eq(sessions.id, s.id));
      await recordSessionAudit({ ...ctx.services, db: tx }, s, {
        action: 'auth.step_up_ended',
        outcome: 'SUCCESS',
        entityType: 'user',
        entityId: s.userId,
      });
    });
    return { ended: true };
  },
});
