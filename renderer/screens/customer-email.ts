// The customer's address for an e-mailed receipt, as the cashier types it. Read by the contract's
// own `email` field, so the screen refuses exactly what the engine would (and sends the address
// as the engine keeps it: trimmed, in lower case) rather than a rule of its own that could drift.
import { email } from '#contract/fields.ts';

/** The address to send (null when there is none), and whether what was typed is not one. */
export type EmailReading = { value: string | null; bad: boolean };

export function readEmail(typed: string): EmailReading {
  if (typed.trim() === '') return { value: null, bad: false };
  const read = email.safeParse(typed);
  return read.success ? { value: read.data, bad: false } : { value: null, bad: true };
}

/** The key that reaches the customer's e-mail on the pay and receipt screens: a chord no scanner sends. */
export const EMAIL_KEY = 'Alt+E';

export const isEmailKey = (e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>) =>
  e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === 'e';
