// The counter's calls: an open-price line, and a credit slip's balance.
import { Decimal } from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { balances } from '#db/schema/payments.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requireTerminal } from '#engine/container.ts';
import { openPriceItem, openPriceRates } from '../catalog/open-price.ts';
import { appendLine, changeCart, checkQuantity } from './cart-handlers.ts';

export const counterHandlers = defineHandlers({
  async 'sales.openPriceRates'(_input, ctx) {
    return openPriceRates(ctx.services.sql, requireTerminal(ctx.services).businessId);
  },

  async 'sales.addOpenItem'(input, ctx) {
    return changeCart(ctx, input.saleId, async (cart, sc) => {
      const item = await openPriceItem(ctx.services.sql, sc.terminal.businessId, input.taxCode);
      if (!item) {
        throw new EngineError('NOT_FOUND', 'this store sells no open-price item at that tax rate', {
          what: 'openPrice',
          taxCode: input.taxCode,
        });
      }
      if (new Decimal(input.unitPrice).lessThanOrEqualTo(0)) {
        throw new EngineError('INVALID_INPUT', 'the price must be more than zero', { field: 'unitPrice', reason: 'NOT_POSITIVE' });
      }
      const quantity = checkQuantity({ soldBy: 'UNIT' }, input.quantity ?? '1');
      // The cashier's description is the line's name (the receipt prints it); the SKU says it was open-priced.
      return appendLine(cart, ctx.services.now(), {
        variantId: item.variantId,
        productId: item.productId,
        name: input.description,
        sku: item.sku,
        barcode: null,
        unit: item.unit,
        unitPrice: new Decimal(input.unitPrice).toFixed(4),
        taxCode: item.taxCode,
        taxRate: item.taxRate,
        quantity,
        isWeighed: false,
      });
    });
  },

  async 'sales.storeCredit'(input, ctx) {
    const terminal = requireTerminal(ctx.services);
    const code = input.code.trim();
    const [slip] = await ctx.services.db
      .select()
      .from(balances)
      .where(and(eq(balances.businessId, terminal.businessId), eq(balances.code, code), eq(balances.kind, 'STORE_CREDIT')));
    if (!slip || slip.deletedAt) throw new EngineError('NOT_FOUND', `no store credit with the code ${code}`, { what: 'balance', code });
    return {
      code: slip.code,
      amount: slip.amount,
      currency: slip.currency,
      status: slip.status,
      expiresAt: slip.expiresAt?.toISOString() ?? null,
    };
  },
});
