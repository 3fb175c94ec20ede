// The register's own calls: who it belongs to and how its money, dates and words look.
import { z } from 'zod';
import { call, decimal } from '../fields.ts';
import { LOCALES, registerLanguageCalls } from './terminal-language.ts';

export const terminalCalls = {
  /** Whose register this is and how its money, dates and words look: the screens' first call. */
  'terminal.info': call('public', z.object({}).strict(), {
    output: z
      .object({
        businessName: z.string(),
        branchName: z.string(),
        registerCode: z.string(),
        /** ISO 4217, as the business keeps its books. */
        currency: z.string(),
        /** IANA zone of the branch: dates on screen and paper are local there, stored in UTC. */
        timezone: z.string(),
        /** The language chosen on this register, else the country's. */
        locale: z.enum(LOCALES),
        countryLocale: z.enum(LOCALES),
        /** The pay screen asks before taking cash this many times over what is due. */
        cashConfirmMultiple: decimal,
      })
      .strict(),
  }),
  ...registerLanguageCalls,
};
