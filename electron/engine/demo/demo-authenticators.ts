// The demo's owner and manager get the authenticator secrets the README prints, so someone
// trying the store can open the back office (password and code) with any TOTP app, and tests
// can compute the code. Only on a terminal: the secret is sealed with this terminal's PII key.
import { inArray } from 'drizzle-orm';
import { mfaFactors } from '#db/schema/auth.ts';
import { log } from '../log/logger.ts';
import type { EngineContainer } from '../container.ts';
import { enrollKnownTotp } from '../services/auth/mfa.ts';
import type { DemoStore } from './demo-store.ts';
import { seedId } from './seed-ids.ts';

/** Gives each demo person with a `totpSecret` that factor, unless they ever had one (a removed factor stays removed). */
export async function enrollDemoAuthenticators(
  services: Pick<EngineContainer, 'db' | 'sealer' | 'now'>,
  store: DemoStore,
): Promise<number> {
  const people = store.employees
    .filter((e) => e.totpSecret !== undefined)
    .map((e) => ({ ...e, userId: seedId(store.business.id, 'user', e.code) }));
  if (people.length === 0) return 0;
  const had = new Set(
    (
      await services.db
        .select({ userId: mfaFactors.userId })
        .from(mfaFactors)
        .where(
          inArray(
            mfaFactors.userId,
            people.map((p) => p.userId),
          ),
        )
    ).map((r) => r.userId),
  );
  const now = services.now();
  let enrolled = 0;
  for (const p of people.filter((p) => !had.has(p.userId))) {
    try {
      await enrollKnownTotp(
        services.db,
        services.sealer,
        { id: seedId(store.business.id, 'mfa-factor', p.code), userId: p.userId, label: p.displayName, secret: p.totpSecret! },
        now,
      );
      enrolled++;
    } catch (err) {
      // A directory whose PII key is sealed by the desktop app cannot seal here (serve mode): the demo still sells.
      log.warn({ err, employee: p.code }, 'demo: could not give the demo authenticator secret');
    }
  }
  return enrolled;
}
