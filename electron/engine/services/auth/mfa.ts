// Second factors for password sign-in: TOTP with hashed recovery codes, and trusted devices that
// skip the code for a while after one successful check.
import { and, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { AppDb } from '#db/app-db.ts';
import { mfaFactors, mfaRecoveryCodes, trustedDevices } from '#db/schema/auth.ts';
import { EngineError } from '#engine/errors.ts';
import type { EngineContainer } from '#engine/container.ts';
import { hashSecret, verifySecret } from './secret-hash.ts';
import { hashToken, newToken } from './sessions.ts';
import { matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './totp.ts';

export const TRUSTED_DEVICE_DAYS = 30;
const ISSUER = 'Countertop POS';

const secretContext = (factorId: string) => `auth.mfa_factors.secret:${factorId}`;

export async function activeFactor(services: EngineContainer, userId: string) {
  const [factor] = await services.db
    .select()
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), isNotNull(mfaFactors.verifiedAt), isNull(mfaFactors.deletedAt)));
  return factor;
}

/** Writes the audit entry of a change inside the change's transaction. */
export type RecordIn = (tx: AppDb, factorId: string) => Promise<unknown>;

export async function beginTotp(services: EngineContainer, user: { userId: string; label: string }, record: RecordIn) {
  const secret = newTotpSecret();
  // The id is made first so the ciphertext can be bound to its own row.
  const factorId = uuidv7();
  await services.db.transaction(async (tx) => {
    await tx.insert(mfaFactors).values({
      id: factorId,
      userId: user.userId,
      type: 'TOTP',
      label: user.label,
      secret: services.sealer.seal(secret, secretContext(factorId)),
    });
    await record(tx, factorId);
  });
  return { factorId, secret, otpauthUri: totpUri(secret, ISSUER, user.label) };
}

/**
 * A factor already confirmed, from a secret someone was given on paper: the demo store's people,
 * whose secrets the README prints so a new user can try the back office. No recovery codes.
 */
export async function enrollKnownTotp(
  db: AppDb,
  sealer: EngineContainer['sealer'],
  factor: { id: string; userId: string; label: string; secret: string },
  now: Date,
) {
  await db.insert(mfaFactors).values({
    id: factor.id,
    userId: factor.userId,
    type: 'TOTP',
    label: factor.label,
    secret: sealer.seal(factor.secret, secretContext(factor.id)),
    verifiedAt: now,
  });
}

type Factor = typeof mfaFactors.$inferSelect;

/** The step the code matched, if it is valid and newer than the last one used (no replays). */
function acceptedStep(services: EngineContainer, factor: Factor, code: string): number | null {
  const secret = services.sealer.open<string>(factor.secret, secretContext(factor.id));
  const step = matchTotp(secret, code, services.now());
  if (step === null || (factor.lastUsedStep !== null && step <= factor.lastUsedStep)) return null;
  return step;
}

export async function useTotp(services: EngineContainer, factor: Factor, code: string): Promise<boolean> {
  const step = acceptedStep(services, factor, code);
  if (step === null) return false;
  await services.db.update(mfaFactors).set({ lastUsedStep: step, lastUsedAt: services.now() }).where(eq(mfaFactors.id, factor.id));
  return true;
}

/** Confirms a pending factor with its first code and issues recovery codes, shown only now. */
export async function confirmTotp(services: EngineContainer, userId: string, factorId: string, code: string, record: RecordIn) {
  const [factor] = await services.db
    .select()
    .from(mfaFactors)
    .where(and(eq(mfaFactors.id, factorId), eq(mfaFactors.userId, userId), isNull(mfaFactors.verifiedAt), isNull(mfaFactors.deletedAt)));
  if (!factor) throw new EngineError('NOT_FOUND', 'no authenticator set-up is waiting for confirmation');
  const step = acceptedStep(services, factor, code);
  if (step === null) throw new EngineError('MFA_INVALID', 'that code is not valid; try the current one');
  const now = services.now();
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map(hashSecret));
  await services.db.transaction(async (tx) => {
    // One factor per person: confirming a new one retires the old.
    await tx
      .update(mfaFactors)
      .set({ deletedAt: now })
      .where(and(eq(mfaFactors.userId, userId), isNotNull(mfaFactors.verifiedAt), isNull(mfaFactors.deletedAt)));
    await tx.update(mfaFactors).set({ verifiedAt: now, lastUsedStep: step, lastUsedAt: now }).where(eq(mfaFactors.id, factorId));
    await tx.insert(mfaRecoveryCodes).values(hashes.map((codeHash) => ({ factorId, codeHash })));
    await record(tx, factorId);
  });
  return codes;
}

/** The unused recovery code that `code` is, if any. Spent by spendRecoveryCode, with the sign-in it lets through. */
export async function matchRecoveryCode(services: EngineContainer, factorId: string, code: string): Promise<string | undefined> {
  const unused = await services.db
    .select()
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.factorId, factorId), isNull(mfaRecoveryCodes.usedAt), isNull(mfaRecoveryCodes.deletedAt)));
  for (const row of unused) {
    if (await verifySecret(row.codeHash, code)) return row.id;
  }
  return undefined;
}

/** Each code works once: the second of two sign-ins racing with the same code is refused here. */
export async function spendRecoveryCode(db: AppDb, codeId: string, now: Date) {
  const spent = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(mfaRecoveryCodes.id, codeId), isNull(mfaRecoveryCodes.usedAt)))
    .returning({ id: mfaRecoveryCodes.id });
  if (spent.length !== 1) throw new EngineError('MFA_INVALID', 'that recovery code has already been used');
}

export async function removeFactor(services: EngineContainer, factorId: string, record: RecordIn) {
  const now = services.now();
  await services.db.transaction(async (tx) => {
    await tx.update(mfaFactors).set({ deletedAt: now }).where(eq(mfaFactors.id, factorId));
    await tx
      .update(mfaRecoveryCodes)
      .set({ deletedAt: now })
      .where(and(eq(mfaRecoveryCodes.factorId, factorId), isNull(mfaRecoveryCodes.deletedAt)));
    await record(tx, factorId);
  });
}

export async function trustDevice(services: EngineContainer, userId: string, name: string) {
  const token = newToken();
  const now = services.now();
  const [row] = await services.db
    .insert(trustedDevices)
    .values({
      userId,
      name,
      tokenHash: hashToken(token),
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + TRUSTED_DEVICE_DAYS * 86_400_000),
    })
    .returning({ id: trustedDevices.id });
  return { trustedDeviceId: row!.id, token };
}

export async function trustedDeviceFor(services: EngineContainer, userId: string, token: string): Promise<string | undefined> {
  const now = services.now();
  const [row] = await services.db
    .select({ id: trustedDevices.id })
    .from(trustedDevices)
    .where(
      and(
        eq(trustedDevices.tokenHash, hashToken(token)),
        eq(trustedDevices.userId, userId),
        isNull(trustedDevices.revokedAt),
        isNull(trustedDevices.deletedAt),
        gt(trustedDevices.expiresAt, now),
      ),
    );
  if (row) await services.db.update(trustedDevices).set({ lastUsedAt: now }).where(eq(trustedDevices.id, row.id));
  return row?.id;
}
