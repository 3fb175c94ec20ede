// The selling domain's calls: the cart, payment and the tenders a store takes; the cart's, the
// browse grid's, the counter's and the receipts' handlers live in their own files and join here.
import { storeSettings } from '../settings/store-settings.ts';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { paymentMethods } from '#db/schema/payments.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { browseHandlers } from './browse-handlers.ts';
import { cartHandlers } from './cart-handlers.ts';
import { counterHandlers } from './counter-handlers.ts';
import { receiptHandlers } from './receipt-handlers.ts';
import { searchCatalog } from '../catalog/search.ts';
import { completeSale } from './checkout.ts';
import { holdGiftCards, releaseGiftCardHolds } from '../payments/gift-card-tenders.ts';
import { createReturn, findReturnable } from './returns.ts';

export const salesHandlers = defineHandlers({
  ...cartHandlers,
  ...browseHandlers,
  ...counterHandlers,
  ...receiptHandlers,

  async 'sales.complete'(input, ctx) {
    const giftCards = await holdGiftCards(ctx, input);
    try {
      return await ctx.services.writes(() => completeSale(ctx, input, giftCards));
    } catch (err) {
      await releaseGiftCardHolds(ctx.services, input.saleId, giftCards).catch(() => undefined);
      throw err;
    }
  },

  async 'sales.search'(input, ctx) {
    const terminal = requireTerminal(ctx.services);
    return searchCatalog(ctx.services.sql, terminal.businessId, input.text, input.limit === undefined ? {} : { limit: input.limit });
  },

  async 'returns.lookup'(input, ctx) {
    return findReturnable(ctx, input.code);
  },

  async 'returns.create'(input, ctx) {
    return ctx.services.writes(() => createReturn(ctx, input));
  },

  async 'sales.paymentMethods'(_input, ctx) {
    const terminal = requireTerminal(ctx.services);
    const rows = await ctx.services.db
      .select({
        id: paymentMethods.id,
        code: paymentMethods.code,
        name: paymentMethods.name,
        kind: paymentMethods.kind,
        opensDrawer: paymentMethods.opensDrawer,
        settings: paymentMethods.settings,
      })
      .from(paymentMethods)
      .where(and(eq(paymentMethods.businessId, terminal.businessId), eq(paymentMethods.isActive, true), isNull(paymentMethods.deletedAt)))
      .orderBy(asc(paymentMethods.sortOrder), asc(paymentMethods.code));
    // The card terminal's method only where this register has a terminal paired.
    const [register] = await ctx.services.sql.query<{ code: string }>('SELECT code FROM sales.cash_registers WHERE id = $1', [
      terminal.registerId,
    ]);
    const settings = await storeSettings(ctx.services.sql, terminal.businessId, terminal.branchId);
    const paired = register ? settings.devices[register.code]?.cardTerminal !== undefined : false;
    return rows.flatMap(({ settings: methodSettings, ...m }) => {
      const integrated = m.kind === 'CARD' && methodSettings.integrated === true;
      return integrated && !paired ? [] : [{ ...m, integrated }];
    });
  },
});
