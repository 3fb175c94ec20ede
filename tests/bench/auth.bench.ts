// Sign-in costs on this machine: the Argon2id parameters, a PIN sign-in through the engine, and
// the per-call session check, each beside a baseline measured in the same run.
import argon2 from 'argon2';
import { SECRET_HASH_OPTIONS } from '#engine/services/auth/secret-hash.ts';
import { openDemoEngine, signIn } from '../support/demo-engine.ts';
import { report, sample } from './stats.ts';

export async function benchAuth() {
  const libraryDefault = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 4 } as const;
  const chosenHash = await argon2.hash('2468', SECRET_HASH_OPTIONS);
  const defaultHash = await argon2.hash('2468', libraryDefault);
  report(
    'Argon2id, one PIN verification',
    [
      { name: 'library default (64 MiB, t=3, p=4)', times: await sample(20, () => argon2.verify(defaultHash, '1357')) },
      { name: 'chosen for a countertop PC (19 MiB, t=2, p=1)', times: await sample(40, () => argon2.verify(chosenHash, '1357')) },
    ],
    'library default (64 MiB, t=3, p=4)',
  );

  // No lock and no waiting, so repeated wrong PINs measure the work itself.
  const t = await openDemoEngine('bench-auth', {
    throttle: {
      lockAfter: 1_000_000,
      lockMinutes: 1,
      delaysMs: [0],
      registerWindowMinutes: 1,
      registerSignInLimit: 1_000_000,
      registerOverrideLimit: 1_000_000,
    },
  });
  try {
    const { cashier } = t.people;
    const unknown = '019abf1c-0000-7000-8000-000000000000';
    const wrongKnown = await sample(40, () => t.engine.call('auth.signInWithPin', { employeeId: cashier.id, pin: '0000' }));
    const wrongUnknown = await sample(40, () => t.engine.call('auth.signInWithPin', { employeeId: unknown, pin: '0000' }));
    const right = await sample(40, () => t.engine.call('auth.signInWithPin', { employeeId: cashier.id, pin: cashier.pin }));
    report(
      'PIN sign-in through dispatch (an unknown employee must not answer faster)',
      [
        { name: 'wrong PIN, existing employee', times: wrongKnown },
        { name: 'wrong PIN, employee that does not exist', times: wrongUnknown },
        { name: 'right PIN (creates a session)', times: right },
      ],
      'wrong PIN, existing employee',
    );

    const token = await signIn(t.engine, cashier.id, cashier.pin);
    report(
      'Session check on every call',
      [
        { name: 'baseline: SELECT 1 on the same PGlite', times: await sample(300, () => t.engine.services.sql.query('SELECT 1')) },
        {
          name: 'auth.whoAmI (validate, load session and permissions)',
          times: await sample(300, () => t.engine.call('auth.whoAmI', {}, { token })),
        },
      ],
      'baseline: SELECT 1 on the same PGlite',
    );
  } finally {
    await t.dispose();
  }
}
