// The call that sets a register's language (register-language.ts answers it), kept apart so the
// contract imports only field schemas from here.
import { z } from 'zod';
import { call, idempotencyKey } from '../fields.ts';

export const LOCALES = ['es-MX', 'es-CO', 'es-AR', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const registerLanguageCalls = {
  /**
   * The register's language. Public: whoever stands at the register chooses the words it is read
   * in, before signing in too (a PIN prompt one cannot read is no use); the change is audited,
   * naming the employee when someone is signed in.
   */
  'terminal.setLocale': call('public', z.object({ locale: z.enum(LOCALES), idempotencyKey }).strict(), {
    /** `changed` is false when the register already spoke that language (nothing was written). */
    output: z.object({ registerCode: z.string(), locale: z.enum(LOCALES), changed: z.boolean() }).strict(),
  }),
};
