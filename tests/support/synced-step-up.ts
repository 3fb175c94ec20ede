// Central sends no passwords to a terminal (README, "Row-level security"), so a synced
// terminal's back office has none to ask for: tests that change its catalog give the person a
// password on that terminal and set up an authenticator through the engine, as sync.test.ts does.
import { v7 as uuidv7 } from 'uuid';
import { userIdentities } from '#db/schema/auth.ts';
import type { Engine } from '#engine/engine.ts';
import { hashSecret } from '#engine/services/auth/secret-hash.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { ok } from './demo-engine.ts';

export type LocalBackOffice = { password: string; totpSecret: string; recoveryCodes: string[] };

/** Gives `employeeId` a password and an authenticator on this terminal, for the session `token`; answers them, recovery codes unspent. */
export async function backOfficeOnThisTerminal(engine: Engine, employeeId: string, token: string): Promise<LocalBackOffice> {
  const [row] = await engine.services.sql.query<{ user_id: string }>('SELECT user_id FROM business.employees WHERE id = $1', [employeeId]);
  const password = 'Gerencia-en-esta-caja-2026';
  await engine.services.db.insert(userIdentities).values({
    id: uuidv7(),
    userId: row!.user_id,
    provider: 'PASSWORD',
    subject: `${employeeId}@caja.example.com`,
    secretHash: await hashSecret(password),
  });
  const started = ok(await engine.call('auth.mfa.beginTotp', {}, { token }));
  const { recoveryCodes } = ok(
    await engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: totpCodeAt(started.secret, new Date()) }, { token }),
  );
  return { password, totpSecret: started.secret, recoveryCodes };
}

/** As above, then steps the session up with one of the recovery codes (the authenticator's code of now is spent). */
export async function stepUpOnThisTerminal(engine: Engine, employeeId: string, token: string): Promise<LocalBackOffice> {
  const office = await backOfficeOnThisTerminal(engine, employeeId, token);
  ok(await engine.call('auth.stepUp', { password: office.password, recoveryCode: office.recoveryCodes.shift()! }, { token }));
  return office;
}
