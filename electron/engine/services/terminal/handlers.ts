// What the screens need before anyone signs in: whose register this is, and how its money,
// dates and words look (the business's currency and country, the branch's timezone, and the
// language chosen on this register).
import { defineHandlers } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { storeSettings } from '../settings/store-settings.ts';
import { registerLanguageHandlers, registerLocale } from './register-language.ts';

/** The screens' language for the business's country; English where we have no Spanish variant. */
const LOCALES: Record<string, 'es-MX' | 'es-CO' | 'es-AR'> = { MX: 'es-MX', CO: 'es-CO', AR: 'es-AR' };

export const terminalHandlers = defineHandlers({
  ...registerLanguageHandlers,

  async 'terminal.info'(_input, ctx) {
    const terminal = requireTerminal(ctx.services);
    const [row] = await ctx.services.sql.query<{
      business: string;
      branch: string;
      register: string;
      currency: string;
      country: string;
      timezone: string;
    }>(
      `SELECT b.name AS business, br.name AS branch, r.code AS register, b.currency, b.country, br.timezone
       FROM business.businesses b JOIN business.branches br ON br.id = $2 JOIN sales.cash_registers r ON r.id = $3 WHERE b.id = $1`,
      [terminal.businessId, terminal.branchId, terminal.registerId],
    );
    if (!row) throw new Error('this terminal names a business, branch or register that is not in its database');
    const settings = await storeSettings(ctx.services.sql, terminal.businessId, terminal.branchId);
    const countryLocale = (LOCALES[row.country] ?? 'en') as 'es-MX' | 'es-CO' | 'es-AR' | 'en';
    // The language chosen on this register wins over the country's.
    const chosen = await registerLocale(ctx.services.sql, terminal.businessId, terminal.branchId, row.register);
    return {
      businessName: row.business,
      branchName: row.branch,
      registerCode: row.register,
      currency: row.currency,
      timezone: row.timezone,
      locale: chosen ?? countryLocale,
      countryLocale,
      // The pay screen asks before taking cash this many times over what is due (renderer/screens/cash-sense.ts).
      cashConfirmMultiple: settings.cashConfirmMultiple,
    };
  },
});
