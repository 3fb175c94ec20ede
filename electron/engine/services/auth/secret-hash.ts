// Argon2id for PINs, passwords and recovery codes (the constitution's rule).
import argon2 from 'argon2';

// OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): tens of milliseconds on a countertop
// PC, so a PIN sign-in stays instant while each guess costs an attacker real memory.
export const SECRET_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const hashSecret = (secret: string): Promise<string> => argon2.hash(secret, SECRET_HASH_OPTIONS);

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    // A malformed stored hash verifies nothing rather than failing the sign-in screen.
    return false;
  }
}
