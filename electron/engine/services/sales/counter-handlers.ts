// The counter's calls: an open-price line, and a credit slip's balance.
import { Decimal } from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { balances } from '#db/schema/payments.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requireTerminal } from '#engine/container.ts';
import { openPriceItem, openPriceRates } from '../catalog/open-price.ts';
import { changeCart, checkQuantity, MAX_LINES } from './cart-handlers.ts';
import type { ItemRow } from './cart.ts';

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
      if (cart.items.length >= MAX_LINES)
        throw new EngineError('CONFLICT', `a sale holds at most ${MAX_LINES} lines`, { reason: 'TOO_MANY_LINES' });
      const now = ctx.services.now();
      // The cashier's description is the line's name (the receipt prints it); the SKU says it was open-priced.
      const line: ItemRow = {
        id: uuidv7(),
        saleId: cart.sale.id,
        lineNo: cart.nextLineNo,
        variantId: item.variantId,
        productId: item.productId,
        name: input.description,
        sku: item.sku,
        barcode: null,
        unit: item.unit,
        unitPrice: new Decimal(input.unitPrice).toFixed(4),
        listPrice: null,
        priceOverriddenBy: null,
        taxCode: item.taxCode,
        taxRate: item.taxRate,
        quantity,
        isWeighed: false,
        lineDiscountRate: null,
        lineDiscountFixed: null,
        discountAmount: '0',
        discountApprovedBy: null,
        subtotal: '0',
        taxAmount: '0',
        total: '0',
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
      return { ...cart, items: [...cart.items, line], nextLineNo: cart.nextLineNo + 1 };
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
